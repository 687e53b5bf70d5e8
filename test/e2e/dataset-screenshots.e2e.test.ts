import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Review screenshots of the Dataset section (grid, health panel, image view, label picker) in light/dark and
 * en/zh-CN: `CNN_STUDIO_SCREENSHOTS=1 npx vitest run test/e2e/dataset-screenshots` after `npm run build`.
 * They land in test-results/screenshots/dataset-*.png.
 */
const enabled = screenshotsEnabled;
const shared = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small', 'train');

const combos = screenshotCombos;

describe('dataset screenshots', () => {
  it.skipIf(!enabled)(
    enabled
      ? 'takes Dataset screenshots in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      const source = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-shots-'));
      const counts: Record<string, number> = { Bag: 14, Sneaker: 12, Trouser: 9, Coat: 4 };
      for (const [name, n] of Object.entries(counts)) {
        fs.mkdirSync(path.join(source, name));
        for (const f of fs.readdirSync(path.join(shared, name)).sort().slice(0, n)) {
          fs.copyFileSync(path.join(shared, name, f), path.join(source, name, f));
        }
      }
      fs.mkdirSync(path.join(source, 'new'));
      for (const f of fs.readdirSync(path.join(shared, 'Dress')).sort().slice(0, 5)) {
        fs.copyFileSync(path.join(shared, 'Dress', f), path.join(source, `dress-${f}`));
      }
      try {
        for (const { locale, colorScheme } of combos) {
          const app = await startApp({ locale, colorScheme, viewport: { width: 1280, height: 800 } });
          const shot = (what: string) =>
            app.page.screenshot({
              path: path.join(reviewDir, `dataset-${what}-${locale}-${colorScheme}.png`),
            });
          try {
            const project = app.services.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
            await app.services.dataset.importAndWait(project.id, { paths: [source] });
            await app.page.reload();
            const { page } = app;
            await page.locator('.project-open').first().click();
            const grid = page.getByRole('grid');
            await grid.getByRole('gridcell').first().waitFor();
            await page.waitForTimeout(300);
            await grid.getByRole('gridcell').nth(1).click();
            await grid
              .getByRole('gridcell')
              .nth(3)
              .click({ modifiers: ['Shift'] });
            await page.waitForTimeout(200);
            await shot('grid');
            await page.locator('.dataset-toolbar .toolbar-end .button').first().click();
            await page.locator('.health').waitFor();
            await page.waitForTimeout(200);
            await shot('health');
            await grid.getByRole('gridcell').first().dblclick();
            await page.locator('.image-viewer').waitFor();
            await page.waitForTimeout(300);
            await shot('viewer');
            await page.keyboard.press('Escape');
            await grid.getByRole('gridcell').first().click();
            await page.keyboard.press('l');
            await page.locator('.label-picker').waitFor();
            await page.waitForTimeout(200);
            await shot('picker');
            await page.keyboard.press('Escape');

            // An empty project, then a 700-file import dropped on it: the empty state, progress and summary.
            app.services.projects.create({ name: 'Empty', inputSize: 28, color: 'gray' });
            await page.reload();
            await page.locator('.project-open', { hasText: 'Empty' }).click();
            await page.locator('.dataset-empty').waitFor();
            await shot('empty');
            await page.evaluate((p) => {
              const dt = new DataTransfer();
              const file = new File([], 'fashion-mnist-small');
              Object.defineProperty(file, 'path', { value: p });
              dt.items.add(file);
              for (const type of ['dragenter', 'dragover']) {
                document.body.dispatchEvent(
                  new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }),
                );
              }
            }, path.dirname(shared));
            await shot('dragging');
            await page.evaluate(() => {
              const dt = new DataTransfer();
              document.body.dispatchEvent(new DragEvent('dragleave', { dataTransfer: dt, bubbles: true }));
            });
            await page.evaluate((p) => {
              const dt = new DataTransfer();
              const file = new File([], 'fashion-mnist-small');
              Object.defineProperty(file, 'path', { value: p });
              dt.items.add(file);
              document.body.dispatchEvent(
                new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
              );
            }, path.dirname(shared));
            await page.locator('.import-status.running').waitFor();
            await page.waitForTimeout(400);
            await shot('importing');
            await page.locator('.import-status.done').waitFor({ timeout: 30_000 });
            await shot('imported');
          } finally {
            await app.close();
          }
        }
      } finally {
        fs.rmSync(source, { recursive: true, force: true });
      }
    },
  );
});
