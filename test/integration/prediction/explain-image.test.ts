/**
 * explainImage through a real inference worker (out/workers: `node scripts/build-node.mjs` first) over a model
 * trained here for a few seconds on Fashion-MNIST PNGs and written as a `.cnnmodel`: the explanation agrees with the
 * batch prediction, its map has the target layer's shape and lies in [0, 1], and it equals the core's own Grad-CAM
 * on the same model (the worker's fast kernels against the reference ones).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { AppFailure } from '../../../app/ipc/result';
import { preprocessImage } from '../../../main/services/dataset/decode';
import { explainImage } from '../../../main/services/prediction/explain-image';
import { InferenceClient } from '../../../main/services/prediction/inference-client';
import { predictFiles } from '../../../main/services/prediction/predict-files';
import { gradCam, gradCamLayer } from '../../../native-workers/cnn/explain/grad-cam';
import { buildModel, type Model } from '../../../native-workers/cnn/model';
import { preprocessingFor, writeModelFile } from '../../../native-workers/cnn/model-file';
import { presetSpec, presetTrainingConfig } from '../../../native-workers/cnn/presets';
import { bytesToFloats } from '../../../native-workers/cnn/train/dataset';
import { Trainer } from '../../../native-workers/cnn/train/trainer';
import { makeTempDir } from '../../support/temp-dir';
import { FASHION_SMALL } from '../../unit/dataset/fixtures';

const WORKERS = path.resolve(__dirname, '../../../out/workers');
const CLASSES = ['Bag', 'Sneaker', 'Trouser', 'Dress', 'Coat', 'Sandal'];

const files = (split: string, cls: string, n: number) =>
  fs
    .readdirSync(path.join(FASHION_SMALL, split, cls))
    .sort()
    .slice(0, n)
    .map((f) => path.join(FASHION_SMALL, split, cls, f));

/** The `small` preset at 28 px gray, trained for 2 epochs on 20 images per class. */
async function trainedModel(): Promise<{ spec: ModelSpec; model: Model }> {
  const spec = presetSpec('small', { height: 28, width: 28, channels: 1 }, CLASSES.length);
  const train = CLASSES.flatMap((cls, label) => files('train', cls, 20).map((file) => ({ file, label })));
  const images = new Uint8Array(train.length * 784);
  for (const [i, t] of train.entries())
    images.set(await preprocessImage(fs.readFileSync(t.file), 28, 'gray'), i * 784);
  const config = { ...presetTrainingConfig('small', 3), epochs: 2, batchSize: 20 };
  const model = buildModel(spec, { seed: 3, batchSize: 20 });
  const dataset = {
    images,
    labels: Int32Array.from(train, (t) => t.label),
    count: train.length,
    channels: 1,
    height: 28,
    width: 28,
  };
  new Trainer({ model, train: dataset, config }).run();
  return { spec, model };
}

function writeCnnModel(file: string, spec: ModelSpec, model: Model, labels: string[]): void {
  const meta = {
    kind: 'cnnmodel' as const,
    version: 1 as const,
    labels,
    preprocessing: preprocessingFor(spec),
    metrics: { accuracy: { train: null, val: null, test: null }, epochs: 2, bestEpoch: null },
    appVersion: '0.0.0-test',
    run: null,
    createdAt: new Date().toISOString(),
  };
  fs.writeFileSync(file, writeModelFile({ spec, params: model.params, state: model.state }, meta));
}

