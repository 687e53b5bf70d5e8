import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ModelExportProgress } from '../../app/domain/model-export';
import type { DesktopApi } from '../../app/ipc/contract';
import { preprocessImage } from '../../main/services/dataset/decode';
import type { Services } from '../../main/services/services';
import { useE2eApp } from './support/e2e-test';
import { repoRoot } from './support/paths';

/**
 * The Export section in Chromium against the real main handlers: a project trained quickly through the services,
 * exported as ONNX (folder picked with the scripted folder dialog) and as TF.js (folder typed), each showing its
 * stages, files and a passed parity check; then, in this test, model.onnx runs in onnxruntime-web and model.json in
 * tfjs (an IOHandler over the files; tfjs-node cannot be installed here), compared with the app's own predictions
 * (services.prediction, the Predict feature's path) on held-out images. A non-empty folder shows its error.
 */
const dataset = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small');

/** A project trained for two epochs on the small Fashion-MNIST train folder (500 images, val split included). */
async function trainedProject(services: Services, name: string): Promise<string> {
  const project = services.projects.create({ name, inputSize: 28, color: 'gray' });
  await services.dataset.importAndWait(project.id, { paths: [path.join(dataset, 'train')] });
  const defaults = services.training.defaults(project.id).settings;
  const run = services.training.start(project.id, {
    ...defaults,
    model: { kind: 'preset', preset: 'reference' },
    epochs: 2,
    seed: 5,
    workers: 1,
  });
  expect((await services.training.waitFor(project.id, run.id)).run.status).toBe('completed');
  return project.id;
}

async function openExport(page: Page, project: string): Promise<void> {
  await page.reload();
  await page.getByRole('button', { name: `Open ${project}` }).click();
  await page.getByRole('heading', { level: 1, name: project }).waitFor();
  await page.getByRole('tab', { name: 'Export' }).click();
  await page.getByRole('heading', { level: 2, name: 'Export' }).waitFor();
}

/** The first image of a few classes in the held-out test folder (never imported). */
function heldOutImages(): string[] {
  return ['Bag', 'Dress', 'Sandal', 'Sneaker', 'Trouser'].map((label) => {
    const folder = path.join(dataset, 'test', label);
    return path.join(folder, fs.readdirSync(folder).sort()[0]);
  });
}

/** tf.loadLayersModel over the files of a TF.js export folder. */
function filesHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const manifest = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      const bin = Buffer.concat(
        manifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))),
      );
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        weightSpecs: manifest.flatMap((g) => g.weights),
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      };
    },
  };
}

