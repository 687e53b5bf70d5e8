import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Regenerates the README screenshots (docs/screenshots) and a review set in test-results/screenshots:
 * `CNN_STUDIO_SCREENSHOTS=1 npx vitest run test/e2e/screenshots` after `npm run build`.
 */
const enabled = screenshotsEnabled;
const docsDir = path.join(repoRoot, 'docs', 'screenshots');

const combos = screenshotCombos;

describe('screenshots', () => {
  it.skipIf(!enabled)(
    enabled
      ? 'takes screenshots in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1 to take them',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      fs.mkdirSync(docsDir, { recursive: true });
      for (const { locale, colorScheme } of combos) {
        const app = await startApp({ locale, colorScheme, viewport: { width: 1100, height: 680 } });
        try {
          const zh = locale === 'zh-CN';
          const names = zh
            ? ['手写数字', '猫和狗', '零件缺陷检测']
            : ['Handwritten digits', 'Cats vs dogs', 'Part defects'];
          for (const [i, name] of names.entries()) {
            app.services.projects.create({
              name,
              inputSize: [28, 64, 96][i],
              color: i === 0 ? 'gray' : 'rgb',
            });
          }
          app.services.projects.delete(
            app.services.projects.create({
              name: zh ? '旧实验' : 'Old experiment',
              inputSize: 28,
              color: 'gray',
            }).id,
          );
          const { page } = app;
          await page.reload();
          const base = `${zh ? 'zh-CN' : 'en'}-${colorScheme}`;
          await page.locator('.project-open').first().waitFor();
          await page.screenshot({ path: path.join(reviewDir, `${base}-welcome.png`) });

          await page.locator('.project-open').nth(2).click();
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          await page.locator('.project-row').nth(1).hover();
          await page.screenshot({ path: path.join(reviewDir, `${base}-workspace.png`) });
          if (base === 'en-light') await page.screenshot({ path: path.join(docsDir, 'projects-light.png') });
          if (base === 'zh-CN-dark')
            await page.screenshot({ path: path.join(docsDir, 'projects-dark-zh-CN.png') });

          await page.locator('.sidebar-section-header .icon-button').click();
          await page.keyboard.type(names[0]);
          await page.keyboard.press('Enter');
          await page.getByRole('alert').waitFor();
          await page.screenshot({ path: path.join(reviewDir, `${base}-create-error.png`) });
          await page.keyboard.press('Escape');

          await page.locator('.project-row').first().hover();
          await page.locator('.project-row').first().locator('.icon-button').last().click();
          await page.getByRole('alertdialog').waitFor();
          await page.screenshot({ path: path.join(reviewDir, `${base}-delete.png`) });
          await page.keyboard.press('Escape');

          await page.locator('.project-row').first().locator('.icon-button').first().click();
          await page.locator('.rename-input').waitFor();
          await page.screenshot({ path: path.join(reviewDir, `${base}-rename.png`) });
          await page.keyboard.press('Escape');

          await page.locator('.sidebar-link').click();
          await page.screenshot({ path: path.join(reviewDir, `${base}-trash.png`) });
        } finally {
          await app.close();
        }
      }
    },
    120_000,
  );
});
