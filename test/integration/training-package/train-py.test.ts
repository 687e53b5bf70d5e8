/**
 * train.py of a training package (issue 15), run with Debian's python3-torch on a tiny package built by hand (three
 * learnable classes of 12×12 gray images): one process and `torchrun --standalone --nproc_per_node 2` (gloo on CPU)
 * write every output; model.cnnmodel is read by the app (readModelFile) and its weights give, in our core, exactly
 * eval.json's accuracy on the test split; model.onnx runs in onnxruntime-node like our forward; a run stopped after
 * epoch 1 and resumed ends exactly like one that was never stopped. Skipped with the reason without python3-torch.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { TRAINING_PACKAGE_VERSION, type TrainingPackageFile } from '../../../app/domain/training-package';
import type { EpochMetrics } from '../../../app/domain/training';
import { ModelProtoSchema } from '../../../main/services/export/onnx/gen/onnx_pb';
import { generateModelPy } from '../../../main/services/training-package/model-py';
import { argmaxRow, buildModel } from '../../../native-workers/cnn/model';
import { readModelFile, type ModelFileContents } from '../../../native-workers/cnn/model-file';
import { Rng } from '../../../native-workers/cnn/rng';
import { makeTempDir } from '../../support/temp-dir';
import { findPython } from '../../unit/export/find-python';

const probe = findPython(['torch', 'numpy']);
if (probe.reason) console.info(`train.py tests skipped: ${probe.reason} (python3-torch missing).`);
const PYTHON_DIR = path.join(__dirname, '../../../main/services/training-package/python');
const SIZE = 12;
const CLASSES = ['top', 'left', 'centre'];
const SPLIT_COUNTS = { train: 36, val: 12, test: 12 };

const spec: ModelSpec = {
  input: { height: SIZE, width: SIZE, channels: 1 },
  numClasses: 3,
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 },
    { type: 'dropout', rate: 0.1 },
    { type: 'dense', units: 3 },
  ],
};

/** A 12×12 image of class c: a bright top half, left half or centre square on a dark, noisy background. */
function image(c: number, rng: Rng): Uint8Array {
  const px = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const on =
        c === 0 ? y < SIZE / 2 : c === 1 ? x < SIZE / 2 : Math.abs(y - 5.5) < 3 && Math.abs(x - 5.5) < 3;
      px[y * SIZE + x] = Math.round((on ? 170 : 40) + rng.uniform() * 60);
    }
  return px;
}

interface Row {
  split: 'train' | 'val' | 'test';
  label: number;
  pixels: Uint8Array;
}

function makeRows(): Row[] {
  const rng = new Rng(42);
  const rows: Row[] = [];
  for (const split of ['train', 'val', 'test'] as const)
    for (let i = 0; i < SPLIT_COUNTS[split]; i++)
      rows.push({ split, label: i % 3, pixels: image(i % 3, rng) });
  return rows;
}

function packageFile(schedule: TrainingPackageFile['training']['schedule']): TrainingPackageFile {
  return {
    format: 'cnn-studio-training-package',
    version: TRAINING_PACKAGE_VERSION,
    appVersion: '0.0.0-test',
    createdAt: new Date().toISOString(),
    project: { id: 'p1', name: 'Shapes' },
    source: { kind: 'run', runId: 'r1', runName: 'run 1' },
    modelName: 'custom',
    spec,
    classNames: CLASSES,
    settings: {
      model: { kind: 'custom', layers: spec.layers.slice(0, -1) },
      epochs: 2,
      batchSize: 8,
      optimizer: 'adam',
      learningRate: 0.01,
      momentum: 0.9,
      weightDecay: 0.001,
      schedule: schedule.type,
      stepEvery: 10,
      stepGamma: 0.1,
      warmupEpochs: 0,
      patience: 0,
      seed: 3,
      augmentation: { flip: true, shift: 1, brightness: 0.05, contrast: 0.1 },
      workers: null,
    },
    training: {
      epochs: 2,
      batchSize: 8,
      learningRate: 0.01,
      optimizer: { type: 'adam', weightDecay: 0.001 },
      schedule,
      warmupSteps: 2,
      clipGradNorm: 5,
      augmentation: { flipHorizontal: true, maxShift: 1, brightness: 0.05, contrast: 0.1 },
      seed: 3,
      patience: 0,
    },
    dataset: {
      manifest: 'dataset/manifest.csv',
      tensors: 'dataset/tensors.u8',
      input: { height: SIZE, width: SIZE, channels: 1 },
      counts: SPLIT_COUNTS,
    },
  };
}