describe('explainImage (inference worker, Grad-CAM)', () => {
  let temp: { dir: string; cleanup: () => void };
  let client: InferenceClient;
  let model: Model;
  const tests = CLASSES.map((cls) => files('test', cls, 1)[0]);

  beforeAll(async () => {
    temp = makeTempDir('cnn-explain-');
    const trained = await trainedModel();
    model = trained.model;
    const modelFile = path.join(temp.dir, 'model.cnnmodel');
    writeCnnModel(modelFile, trained.spec, model, CLASSES);
    client = await InferenceClient.open(WORKERS, modelFile);
  });
  afterAll(async () => {
    await client?.close();
    temp?.cleanup();
  });

  it('agrees with the batch prediction; the map has the target layer’s shape and lies in [0, 1]', async () => {
    const batch = await predictFiles(client, tests, { topK: CLASSES.length });
    const layer = gradCamLayer(model);
    expect(model.plans[layer].spec.type).toBe('relu');
    const [, H, W] = model.plans[layer].outShape;
    expect([H, W]).toEqual([7, 7]);
    for (const [i, file] of tests.entries()) {
      const e = await explainImage(client, file, { topK: 3 });
      const p = batch[i];
      if (!('top' in p)) throw new Error(`batch prediction failed: ${JSON.stringify(p)}`);
      expect(e.file).toBe(file);
      expect(e.top).toHaveLength(3);
      expect(e.top[0].label).toBe(p.top[0].label);
      for (const t of e.top) {
        const same = p.top.find((q) => q.label === t.label);
        expect(Math.abs(t.probability - (same?.probability ?? -1))).toBeLessThan(1e-5);
      }
      expect(e.heatmap).toMatchObject({ width: W, height: H, layerIndex: layer, label: e.top[0].label });
      expect(e.heatmap.values).toHaveLength(H * W);
      expect(e.heatmap.values.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect([0, 1]).toContain(Math.max(...e.heatmap.values));
      expect([e.width, e.height]).toEqual([28, 28]);
      expect(e.thumbnail).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/]+=*$/);
      const thumb = await sharp(Buffer.from(e.thumbnail.split(',')[1], 'base64')).metadata();
      expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 28, 28]);
      expect(e.millis.decode).toBeGreaterThan(0);
      expect(e.millis.network).toBeGreaterThan(0);
    }
  });

  it('explains any class asked for, as the core computes it', async () => {
    const file = tests[0];
    const x = new Float32Array(784);
    bytesToFloats(await preprocessImage(fs.readFileSync(file), 28, 'gray'), 0, 784, x);
    for (const [c, label] of CLASSES.entries()) {
      const e = await explainImage(client, file, { topK: 1, label });
      expect(e.heatmap.label).toBe(label);
      const own = gradCam(model, x, { classIndex: c });
      // the worker runs the fast kernels, the test the reference ones: float32 rounding differences only
      own.values.forEach((v, i) => expect(Math.abs(e.heatmap.values[i] - v)).toBeLessThan(2e-3));
    }
  });

  it('fails with a reason: unknown label, missing, broken and non-image files', async () => {
    const expectFailure = async (p: Promise<unknown>, code: string, detailCode?: string) => {
      const error = await p.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppFailure);
      expect((error as AppFailure).code).toBe(code);
      if (detailCode) expect((error as AppFailure).details).toMatchObject({ code: detailCode });
    };
    await expectFailure(explainImage(client, tests[0], { topK: 3, label: 'Cat' }), 'invalid-payload');
    const missing = path.join(temp.dir, 'missing.png');
    await expectFailure(explainImage(client, missing, { topK: 3 }), 'not-found', 'not-found');
    const broken = path.join(temp.dir, 'broken.png');
    const png = fs.readFileSync(tests[2]);
    fs.writeFileSync(broken, png.subarray(0, Math.floor(png.length / 2))); // a real PNG, cut short
    await expectFailure(explainImage(client, broken, { topK: 3 }), 'invalid-payload', 'decode-failed');
    const text = path.join(temp.dir, 'notes.png');
    fs.writeFileSync(text, 'just some text, not an image');
    await expectFailure(explainImage(client, text, { topK: 3 }), 'invalid-payload', 'not-an-image');
    await expectFailure(explainImage(client, temp.dir, { topK: 3 }), 'invalid-payload', 'unreadable');
    // the worker keeps serving
    expect((await explainImage(client, tests[1], { topK: 1 })).top).toHaveLength(1);
  });

  it('previews large photos centre-cropped like the network input, EXIF orientation applied', async () => {
    const photo = path.join(temp.dir, 'rotated.jpg');
    // 600×400 stored, EXIF orientation 6 (rotate 90° clockwise): shown 400×600
    await sharp({ create: { width: 600, height: 400, channels: 3, background: '#3366cc' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toFile(photo);
    const e = await explainImage(client, photo, { topK: 2 });
    expect([e.width, e.height]).toEqual([400, 600]);
    const thumb = await sharp(Buffer.from(e.thumbnail.split(',')[1], 'base64')).metadata();
    expect([thumb.width, thumb.height]).toEqual([256, 256]);
  });
});
