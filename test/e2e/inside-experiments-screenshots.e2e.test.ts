import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { startApp } from './support/harness';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';
import { trainedFashionProject } from './support/flows';

/**
 * Screenshots of the Look inside experiments for review, in light/dark and en/zh-CN: stride and padding (a few
 * steps in), max pooling, the translation experiment at a shift and the filter playground after the Laplacian.
 * `CNN_STUDIO_SCREENSHOTS=1 npx vitest run test/e2e/inside-experiments-screenshots` after `npm run build`; they
 * land in test-results/screenshots/inside-xp-*.png.
 */
const enabled = screenshotsEnabled;

describe('look inside experiments screenshots', () => {
  it.skipIf(!enabled)(
    enabled
      ? 'takes screenshots of the experiments in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-inside-xp-shots-'));
      const dataDir = path.join(temp, 'data');
      try {
        const setup = await startApp({ dataDir });
        try {
          const { services } = setup;
          await trainedFashionProject(services, {
            name: 'Fashion',
            preset: 'reference',
            epochs: 3,
            seed: 3,
          });
        } finally {
          await setup.close();
        }

        for (const { locale, colorScheme } of screenshotCombos) {
          const app = await startApp({
            dataDir,
            locale,
            colorScheme,
            viewport: { width: 1280, height: 900 },
          });
          try {
            const { page } = app;
            await page.locator('.project-open', { hasText: 'Fashion' }).click();
            await page.locator('.tab').nth(1).click();
            const zh = locale === 'zh-CN';
            await page.getByRole('tab', { name: zh ? '查看内部' : 'Look inside' }).click();
            await page.getByTestId('inside-experiments').waitFor({ timeout: 30_000 });
            const shot = async (testId: string, what: string) => {
              const section = page.getByTestId(testId);
              await section.scrollIntoViewIfNeeded();
              await page.waitForTimeout(300);
              await section.screenshot({
                path: path.join(reviewDir, `inside-xp-${what}-${locale}-${colorScheme}.png`),
              });
            };

            const stride = page.getByTestId('xp-stride');
            await stride.locator('[data-testid="xp-stride-input"][data-drawn]').waitFor();
            for (let i = 0; i < 30; i++) await stride.locator('.xp-controls .button').nth(1).click();
            await shot('xp-stride', 'stride');

            const pooling = page.getByTestId('xp-pooling');
            for (let i = 0; i < 9; i++) await pooling.locator('.xp-controls .button').nth(1).click();
            await shot('xp-pooling', 'pooling');

            const shift = page.getByTestId('xp-shift');
            await shift.locator('.line-chart canvas').first().waitFor({ timeout: 20_000 });
            await shift.getByTestId('xp-shift-slider').focus();
            for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
            await shift.locator('[data-testid="xp-shift-maps"][data-drawn]').waitFor();
            await shot('xp-shift', 'shift');

            const playground = page.getByTestId('xp-playground');
            await playground.locator('.xp-presets .button').first().click();
            await playground.locator('[data-testid="xp-response"][data-drawn]').waitFor({ timeout: 20_000 });
            await shot('xp-playground', 'playground');
          } finally {
            await app.close();
          }
        }
      } finally {
        fs.rmSync(temp, { recursive: true, force: true });
      }
    },
    600_000,
  );
});
