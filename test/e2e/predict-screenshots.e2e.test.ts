import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropPaths } from './support/flows';
import { describe, expect, it } from 'vitest';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Screenshots of the Predict section for review, in light/dark and en/zh-CN: cards with Grad-CAM overlays (and a
 * corrupt file's card), the batch table of a folder, the window drop's question on Train, the no-model empty
 * state and the Dataset toolbar with its file pickers. `CNN_STUDIO_SCREENSHOTS=1 npx vitest run
 * test/e2e/predict-screenshots` after `npm run build`; they land in test-results/screenshots/predict-*.png.
 */
const enabled = screenshotsEnabled;
const dataset = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small');

describe('predict screenshots', () => {
  it.skipIf(!enabled)(
    enabled
      ? 'takes Predict screenshots in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-predict-shots-'));
      const dataDir = path.join(temp, 'data');
      const files = ['Trouser', 'Bag', 'Sneaker', 'Dress', 'Pullover'].map((label, i) => {
        const dir = path.join(dataset, 'test', label);
        const source = path.join(dir, fs.readdirSync(dir).sort()[0]);
        const target = path.join(temp, `${label.toLowerCase()}-${i + 1}.png`);
        fs.copyFileSync(source, target);
        return target;
      });
      const broken = path.join(temp, 'notes.png');
      fs.writeFileSync(broken, 'not an image');
      const folder = path.join(dataset, 'test');
      const exportDir = path.join(temp, 'shoes-model');
      const modelFile = path.join(exportDir, 'model.cnnmodel');
      try {
        // One trained project (and an untrained one for the empty state), shared by every combination.
        const setup = await startApp({ dataDir });
        try {
          const { services } = setup;
          const project = services.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
          services.projects.create({ name: 'Untrained', inputSize: 28, color: 'gray' });
          await services.dataset.importAndWait(project.id, { paths: [path.join(dataset, 'train')] });
          const settings = {
            ...services.training.defaults(project.id).settings,
            model: { kind: 'preset' as const, preset: 'reference' as const },
            epochs: 4,
            seed: 3,
            workers: 1,
          };
          const run = services.training.start(project.id, settings);
          expect((await services.training.waitFor(project.id, run.id)).run.status).toBe('completed');
          await services.modelExport.export(project.id, { format: 'native', outDir: exportDir });
        } finally {
          await setup.close();
        }

        for (const { locale, colorScheme } of screenshotCombos) {
          const app = await startApp({
            dataDir,
            locale,
            colorScheme,
            viewport: { width: 1280, height: 900 },
            dialogs: {
              open: async (kind) => (kind === 'model' ? [modelFile] : [folder]),
              save: async () => null,
            },
          });
          try {
            const { page } = app;
            const shot = (what: string) =>
              page.screenshot({ path: path.join(reviewDir, `predict-${what}-${locale}-${colorScheme}.png`) });
            const open = async (name: string, tab: number) => {
              await page.locator('.project-open', { hasText: name }).click();
              await page.locator('.tab').nth(tab).click();
            };

            await open('Untrained', 3);
            await page.locator('.predict-empty .empty-state').waitFor();
            await shot('no-model');

            await open('Fashion', 3);
            await page.getByTestId('predict-drop-zone').waitFor();
            await shot('empty');
            await dropPaths(page, [...files, broken]);
            await page
              .locator('canvas.pred-heatmap[data-drawn]')
              .nth(files.length - 1)
              .waitFor();
            await page.waitForTimeout(300);
            await shot('cards');

            await page.locator('.pred-drop-actions .button').nth(1).click();
            await page.locator('.pred-batch.done').waitFor({ timeout: 30_000 });
            await page.locator('.pred-th .pred-sort').nth(2).click();
            await page.waitForTimeout(300);
            await shot('batch');

            await page.locator('.tab').nth(1).click();
            await dropPaths(page, files.slice(0, 2));
            await page.locator('dialog[open]').waitFor();
            await shot('window-drop');
            await page.keyboard.press('Escape');

            // a model file opened from the Model menu
            await page.locator('.tab').nth(3).click();
            await page.locator('.pred-pickers select').first().selectOption('open-file');
            await page.getByTestId('model-file-status').waitFor();
            await dropPaths(page, files.slice(0, 2));
            await page.locator('canvas.pred-heatmap[data-drawn]').nth(1).waitFor();
            await page.waitForTimeout(300);
            await shot('model-file');

            // Train → Settings: "Start from" a finished run
            await page.locator('.tab').nth(1).click();
            const startFrom = page.locator('select:has(option[value="fresh"])');
            await startFrom.selectOption({ index: 1 });
            await startFrom.scrollIntoViewIfNeeded();
            await page.waitForTimeout(300);
            await shot('train-start-from');

            await page.locator('.tab').nth(0).click();
            await page.locator('.dataset-toolbar').waitFor();
            await page.waitForTimeout(300);
            await shot('dataset-toolbar');
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
