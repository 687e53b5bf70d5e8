import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Screenshots of the Export section in light/dark and en/zh-CN, for review:
 * `CNN_STUDIO_SCREENSHOTS=1 npx vitest run test/e2e/export-screenshots` after `npm run build`.
 * Before an export (the form) and after an ONNX export (files, parity check, usage) land in
 * test-results/screenshots/export-{before,after}-<locale>-<theme>.png.
 */
const enabled = screenshotsEnabled;
const source = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small', 'train');

describe('export screenshots', () => {
  it.skipIf(!enabled)(
    enabled ? 'takes Export screenshots in light/dark and en/zh-CN' : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      for (const { locale, colorScheme } of screenshotCombos) {
        const app = await startApp({ locale, colorScheme, viewport: { width: 1280, height: 1000 } });
        try {
          const { page, services, dataDir } = app;
          const zh = locale === 'zh-CN';
          const project = services.projects.create({
            name: zh ? '服装分类' : 'Fashion',
            inputSize: 28,
            color: 'gray',
          });
          await services.dataset.importAndWait(project.id, { paths: [source] });
          const defaults = services.training.defaults(project.id).settings;
          const run = services.training.start(project.id, {
            ...defaults,
            model: { kind: 'preset', preset: 'reference' },
            epochs: 2,
            seed: 5,
            workers: 1,
          });
          expect((await services.training.waitFor(project.id, run.id)).run.status).toBe('completed');
          const shot = (what: string) =>
            page.screenshot({
              path: path.join(reviewDir, `export-${what}-${zh ? 'zh-CN' : 'en'}-${colorScheme}.png`),
            });

          await page.reload();
          await page.locator('.project-open').first().click();
          await page.locator('.tab').nth(4).click();
          const folder = page.locator('form.card.export-form .export-folder');
          await folder.waitFor();
          await folder.fill(path.join(dataDir, 'exports', 'fashion-onnx'));
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          await shot('before');

          await page.locator('.export-actions .button.primary').click();
          await page.getByTestId('export-result').waitFor({ timeout: 60_000 });
          await page.waitForTimeout(300);
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          await page.mouse.move(0, 0);
          await shot('after');
        } finally {
          await app.close();
        }
      }
    },
    300_000,
  );
});