describe('export section (renderer in Chromium, real main handlers)', () => {
  let pickFolder = '';
  const app = useE2eApp({
    viewport: { width: 1280, height: 1000 },
    dialogs: {
      open: async (kind, multiple) => (kind === 'folder' && !multiple && pickFolder ? [pickFolder] : []),
      save: async () => null,
    },
  });

  it('exports ONNX and TF.js that load in onnxruntime-web and tfjs and match the app; refuses a non-empty folder', async () => {
    const { page, services, dataDir } = app();
    const projectId = await trainedProject(services, 'Fashion');
    await openExport(page, 'Fashion');
    // the page records the export:progress events it hears
    await page.evaluate(() => {
      const w = window as unknown as { desktop: DesktopApi; __stages: string[] };
      w.__stages = [];
      w.desktop.on('export:progress', (p: ModelExportProgress) => void w.__stages.push(p.stage));
    });
    const form = page.getByRole('form', { name: 'Export' });
    expect(await form.getByRole('combobox').locator('option').first().textContent()).toMatch(
      /\(project model\)/,
    );
    expect(await form.getByRole('radio', { name: /ONNX/ }).isChecked()).toBe(true);

    // ONNX into a folder picked with the (scripted) folder dialog
    const onnxDir = path.join(dataDir, 'exports', 'onnx');
    pickFolder = onnxDir;
    await form.getByRole('button', { name: 'Choose…' }).click();
    await expect.poll(() => form.getByLabel('Output folder').inputValue()).toBe(onnxDir);
    let started = performance.now();
    await form.getByRole('button', { name: 'Export', exact: true }).click();
    const result = page.getByTestId('export-result');
    await result.waitFor({ timeout: 60_000 });
    const onnxSeconds = (performance.now() - started) / 1000;
    expect(await result.getByRole('heading').first().textContent()).toBe('Exported: ONNX');
    expect(await page.getByTestId('export-dir').textContent()).toBe(onnxDir);
    const files = await page.getByTestId('export-files').locator('li').allTextContents();
    expect([...files].sort()).toEqual(fs.readdirSync(onnxDir).sort());
    expect(files).toEqual(expect.arrayContaining(['model.onnx', 'labels.txt', 'predict.py', 'predict.mjs']));
    expect(await page.getByTestId('export-parity').getAttribute('data-ok')).toBe('true');
    await result.getByText('Passed: the exported model gives the same predictions.').waitFor();
    const onnxDiff = Number(await page.getByTestId('parity-max-diff').textContent());
    expect(onnxDiff).toBeLessThanOrEqual(1e-4);
    expect(await page.getByTestId('parity-top1').textContent()).toBe('100%');
    await result.getByText('probabilities', { exact: true }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __stages: string[] }).__stages)).toEqual([
      'writing',
      'checking',
      'done',
    ]);

    // TF.js into a typed folder
    const tfjsDir = path.join(dataDir, 'exports', 'tfjs');
    await form.getByRole('radio', { name: /TensorFlow\.js/ }).check();
    await form.getByLabel('Output folder').fill(tfjsDir);
    started = performance.now();
    await form.getByRole('button', { name: 'Export', exact: true }).click();
    await result.getByRole('heading', { name: 'Exported: TensorFlow.js' }).waitFor({ timeout: 60_000 });
    const tfjsSeconds = (performance.now() - started) / 1000;
    expect(await page.getByTestId('export-parity').getAttribute('data-ok')).toBe('true');
    const tfjsDiff = Number(await page.getByTestId('parity-max-diff').textContent());
    expect(await page.getByTestId('export-files').locator('li').allTextContents()).toEqual(
      expect.arrayContaining(['model.json', 'weights.bin', 'labels.txt', 'predict.mjs']),
    );

    // A folder with something in it is refused, worded in the page
    const busy = path.join(dataDir, 'exports', 'busy');
    fs.mkdirSync(busy, { recursive: true });
    fs.writeFileSync(path.join(busy, 'notes.txt'), 'mine');
    await form.getByLabel('Output folder').fill(busy);
    await form.getByRole('button', { name: 'Export', exact: true }).click();
    const alert = page.locator('.export-error');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(`${busy} is not empty. Choose a new or empty folder.`);
    expect(await alert.getAttribute('data-code')).toBe('dir-not-empty');
    expect(fs.readdirSync(busy)).toEqual(['notes.txt']);

    // The exported files in onnxruntime-web and tfjs against the app's own predictions on held-out images
    const images = heldOutImages();
    const predicted = await services.prediction.predictFiles({ projectId }, images, { topK: 10 });
    const labels = fs.readFileSync(path.join(onnxDir, 'labels.txt'), 'utf8').trimEnd().split('\n');
    expect(labels).toHaveLength(10);
    const appProbs = predicted.map((p) => {
      if (!('top' in p)) throw new Error(`the app could not predict ${p.file}`);
      const row = new Float32Array(labels.length);
      for (const t of p.top) row[labels.indexOf(t.label)] = t.probability;
      return row;
    });
    const x = new Float32Array(images.length * 28 * 28);
    for (const [n, f] of images.entries()) {
      const t = await preprocessImage(fs.readFileSync(f), 28, 'gray');
      for (let i = 0; i < t.length; i++) x[n * 784 + i] = t[i] / 255;
    }
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.wasmPaths = path.dirname(createRequire(__filename).resolve('onnxruntime-web')) + path.sep;
    const session = await ort.InferenceSession.create(fs.readFileSync(path.join(onnxDir, 'model.onnx')));
    const onnxOut = (await session.run({ image: new ort.Tensor('float32', x, [images.length, 1, 28, 28]) }))
      .probabilities.data as Float32Array;
    await session.release();
    await tf.setBackend('cpu');
    const tfModel = await tf.loadLayersModel(filesHandler(tfjsDir));
    const input = tf.tensor4d(x, [images.length, 28, 28, 1]); // one channel: NCHW and NHWC coincide
    const tfOut = (await (tfModel.predict(input) as tf.Tensor).data()) as Float32Array;
    const report: string[] = [];
    for (const [name, out] of [
      ['onnxruntime-web', onnxOut],
      ['tfjs', tfOut],
    ] as const) {
      let max = 0;
      appProbs.forEach((row, n) => {
        const theirs = out.subarray(n * 10, (n + 1) * 10);
        for (let k = 0; k < 10; k++) max = Math.max(max, Math.abs(theirs[k] - row[k]));
        expect(theirs.indexOf(Math.max(...theirs)), `${name} image ${n}`).toBe(row.indexOf(Math.max(...row)));
      });
      expect(max, name).toBeLessThanOrEqual(1e-4);
      report.push(
        `${name} vs the app on ${images.length} held-out images: max abs diff ${max.toExponential(2)}`,
      );
    }
    console.info(
      [
        `ONNX export from the page: ${onnxSeconds.toFixed(1)} s (parity ${onnxDiff.toExponential(2)})`,
        `TF.js export from the page: ${tfjsSeconds.toFixed(1)} s (parity ${tfjsDiff.toExponential(2)})`,
        ...report,
      ].join('\n'),
    );
  }, 240_000);

  it('shows the empty state without a trained model', async () => {
    const { page, services } = app();
    services.projects.create({ name: 'Empty', inputSize: 28, color: 'gray' });
    await page.reload();
    await page.getByRole('button', { name: 'Open Empty' }).click();
    await page.getByRole('tab', { name: 'Export' }).click();
    await page.getByRole('heading', { name: 'Nothing to export yet' }).waitFor();
    await page.getByRole('button', { name: 'Go to Train' }).click();
    await page.getByRole('tab', { name: 'Train', selected: true }).waitFor();
  });
});
