import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Review screenshots of the Dataset layout (issue 12, items 4 and 6): 800×600 and 1280×800, light and dark, en and
 * zh-CN; the grid with twelve labels, the health panel open, the label picker open, small thumbnails and the folded
 * labels panel. `CNN_STUDIO_SCREENSHOTS=1 npx vitest run test/e2e/dataset-layout-screenshots` after a build; they
 * land in test-results/screenshots/dataset-layout-*.png.
 */
const shared = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small', 'train');
const sizes = [
  { width: 800, height: 600 },
  { width: 1280, height: 800 },
] as const;

describe('dataset layout screenshots', () => {
  it.skipIf(!screenshotsEnabled)(
    screenshotsEnabled
      ? 'takes Dataset layout screenshots at 800×600 and 1280×800'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      const source = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-layout-shots-'));
      // All ten Fashion-MNIST classes as folders, plus two labels without images: twelve labels.
      for (const name of fs.readdirSync(shared).sort()) {
        fs.mkdirSync(path.join(source, name));
        for (const f of fs.readdirSync(path.join(shared, name)).sort().slice(0, 6)) {
          fs.copyFileSync(path.join(shared, name, f), path.join(source, name, f));
        }
      }
      try {
        for (const viewport of sizes) {
          for (const { locale, colorScheme } of screenshotCombos) {
            const app = await startApp({ locale, colorScheme, viewport });
            const shot = (what: string) =>
              app.page.screenshot({
                path: path.join(
                  reviewDir,
                  `dataset-layout-${viewport.width}x${viewport.height}-${what}-${locale}-${colorScheme}.png`,
                ),
              });
            try {
              const project = app.services.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
              await app.services.dataset.importAndWait(project.id, { paths: [source] });
              app.services.dataset.createLabel(project.id, 'Hat');
              app.services.dataset.createLabel(project.id, 'Scarf');
              await app.page.reload();
              const { page } = app;
              await page.locator('.project-open').first().click();
              const grid = page.getByRole('grid');
              await grid.getByRole('gridcell').first().waitFor();
              await grid.getByRole('gridcell').nth(1).click();
              await page.waitForTimeout(300);
              await shot('grid');
              // The toolbar takes at most two rows, at 800 px too (its children's tops, 12 px apart or more).
              const tops = await page
                .locator('.dataset-toolbar')
                .evaluate((el) =>
                  [...el.children].map((c) => c.getBoundingClientRect().top).sort((x, y) => x - y),
                );
              const rows = tops.filter((top, i) => i === 0 || top - tops[i - 1] >= 12).length;
              expect(rows, `toolbar rows at ${viewport.width}px (${locale})`).toBeLessThanOrEqual(2);
              await page.locator('.dataset-toolbar .toolbar-end .button').first().click();
              await page.locator('.health').waitFor();
              await page.waitForTimeout(300);
              await shot('health');
              await page.locator('.side-panel-head .icon-button').click();
              await grid.getByRole('gridcell').nth(1).click();
              await page.keyboard.press('l');
              await page.locator('.label-picker').waitFor();
              await page.waitForTimeout(200);
              await shot('picker');
              await page.keyboard.press('Escape');
              await page
                .locator('.dataset-toolbar [aria-pressed]')
                .filter({ hasText: /^(S|小)$/ })
                .click();
              await page.locator('.label-panel-toggle').click();
              await page.waitForTimeout(300);
              await shot('small-labels-toggled'); // 800 px starts folded: this unfolds it
            } finally {
              await app.close();
            }
          }
        }
      } finally {
        fs.rmSync(source, { recursive: true, force: true });
      }
    },
    600_000,
  );
});
