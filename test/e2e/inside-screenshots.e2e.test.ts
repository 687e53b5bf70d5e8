import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Screenshots of Train → Look inside for review, in light/dark and en/zh-CN: the top (pickers, input, Grad-CAM,
 * bars), the filters and feature maps with an enlarged map and its receptive field, the parameter sharing, the
 * overlay of a clicked class, and the no-model empty state. `CNN_STUDIO_SCREENSHOTS=1 npx vitest run
 * test/e2e/inside-screenshots` after `npm run build`; they land in test-results/screenshots/inside-*.png.
 */
const enabled = screenshotsEnabled;
const dataset = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small');

describe('inside screenshots', () => {
  it.skipIf(!enabled)(
    enabled
      ? 'takes Look inside screenshots in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-inside-shots-'));
      const dataDir = path.join(temp, 'data');
      try {
        const setup = await startApp({ dataDir });
        try {
          const { services } = setup;
          const project = services.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
          services.projects.create({ name: 'Untrained', inputSize: 28, color: 'gray' });
          await services.dataset.importAndWait(project.id, { paths: [path.join(dataset, 'train')] });
          const settings = {
            ...services.training.defaults(project.id).settings,
            model: { kind: 'preset' as const, preset: 'small' as const },
            epochs: 3,
            seed: 3,
            workers: 1,
          };
          const run = services.training.start(project.id, settings);
          expect((await services.training.waitFor(project.id, run.id)).run.status).toBe('completed');
        } finally {
          await setup.close();
        }

        for (const { locale, colorScheme } of screenshotCombos) {
          const app = await startApp({
            dataDir,
            locale,
            colorScheme,
            viewport: { width: 1400, height: 1000 },
          });
          try {
            const { page } = app;
            const file = (what: string) =>
              path.join(reviewDir, `inside-${what}-${locale}-${colorScheme}.png`);
            const shot = (what: string) => page.screenshot({ path: file(what) });
            const open = async (name: string) => {
              await page.locator('.project-open', { hasText: name }).click();
              await page.locator('.tab').nth(1).click();
              await page.locator('.training-tabs [role="tab"]').last().click();
            };

            await open('Untrained');
            await page.locator('.inside-empty .empty-state').waitFor();
            await shot('no-model');

            await open('Fashion');
            await page.getByTestId('inside-sections').waitFor({ timeout: 30_000 });
            await page.locator('.inside-thumb').nth(2).click();
            await page.locator('.inside-thumb[aria-pressed="true"]').nth(0).waitFor();
            await page.locator('canvas.inside-heat[data-drawn]').waitFor();
            await page.waitForTimeout(800);
            await shot('top');

            await page.getByTestId('filters-1').scrollIntoViewIfNeeded();
            await page
              .locator('.inside-map-grid')
              .nth(3)
              .locator('canvas')
              .click({ position: { x: 3, y: 3 } });
            const map = page.locator('canvas.inside-detail-map');
            await map.waitFor();
            const box = (await map.boundingBox())!;
            await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.45);
            await page.getByTestId('receptive-field').waitFor();
            await shot('maps');

            await page.getByTestId('inside-sharing-ratio').scrollIntoViewIfNeeded();
            await page.waitForTimeout(300);
            await shot('sharing');

            await page.locator('.class-bar').nth(1).click();
            await page.locator('.class-bar').nth(1).scrollIntoViewIfNeeded();
            await page.locator('canvas.inside-heat[data-drawn]').waitFor();
            await page.waitForTimeout(600);
            await shot('class');
            expect(app.problems).toEqual([]);
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
