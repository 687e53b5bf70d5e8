import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDialogKind } from '../../main/services/dialogs';
import { useE2eApp } from './support/e2e-test';
import { dropPaths, FASHION_SMALL, trainedFashionProject } from './support/flows';
import { startApp } from './support/harness';

/**
 * Import model (issue 15) in Chromium against the real main handlers: a run trained in the project "Source" is
 * exported with our native export (.cnnmodel); dropped on the Train view of the project "Target" (the same images),
 * it becomes a run with the Imported badge, which Evaluate then uses like the original. A bad file picked with
 * "Import model…" shows the worded error.
 */
let tempDir = '';
let dataDir = '';
let modelFile = '';
let badFile = '';
let sourceId = '';
let sourceRunId = '';
let targetId = '';
const dialogAnswers: Partial<Record<OpenDialogKind, string[][]>> = {};

beforeAll(async () => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-import-model-e2e-'));
  dataDir = path.join(tempDir, 'data');
  const app = await startApp({ dataDir });
  try {
    const { services } = app;
    const source = await trainedFashionProject(services, {
      name: 'Source',
      preset: 'reference',
      epochs: 1,
      seed: 3,
    });
    sourceId = source.id;
    sourceRunId = services.runs.modelRun(source.id)!.id;
    const exported = await services.modelExport.export(source.id, {
      format: 'native',
      outDir: path.join(tempDir, 'native'),
    });
    modelFile = path.join(exported.dir, 'model.cnnmodel');
    const target = services.projects.create({ name: 'Target', inputSize: 28, color: 'gray' });
    await services.dataset.importAndWait(target.id, { paths: [path.join(FASHION_SMALL, 'train')] });
    targetId = target.id;
  } finally {
    await app.close();
  }
  badFile = path.join(tempDir, 'broken.onnx');
  fs.writeFileSync(badFile, 'not an ONNX model at all');
}, 240_000);

afterAll(() => {
  fs.rmSync(tempDir, { recursive: true, force: true });
});

async function openTrain(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open Target' }).click();
  await page.getByRole('heading', { level: 1, name: 'Target' }).waitFor();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('tab', { name: 'Train', selected: true }).waitFor();
}

describe('import model (renderer in Chromium, real main handlers)', () => {
  const app = useE2eApp(() => ({
    dataDir,
    viewport: { width: 1280, height: 900 },
    dialogs: { open: async (kind) => dialogAnswers[kind]?.shift() ?? [], save: async () => null },
  }));

  it('a dropped .cnnmodel becomes an imported run, shown with its badge, that evaluates like the original', async () => {
    const { page, services } = app();
    await openTrain(page);
    await dropPaths(page, [modelFile]);
    const prompt = page.getByRole('dialog', { name: 'What should happen with model.cnnmodel?' });
    await prompt.waitFor();
    expect(await prompt.getByRole('button', { name: 'Predict with it' }).isVisible()).toBe(true);
    await prompt.getByRole('button', { name: 'Import as a run' }).click();
    const row = page.locator('tr[data-run="run-1"]');
    await row.waitFor();
    const badge = row.getByTestId('imported-badge');
    expect(await badge.getAttribute('title')).toBe('Imported from model.cnnmodel (CNN Studio model)');
    await page.getByText('Imported model.cnnmodel as the run “run-1”.').waitFor();
    const run = services.runs.list(targetId)[0];
    expect(run).toMatchObject({
      name: 'run-1',
      status: 'completed',
      isModel: true,
      imported: { format: 'cnnmodel' },
    });

    await page.getByRole('tab', { name: 'Evaluate' }).click();
    await page.getByRole('grid', { name: 'Confusion matrix' }).waitFor();
    const split = (await page.getByRole('radio', { name: 'Validation' }).isChecked()) ? 'val' : 'test';
    const imported = await services.evaluation.evaluate(targetId, split, run.id);
    const original = await services.evaluation.evaluate(sourceId, split, sourceRunId);
    expect(imported.count).toBeGreaterThan(0);
    expect(imported.accuracy).toBe(original.accuracy); // same images (the same folder imported), same weights
    expect(await page.getByTestId('eval-accuracy').locator('.eval-stat-value').textContent()).toBe(
      `${Math.round(imported.accuracy * 1000) / 10}%`,
    );
  });

  it('"Import model…" with a file that is not a model shows the worded error and adds no run', async () => {
    const { page, services } = app();
    const before = services.runs.list(targetId).length;
    await openTrain(page);
    await page.getByRole('tab', { name: 'Runs' }).click();
    dialogAnswers['model-import'] = [[badFile]];
    await page.getByRole('button', { name: 'Import model…' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Could not import the model.' });
    await alert.waitFor();
    expect(await alert.locator('.error-reason').textContent()).toBe('The file is not a readable ONNX model.');
    expect(services.runs.list(targetId)).toHaveLength(before);
  });
});
