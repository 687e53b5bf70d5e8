import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { FASHION_SMALL, trainedFashionProject } from './support/flows';
import { startApp } from './support/harness';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Review screenshots of the dataset map in light/dark and en/zh-CN: `CNN_STUDIO_SCREENSHOTS=1 npx vitest run
 * test/e2e/dataset-map-screenshots` after `npm run build`. A trained fashion-mnist-small project with two classes
 * unlabeled again (so suggestions show as rings) and its UMAP map; the map with a box selection and a hovered point,
 * and the intro of a project without a map. They land in test-results/screenshots/dataset-map-*.png.
 */
describe('dataset map screenshots', () => {
  it.skipIf(!screenshotsEnabled)(
    screenshotsEnabled
      ? 'takes dataset map screenshots in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-map-shots-'));
      const dataDir = path.join(tempDir, 'data');
      try {
        const setup = await startApp({ dataDir });
        try {
          const { services } = setup;
          const project = await trainedFashionProject(services, {
            name: 'Fashion',
            preset: 'small',
            epochs: 3,
            seed: 5,
          });
          const db = services.projects.db(project.id);
          const unlabel = services.dataset
            .listLabels(project.id)
            .filter((l) => l.name === 'Shirt' || l.name === 'Coat')
            .map((l) => l.id);
          const ids = db
            .prepare(`SELECT id FROM images WHERE label_id IN (${unlabel.join(',')})`)
            .pluck()
            .all() as number[];
          services.dataset.assignLabel(project.id, ids, null);
          await services.suggestions.refreshAndWait(project.id);
          await services.datasetMap.computeAndWait(project.id, { method: 'umap' });
          const other = services.projects.create({ name: 'Clothes', inputSize: 28, color: 'gray' });
          await services.dataset.importAndWait(other.id, { paths: [path.join(FASHION_SMALL, 'test')] });
          const run = services.training.start(other.id, {
            ...services.training.defaults(other.id).settings,
            model: { kind: 'preset', preset: 'small' },
            epochs: 1,
            seed: 1,
            workers: 1,
          });
          await services.training.waitFor(other.id, run.id);
        } finally {
          await setup.close();
        }

        for (const { locale, colorScheme } of screenshotCombos) {
          const app = await startApp({
            dataDir,
            locale,
            colorScheme,
            viewport: { width: 1280, height: 800 },
          });
          const shot = (what: string) =>
            app.page.screenshot({
              path: path.join(reviewDir, `dataset-map-${what}-${locale}-${colorScheme}.png`),
            });
          try {
            const { page } = app;
            const mapToggle = page.getByRole('button', { name: /^(Map|地图)$/ });
            await page.locator('.project-open', { hasText: 'Fashion' }).click();
            await mapToggle.click();
            const canvas = page.locator('.map-canvas');
            await canvas.waitFor();
            await page.waitForTimeout(300);
            const box = (await canvas.boundingBox())!;
            await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.35);
            await page.keyboard.down('Shift'); // Shift+drag: a box from any tool
            await page.mouse.down();
            await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.8, { steps: 5 });
            await page.mouse.up();
            await page.keyboard.up('Shift');
            // Hover the point nearest the canvas centre until its tooltip shows.
            for (let step = 0; step < 40; step++) {
              const x = box.x + box.width * (0.3 + (step % 8) * 0.05);
              const y = box.y + box.height * (0.35 + Math.floor(step / 8) * 0.08);
              await page.mouse.move(x, y);
              if (await page.locator('.map-tooltip').count()) break;
            }
            await page
              .locator('.map-tooltip img')
              .waitFor({ timeout: 5_000 })
              .catch(() => undefined);
            await page.waitForTimeout(300);
            await shot('map');
            await page.locator('.project-open', { hasText: 'Clothes' }).click();
            await mapToggle.waitFor();
            if ((await mapToggle.getAttribute('aria-pressed')) !== 'true') await mapToggle.click();
            await page.locator('.map-panel').waitFor();
            await page.waitForTimeout(200);
            await shot('intro');
            // The computation's progress, then Cancel: the intro comes back (and the next theme finds no map).
            await page.locator('.map-panel .button.primary').click();
            await page.locator('.map-progress').waitFor();
            await page.waitForTimeout(150);
            await shot('computing');
            await page.locator('.map-panel .button').click();
            await page.locator('.map-methods').waitFor({ timeout: 30_000 });
          } finally {
            await app.close();
          }
        }
      } finally {
        fs.rmSync(tempDir, { recursive: true, force: true });
      }
    },
    600_000,
  );
});