function writePackage(dir: string, rows: Row[], schedule: TrainingPackageFile['training']['schedule']): void {
  fs.mkdirSync(path.join(dir, 'dataset'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'training.json'), JSON.stringify(packageFile(schedule), null, 2));
  fs.writeFileSync(path.join(dir, 'model.py'), generateModelPy(spec, { appVersion: '0.0.0-test' }));
  for (const f of ['train.py', 'cnnstudio_package.py', 'requirements.txt'])
    fs.copyFileSync(path.join(PYTHON_DIR, f), path.join(dir, f));
  const manifest = rows.map(
    (r, i) => `${r.split}/${CLASSES[r.label]}/img-${i}.png,${CLASSES[r.label]},${r.split},${'0'.repeat(64)}`,
  );
  fs.writeFileSync(
    path.join(dir, 'dataset/manifest.csv'),
    ['file,label,split,sha256', ...manifest].join('\n') + '\n',
  );
  fs.writeFileSync(path.join(dir, 'dataset/tensors.u8'), Buffer.concat(rows.map((r) => r.pixels)));
}

function train(dir: string, args: string[], torchrun = false): string {
  const argv = torchrun
    ? // --redirects 1 --tee 1: torchrun of torch 1.13 under Python 3.11 (Debian 12) fails on its default "0"
      [
        '-m',
        'torch.distributed.run',
        '--standalone',
        '--nproc_per_node',
        '2',
        '--redirects',
        '1',
        '--tee',
        '1',
        'train.py',
        ...args,
      ]
    : ['train.py', ...args];
  return execFileSync(probe.python!, argv, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // a synchronous child blocks vitest's own timeouts: once, torch 1.13's rank 0 spun in its last gloo barrier
    // after rank 1 had gone, for 13 minutes of a CI run; fail such a run instead of hanging the suite
    timeout: 150_000,
    killSignal: 'SIGKILL',
  });
}

const readJsonLines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as EpochMetrics);

/** Our core's accuracy and probabilities on the rows of a split with a model file's weights. */
function ours(contents: ModelFileContents, rows: Row[]) {
  const n = rows.length;
  const model = buildModel(contents.spec, { seed: 1, batchSize: n, skipInit: true });
  model.loadParams(contents.params, contents.state);
  const x = new Float32Array(n * SIZE * SIZE);
  rows.forEach((r, i) => r.pixels.forEach((v, k) => (x[i * SIZE * SIZE + k] = v / 255)));
  const probs = model.predict(x).slice();
  let correct = 0;
  rows.forEach((r, i) => (correct += argmaxRow(probs, i, 3) === r.label ? 1 : 0));
  return { x, probs, correct };
}

