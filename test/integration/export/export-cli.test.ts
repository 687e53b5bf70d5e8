/**
 * `cnn-studio export`: a quick real run on the small Fashion-MNIST set, exported to ONNX; the files, the model
 * card and the parity check are checked, and model.onnx is loaded with onnxruntime-web and compared with the app's
 * own predictions on the project's validation tensors.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxClassifier } from '../../../native-workers/export/onnx-runtime';
import { argmaxRow, buildModel } from '../../../native-workers/cnn/model';
import { readModelFile } from '../../../native-workers/cnn/model-file';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';
import { SMALL_SET } from '../training/support';
import { loadTrainingTensors } from '../../../main/services/dataset/tensors';

describe('CLI: export', () => {
  let temp: { dir: string; cleanup: () => void };
  let data: string;
  let runId: string;
  let projectId: string;
  const cli = (...args: string[]) => runCliCaptured(data, ...args);

  beforeAll(async () => {
    temp = makeTempDir('cnn-export-cli-');
    data = path.join(temp.dir, 'data');
    const created = await cli('--json', 'project', 'create', 'Fashion', '--size', '28', '--color', 'gray');
    expect(created.code, created.err).toBe(0);
    projectId = created.json().id;
    expect((await cli('import', 'Fashion', path.join(SMALL_SET, 'train'))).code).toBe(0);
    const trained = await cli(
      'train',
      'Fashion',
      '--preset',
      'small',
      '--epochs',
      '2',
      '--workers',
      '2',
      '--seed',
      '7',
      '--json',
    );
    expect(trained.code, trained.err).toBe(0);
    runId = trained.json().runId;
  }, 300_000);
  afterAll(() => temp?.cleanup());

  it('writes model.onnx, labels.txt and the model card, and the parity check passes', async () => {
    const out = path.join(temp.dir, 'onnx');
    fs.mkdirSync(out); // an existing empty folder is fine
    const r = await cli('export', 'Fashion', '--format', 'onnx', '--out', out, '--json');
    expect(r.code, r.err).toBe(0);
    const result = r.json();
    expect(result.format).toBe('onnx');
    expect(result.dir).toBe(out);
    expect(result.runId).toBe(runId);
    expect([...result.files].sort()).toEqual([
      'README.md',
      'labels.txt',
      'model-card.json',
      'model.onnx',
      'predict.mjs',
      'predict.py',
    ]);
    expect(Object.keys(result).sort()).toEqual(['dir', 'files', 'format', 'parity', 'runId', 'runName']);
    expect(Object.keys(result.parity).sort()).toEqual([
      'batchSizes',
      'images',
      'maxAbsDiff',
      'ok',
      'source',
      'top1Agreement',
    ]);
    expect(result.parity.batchSizes).toEqual([1, 3, Math.min(32, result.parity.images)]);
    expect(fs.readdirSync(out).sort()).toEqual([...result.files].sort());
    expect(result.parity.ok).toBe(true);
    expect(result.parity.source).toBe('val');
    expect(result.parity.images).toBeGreaterThan(3);
    expect(result.parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(result.parity.top1Agreement).toBe(1);

    const weights = readModelFile(
      new Uint8Array(fs.readFileSync(path.join(data, 'projects', projectId, 'runs', runId, 'final.model'))),
    );
    const labels = fs.readFileSync(path.join(out, 'labels.txt'), 'utf8').trimEnd().split('\n');
    expect(labels).toEqual(weights.meta.labels);
    expect(labels).toHaveLength(weights.spec.numClasses);

    const card = JSON.parse(fs.readFileSync(path.join(out, 'model-card.json'), 'utf8'));
    expect(card.classes).toEqual(labels);
    expect(card.input).toMatchObject({
      name: 'image',
      layout: 'NCHW',
      shape: ['N', 1, 28, 28],
      range: [0, 1],
    });
    expect(card.preprocessing).toMatchObject({ inputSize: 28, color: 'gray', resize: 'cover-centre' });
    for (const split of ['val', 'test']) {
      const evaluated = await cli('evaluate', 'Fashion', '--split', split, '--json');
      expect(card.metrics.accuracy[split]).toBe(evaluated.json().accuracy);
    }
    expect(card.metrics.accuracy.train).toBeGreaterThan(0);
    expect(card.metrics.epochs).toBe(2);
    expect(card.training).toMatchObject({ epochs: 2, seed: 7, preset: 'small' });
    expect(card.dataset.images.train + card.dataset.images.val + card.dataset.images.test).toBe(500);
    expect(card.dataset.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof card.appVersion).toBe('string');
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(readme).toContain('## Preprocessing');
    expect(readme).toContain('python3 predict.py');
    expect(readme).toContain('node predict.mjs');
    for (const l of labels) expect(readme).toContain(l);

    // model.onnx in onnxruntime-web against the app's own model on every validation tensor
    const db = new Database(path.join(data, 'projects', projectId, 'project.sqlite'), { readonly: true });
    const val = loadTrainingTensors(db, { split: 'val' });
    db.close();
    expect(val.count).toBeGreaterThan(0);
    const x = Float32Array.from(val.images, (v) => v / 255);
    const model = buildModel(weights.spec, { seed: 0, batchSize: val.count, skipInit: true });
    model.loadParams(weights.params, weights.state);
    const ours = model.predict(x).slice();
    const onnx = await loadOnnxClassifier(new Uint8Array(fs.readFileSync(path.join(out, 'model.onnx'))), {
      channels: 1,
      height: 28,
      width: 28,
    });
    try {
      const K = labels.length;
      for (const n of [1, 3, Math.min(32, val.count), val.count]) {
        const theirs = await onnx.run(x, n);
        let maxAbsDiff = 0;
        for (let i = 0; i < n * K; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(theirs[i] - ours[i]));
        expect(maxAbsDiff, `batch ${n}`).toBeLessThanOrEqual(1e-4);
        for (let i = 0; i < n; i++) expect(argmaxRow(theirs, i, K)).toBe(argmaxRow(ours, i, K));
      }
    } finally {
      await onnx.release();
    }
  });

  it('refuses a non-empty folder with exit code 1 and an unknown format with 2', async () => {
    const out = path.join(temp.dir, 'busy');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const r = await cli('export', 'Fashion', '--format', 'onnx', '--out', out, '--json');
    expect(r.code).toBe(1);
    expect(r.json().error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/not empty/) });
    expect(fs.readdirSync(out)).toEqual(['keep.txt']);
    const bad = await cli('export', 'Fashion', '--format', 'keras', '--out', path.join(temp.dir, 'k'));
    expect(bad.code).toBe(2);
  });

  it('exports the TF.js layers format, checked with tfjs', async () => {
    const out = path.join(temp.dir, 'tfjs');
    const r = await cli('export', 'Fashion', '--format', 'tfjs', '--out', out, '--json');
    expect(r.code, r.err).toBe(0);
    const result = r.json();
    expect([...result.files].sort()).toEqual([
      'README.md',
      'labels.txt',
      'model-card.json',
      'model.json',
      'predict.mjs',
      'weights.bin',
    ]);
    expect(result.parity.ok).toBe(true);
    expect(result.parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(result.parity.top1Agreement).toBe(1);
    const card = JSON.parse(fs.readFileSync(path.join(out, 'model-card.json'), 'utf8'));
    expect(card.input).toMatchObject({ layout: 'NHWC', shape: ['N', 28, 28, 1] });
  });

  it('exports the native format with --run', async () => {
    const out = path.join(temp.dir, 'native');
    const r = await cli('export', 'Fashion', '--run', runId, '--format', 'native', '--out', out, '--json');
    expect(r.code, r.err).toBe(0);
    const result = r.json();
    expect([...result.files].sort()).toEqual([
      'README.md',
      'labels.txt',
      'model-card.json',
      'model.cnnmodel',
    ]);
    expect(result.parity).toMatchObject({ ok: true, maxAbsDiff: 0, top1Agreement: 1 });
    const file = readModelFile(new Uint8Array(fs.readFileSync(path.join(out, 'model.cnnmodel'))));
    expect(file.source).toBe('cnnmodel');
    expect(file.meta.run?.id).toBe(runId);
  });
});
