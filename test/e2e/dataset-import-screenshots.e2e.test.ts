import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Review screenshots of the worded failures (issue 12): the New project form with an invalid size, a failed
 * import, a partly failed one, Health with unreadable files and the import log, in light/dark and en/zh-CN:
 * `CNN_STUDIO_SCREENSHOTS=1 npx vitest run test/e2e/dataset-import-screenshots` after `npm run build`.
 * They land in test-results/screenshots/dataset-import-*.png.
 */
const shared = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small', 'train');

describe('dataset import screenshots', () => {
  it.skipIf(!screenshotsEnabled)(
    screenshotsEnabled
      ? 'takes screenshots of worded failures in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      const source = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-import-shots-'));
      const brokenOnly = path.join(source, 'scans');
      fs.mkdirSync(brokenOnly);
      fs.writeFileSync(path.join(brokenOnly, 'broken.png'), 'not a png');
      fs.writeFileSync(path.join(brokenOnly, 'notes.txt'), 'text');
      fs.writeFileSync(path.join(brokenOnly, 'empty.jpg'), '');
      const classes = path.join(source, 'fashion');
      for (const name of ['Bag', 'Sneaker']) {
        fs.mkdirSync(path.join(classes, name), { recursive: true });
        for (const f of fs.readdirSync(path.join(shared, name)).sort().slice(0, 12))
          fs.copyFileSync(path.join(shared, name, f), path.join(classes, name, f));
      }
      fs.writeFileSync(
        path.join(classes, 'Bag', 'truncated.png'),
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10]),
      );
      const answers: string[][] = [];
      try {
        for (const { locale, colorScheme } of screenshotCombos) {
          const app = await startApp({
            locale,
            colorScheme,
            viewport: { width: 1280, height: 800 },
            dialogs: { open: async () => answers.shift() ?? [], save: async () => null },
          });
          const shot = (what: string) =>
            app.page.screenshot({
              path: path.join(reviewDir, `dataset-import-${what}-${locale}-${colorScheme}.png`),
            });
          try {
            const { page } = app;
            const zh = locale === 'zh-CN';
            const folderButton = page.getByRole('button', { name: zh ? '选择文件夹…' : 'Choose folder…' });
            await page.getByRole('button', { name: zh ? '新建项目' : 'New project', exact: true }).click();
            const dialog = page.getByRole('dialog');
            await dialog.waitFor();
            await page.keyboard.type(locale === 'zh-CN' ? '衣物' : 'Clothes');
            await dialog.locator('input[name="inputSize"]').fill('300');
            await dialog.locator('button[type="submit"]').click();
            await dialog.getByRole('alert').waitFor();
            await page.waitForTimeout(200);
            await shot('new-project-error');
            await dialog.locator('input[name="inputSize"]').fill('28');
            await dialog.locator('button[type="submit"]').click();
            await dialog.waitFor({ state: 'detached' });

            answers.push([brokenOnly]);
            await folderButton.first().click();
            await page.locator('.import-status.done').waitFor({ timeout: 20_000 });
            await page.waitForTimeout(200);
            await shot('failed');

            answers.push([classes]);
            await folderButton.first().click();
            await page.locator('.import-status.outcome-partial').waitFor({ timeout: 20_000 });
            await page.getByRole('grid').getByRole('gridcell').first().waitFor();
            await page.waitForTimeout(300);
            await shot('partial');

            await page.locator('.dataset-toolbar .toolbar-end .button').first().click();
            await page.locator('.health-unreadable').waitFor();
            await page.locator('.health-unreadable summary').click();
            await page.waitForTimeout(300);
            await shot('health');

            await page.locator('.health .panel-actions .button').first().click();
            await page.locator('.import-log-table').waitFor();
            await page.waitForTimeout(300);
            await shot('log');
          } finally {
            await app.close();
          }
        }
      } finally {
        fs.rmSync(source, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
