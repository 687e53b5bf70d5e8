import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';
import {
  fashionProjectWithRun,
  reviewDir,
  screenshotCombos,
  screenshotsEnabled,
} from './support/screenshot-setup';

/**
 * Screenshots of the Export section's training package card in light/dark and en/zh-CN, for review:
 * `CNN_STUDIO_SCREENSHOTS=1 npx vitest run test/e2e/training-package-screenshots` after `npm run build`.
 * Before (the form) and after writing a package (counts, files, commands) land in
 * test-results/screenshots/training-package-{before,after}-<locale>-<theme>.png.
 */
const enabled = screenshotsEnabled;
const source = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small', 'test');

describe('training package screenshots', () => {
  it.skipIf(!enabled)(
    enabled
      ? 'takes training package screenshots in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      for (const { locale, colorScheme } of screenshotCombos) {
        const app = await startApp({ locale, colorScheme, viewport: { width: 1280, height: 1300 } });
        try {
          const { page, services, dataDir } = app;
          const zh = locale === 'zh-CN';
          await fashionProjectWithRun(services, locale, source);
          const shot = (what: string) =>
            page.screenshot({
              path: path.join(
                reviewDir,
                `training-package-${what}-${zh ? 'zh-CN' : 'en'}-${colorScheme}.png`,
              ),
              fullPage: true,
            });

          await page.reload();
          await page.locator('.project-open').first().click();
          await page.locator('.tab').nth(4).click();
          const card = page.getByTestId('training-package');
          await card.waitFor();
          await card.locator('.export-folder').fill(path.join(dataDir, 'packages', 'fashion'));
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          await card.scrollIntoViewIfNeeded();
          await shot('before');

          await card.locator('.training-package-actions .button.primary').click();
          await page.getByTestId('training-package-result').waitFor({ timeout: 60_000 });
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
