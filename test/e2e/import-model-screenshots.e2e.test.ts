import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { dropPaths, FASHION_SMALL } from './support/flows';
import { startApp } from './support/harness';
import {
  fashionProjectWithRun,
  reviewDir,
  screenshotCombos,
  screenshotsEnabled,
} from './support/screenshot-setup';

/**
 * Screenshots of importing a model, in light/dark and en/zh-CN, for review:
 * `CNN_STUDIO_SCREENSHOTS=1 npx vitest run test/e2e/import-model-screenshots` after a build. The prompt a dropped
 * model file brings up, and the runs list with a trained and an imported run (the file is in the badge's tooltip), land
 * in test-results/screenshots/import-model-{drop,runs,detail}-<locale>-<theme>.png (detail: the imported run's
 * Progress view).
 */
const enabled = screenshotsEnabled;

describe('import model screenshots', () => {
  it.skipIf(!enabled)(
    enabled
      ? 'takes import-model screenshots in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      for (const { locale, colorScheme } of screenshotCombos) {
        const app = await startApp({ locale, colorScheme, viewport: { width: 1280, height: 900 } });
        try {
          const { page, services, dataDir } = app;
          const zh = locale === 'zh-CN';
          const { projectId } = await fashionProjectWithRun(
            services,
            locale,
            path.join(FASHION_SMALL, 'test'),
          );
          const exported = await services.modelExport.export(projectId, {
            format: 'native',
            outDir: path.join(dataDir, 'exports', 'cluster'),
          });
          const modelFile = path.join(exported.dir, 'model.cnnmodel');
          const shot = (what: string) =>
            page.screenshot({
              path: path.join(reviewDir, `import-model-${what}-${zh ? 'zh-CN' : 'en'}-${colorScheme}.png`),
            });

          await page.reload();
          await page.locator('.project-open').first().click();
          await page.locator('.tab').nth(1).click(); // Train
          await dropPaths(page, [modelFile]);
          const prompt = page.getByRole('dialog');
          await prompt.waitFor();
          await shot('drop');
          await prompt.locator('.button.primary').click();
          await page.getByTestId('import-done').waitFor();
          await page.getByTestId('imported-badge').waitFor(); // the runs list reloads on the run's status event
          await page.mouse.move(0, 0);
          await shot('runs');
          // the run's own view (Progress) carries the badge too
          await page.locator('tr[data-run="run-2"] .run-name .link-button').click();
          await page.locator('.train-dashboard-header [data-testid="imported-badge"]').waitFor();
          await page.mouse.move(0, 0);
          await shot('detail');
        } finally {
          await app.close();
        }
      }
    },
    400_000,
  );
});