describe.skipIf(!probe.python)('train.py (PyTorch DDP on CPU)', () => {
  const tmp = makeTempDir('cnn-train-py-');
  const rows = makeRows();
  const test = rows.filter((r) => r.split === 'test');
  const single = path.join(tmp.dir, 'single');
  const ddp = path.join(tmp.dir, 'ddp');
  const logs: Record<string, string> = {};
  beforeAll(() => {
    writePackage(single, rows, { type: 'cosine', minLr: 0.001 });
    writePackage(ddp, rows, { type: 'cosine', minLr: 0.001 });
    logs.single = train(single, []);
    logs.ddp = train(ddp, ['--epochs', '2'], true);
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it.each([
    ['one process', 'single'],
    ['torchrun, 2 processes', 'ddp'],
  ])(
    '%s: metrics.jsonl, eval.json and a model.cnnmodel that gives eval.json accuracy in our core',
    (_n, key) => {
      const dir = key === 'single' ? single : ddp;
      const out = path.join(dir, 'output');
      const metrics = readJsonLines(path.join(out, 'metrics.jsonl'));
      expect(metrics.map((m) => m.epoch)).toEqual([1, 2]);
      for (const m of metrics) {
        for (const k of [
          'trainLoss',
          'trainAccuracy',
          'valLoss',
          'valAccuracy',
          'seconds',
          'imagesPerSecond',
          'learningRate',
        ] as const) {
          expect(typeof m[k], k).toBe('number');
          expect(Number.isFinite(m[k]), k).toBe(true);
        }
        expect(m.valAccuracy).toBeGreaterThanOrEqual(0);
        expect(m.valAccuracy).toBeLessThanOrEqual(1);
      }
      // cosine from 0.01 towards 0.001 over 10 steps (5 per epoch at a global batch of 8)
      expect(metrics[0].learningRate).toBeLessThan(0.01);
      expect(metrics[1].learningRate).toBeCloseTo(0.001 + 0.009 * 0.5 * (1 + Math.cos((Math.PI * 7) / 8)), 6);
      const evalJson = JSON.parse(fs.readFileSync(path.join(out, 'eval.json'), 'utf8'));
      expect(Object.keys(evalJson).sort()).toEqual(['accuracy', 'count', 'loss', 'split']);
      expect(evalJson.split).toBe('test');
      expect(evalJson.count).toBe(12);
      const contents = readModelFile(new Uint8Array(fs.readFileSync(path.join(out, 'model.cnnmodel'))));
      expect(contents.source).toBe('cnnmodel');
      expect(contents.spec).toEqual(spec);
      expect(contents.meta.labels).toEqual(CLASSES);
      expect(contents.meta.run).toEqual({ id: 'r1', name: 'run 1', project: 'Shapes' });
      expect(contents.meta.appVersion).toMatch(/^0\.0\.0-test \(PyTorch \d/);
      expect(contents.meta.metrics).toMatchObject({ epochs: 2, bestEpoch: 2 });
      expect(contents.meta.metrics.accuracy.test).toBe(evalJson.accuracy);
      expect(contents.meta.metrics.accuracy.val).toBe(metrics[1].valAccuracy);
      const { correct } = ours(contents, test);
      expect(correct).toBe(Math.round(evalJson.accuracy * evalJson.count));
      expect(correct / test.length).toBe(evalJson.accuracy);
      expect(logs[key]).toContain('epoch 2/2');
    },
  );

  it('learns the three shapes in two epochs', () => {
    const evalJson = JSON.parse(fs.readFileSync(path.join(single, 'output/eval.json'), 'utf8'));
    expect(evalJson.accuracy).toBeGreaterThan(0.5);
  });

  it('model.onnx: opset 13, "image" → "probabilities", batch norm kept, and onnxruntime-node agrees with our forward', async () => {
    const out = path.join(single, 'output');
    const bytes = new Uint8Array(fs.readFileSync(path.join(out, 'model.onnx')));
    const proto = fromBinary(ModelProtoSchema, bytes);
    expect(proto.opsetImport.find((o) => o.domain === '')?.version).toBe(13n);
    expect(proto.graph!.node.map((n) => n.opType)).toEqual([
      'Conv',
      'BatchNormalization',
      'Relu',
      'MaxPool',
      'Flatten',
      'Gemm',
      'Softmax',
    ]);
    expect(proto.graph!.input.map((i) => i.name)).toEqual(['image']);
    expect(proto.graph!.output.map((o) => o.name)).toEqual(['probabilities']);
    const metadata = Object.fromEntries(proto.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(metadata.labels)).toEqual(CLASSES);
    const contents = readModelFile(new Uint8Array(fs.readFileSync(path.join(out, 'model.cnnmodel'))));
    const { x, probs } = ours(contents, test);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(bytes);
    const result = await session.run({ image: new ort.Tensor('float32', x, [test.length, 1, SIZE, SIZE]) });
    const theirs = result.probabilities.data as Float32Array;
    expect(theirs.length).toBe(probs.length);
    let maxDiff = 0;
    for (let i = 0; i < probs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(theirs[i] - probs[i]));
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
    await session.release();
  });

  it('--resume after epoch 1 continues at epoch 2 and ends exactly like an uninterrupted run', () => {
    const straight = path.join(tmp.dir, 'straight');
    const resumed = path.join(tmp.dir, 'resumed');
    // a constant schedule: --epochs 1 then 2 must not change the learning rates of epoch 1
    writePackage(straight, rows, { type: 'constant' });
    writePackage(resumed, rows, { type: 'constant' });
    train(straight, []);
    train(resumed, ['--epochs', '1']);
    expect(readJsonLines(path.join(resumed, 'output/metrics.jsonl')).map((m) => m.epoch)).toEqual([1]);
    const log = train(resumed, ['--resume', '--epochs', '2']);
    expect(log).toContain('after epoch 1');
    expect(log).not.toContain('epoch 1/2');
    const a = readJsonLines(path.join(straight, 'output/metrics.jsonl'));
    const b = readJsonLines(path.join(resumed, 'output/metrics.jsonl'));
    expect(b.map((m) => m.epoch)).toEqual([1, 2]);
    const pick = (m: EpochMetrics) => [
      m.trainLoss,
      m.trainAccuracy,
      m.valLoss,
      m.valAccuracy,
      m.learningRate,
    ];
    expect(b.map(pick)).toEqual(a.map(pick));
    const weights = (dir: string) =>
      readModelFile(new Uint8Array(fs.readFileSync(path.join(dir, 'output/model.cnnmodel')))).params;
    expect(weights(resumed)).toEqual(weights(straight));
  }, 60_000);

  it('--from-images decodes the PNG files (lossless, same size: the same pixels, so the same run) and takes images added to a class folder', async () => {
    // compares with the uninterrupted run of the test above
    const dir = path.join(tmp.dir, 'images');
    writePackage(dir, rows, { type: 'constant' });
    const sharp = (await import('sharp')).default;
    const png = (pixels: Uint8Array) =>
      sharp(Buffer.from(pixels), { raw: { width: SIZE, height: SIZE, channels: 1 } })
        .png()
        .toBuffer();
    for (const [i, r] of rows.entries()) {
      const file = path.join(dir, 'dataset', r.split, CLASSES[r.label], `img-${i}.png`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, await png(r.pixels));
    }
    fs.writeFileSync(
      path.join(dir, 'dataset/test/left/added-on-the-cluster.png'),
      await png(image(1, new Rng(9))),
    );
    const log = train(dir, ['--from-images']);
    expect(log).toContain('36 training, 12 validation, 13 test images');
    const pick = (m: EpochMetrics) => [m.trainLoss, m.trainAccuracy, m.valLoss, m.valAccuracy];
    expect(readJsonLines(path.join(dir, 'output/metrics.jsonl')).map(pick)).toEqual(
      readJsonLines(path.join(tmp.dir, 'straight', 'output/metrics.jsonl')).map(pick),
    );
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'output/eval.json'), 'utf8')).count).toBe(13);
  }, 60_000);

  it('early stopping (--patience) keeps the best epoch: model.cnnmodel and eval.json are its weights', () => {
    const dir = path.join(tmp.dir, 'patience');
    writePackage(dir, rows, { type: 'constant' });
    // a learning rate this large makes the validation loss go up and down
    train(dir, ['--epochs', '6', '--patience', '1', '--lr', '0.3']);
    const metrics = readJsonLines(path.join(dir, 'output/metrics.jsonl'));
    const losses = metrics.map((m) => m.valLoss!);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    const contents = readModelFile(new Uint8Array(fs.readFileSync(path.join(dir, 'output/model.cnnmodel'))));
    expect(contents.meta.metrics.bestEpoch).toBe(best);
    expect(contents.meta.metrics.epochs).toBe(metrics.length);
    expect(contents.meta.metrics.accuracy.val).toBe(metrics[best - 1].valAccuracy);
    // stopped one epoch after the best: the weights kept are not the last epoch's
    expect(metrics.length).toBeLessThan(6);
    expect(metrics.length).toBe(best + 1);
    const evalJson = JSON.parse(fs.readFileSync(path.join(dir, 'output/eval.json'), 'utf8'));
    expect(ours(contents, test).correct).toBe(Math.round(evalJson.accuracy * evalJson.count));
  }, 60_000);

  it('refuses a training.json of a newer version with a clear message', () => {
    const dir = path.join(tmp.dir, 'newer');
    writePackage(dir, rows.slice(0, 6), { type: 'constant' });
    const file = JSON.parse(fs.readFileSync(path.join(dir, 'training.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'training.json'), JSON.stringify({ ...file, version: 2 }));
    expect(() => train(dir, [])).toThrow(
      /training\.json is version 2, newer than this train\.py reads \(1\)/,
    );
    expect(fs.existsSync(path.join(dir, 'output', 'model.cnnmodel'))).toBe(false);
  });
});
