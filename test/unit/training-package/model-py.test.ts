/**
 * The generated model.py (issue 15) against the CNN core: for every preset at a gray 28 px and an RGB 96 px input and
 * for specs with stride, asymmetric 'same' padding, numeric padding and every layer type, the app's weights (random
 * init, batch norm parameters and running statistics far from 1/0) are loaded into the PyTorch module with
 * load_flat and its eval-mode logits compared with the core's inference forward (max abs diff ≤ 1e-4); parameter
 * counts must equal the core's layout; train.py's ONNX export of each runs in onnxruntime-node like our predict, with
 * only the documented ops. init_parameters must follow the app's scheme, layer by layer, in both modes.
 * Needs Debian's python3-torch (skipped with the reason where it is missing).
 */
import { fromBinary } from '@bufbuild/protobuf';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { ModelProtoSchema } from '../../../main/services/export/onnx/gen/onnx_pb';
import { generateModelPy } from '../../../main/services/training-package/model-py';
import { buildModel, type Model } from '../../../native-workers/cnn/model';
import { presetSpec, type PresetName } from '../../../native-workers/cnn/presets';
import { Rng } from '../../../native-workers/cnn/rng';
import { makeTempDir } from '../../support/temp-dir';
import { findPython } from '../export/find-python';

const probe = findPython(['torch', 'numpy']);
if (probe.reason)
  console.info(`model.py tests against PyTorch skipped: ${probe.reason} (python3-torch missing).`);

const BATCH = 3;
/** The ONNX ops train.py's export may write (what an importer of its model.onnx must read). */
const ONNX_OPS = [
  'Constant', // the pads of a Pad, the shape of a Reshape
  'Pad', // uneven 'same' padding, before its Conv
  'Conv',
  'BatchNormalization', // on 4-D, and on 2-D after a dense layer
  'Relu',
  'LeakyRelu',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'Flatten',
  'Gemm',
  'Reshape', // back to [N, units, 1, 1] for a 4-D layer after a dense one
  'Softmax',
];
const gray28 = { height: 28, width: 28, channels: 1 };
const rgb96 = { height: 96, width: 96, channels: 3 };

const presetCases: [string, ModelSpec][] = (
  ['reference', 'small', 'medium', 'large'] as PresetName[]
).flatMap((name) => [
  [`${name} gray 28`, presetSpec(name, gray28, 10)] as [string, ModelSpec],
  [`${name} rgb 96`, presetSpec(name, rgb96, 5)] as [string, ModelSpec],
]);

const customCases: [string, ModelSpec][] = [
  [
    'stride-2 4×4 same on an odd input, leaky ReLU, avg pool, dense → batch norm 1d → conv after dense, global pool',
    {
      input: { height: 15, width: 15, channels: 3 },
      numClasses: 3,
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 4, stride: 2, padding: 'same' },
        { type: 'leakyRelu', alpha: 0.2 },
        { type: 'avgPool2d', size: 2 },
        { type: 'dense', units: 6 },
        { type: 'batchNorm', momentum: 0.3, epsilon: 1e-3 },
        { type: 'relu' },
        { type: 'conv2d', filters: 5, kernelSize: 1 },
        { type: 'globalAvgPool' },
        { type: 'dense', units: 3 },
      ],
    },
  ],
  [
    'non-square kernel and stride with same (uneven on one axis), batch norm 2d, overlapping max pool, flatten, dropout, dense → dense',
    {
      input: { height: 13, width: 11, channels: 2 },
      numClasses: 4,
      layers: [
        { type: 'conv2d', filters: 6, kernelSize: [3, 2], stride: [2, 1], padding: 'same' },
        { type: 'batchNorm' },
        { type: 'relu' },
        { type: 'maxPool2d', size: 3, stride: 1 },
        { type: 'flatten' },
        { type: 'dropout', rate: 0.5 },
        { type: 'dense', units: 12 },
        { type: 'leakyRelu' },
        { type: 'dense', units: 7 },
        { type: 'dense', units: 4 },
      ],
    },
  ],
  [
    'numeric padding with stride 2, batch norm after flatten, avg pool with stride, a pool after dense',
    {
      input: { height: 12, width: 12, channels: 1 },
      numClasses: 3,
      layers: [
        { type: 'conv2d', filters: 5, kernelSize: 3, stride: 2, padding: 2 },
        { type: 'relu' },
        { type: 'avgPool2d', size: 3, stride: 2 },
        { type: 'flatten' },
        { type: 'batchNorm' },
        { type: 'dense', units: 8 },
        { type: 'maxPool2d', size: 1 },
        { type: 'dense', units: 3 },
      ],
    },
  ],
  [
    '2×2 same on an even input (one zero below/right), valid conv, fan-in-uniform init',
    {
      input: { height: 10, width: 10, channels: 3 },
      numClasses: 2,
      init: 'fan-in-uniform',
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 2, padding: 'same' },
        { type: 'batchNorm' },
        { type: 'relu' },
        { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'valid' },
        { type: 'dense', units: 2 },
      ],
    },
  ],
];

/** The core's model with random weights and batch norm parameters / statistics far from 1, 0 and 0, 1. */
function appModel(spec: ModelSpec, seed: number): Model {
  const model = buildModel(spec, { seed, batchSize: BATCH });
  const rng = new Rng(seed + 100);
  model.plans.forEach((p, i) => {
    const o = model.layout.stateOffsets[i];
    if (o < 0) return;
    const C = p.inShape[0];
    const gamma = model.param(i, 'gamma');
    const beta = model.param(i, 'beta');
    for (let c = 0; c < C; c++) {
      model.state[o + c] = (rng.uniform() - 0.5) * 0.6;
      model.state[o + C + c] = 0.3 + rng.uniform() * 1.5;
      gamma[c] = 0.5 + rng.uniform();
      beta[c] = (rng.uniform() - 0.5) * 0.4;
    }
  });
  model.paramsChanged();
  return model;
}

const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const readF32 = (file: string) => {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

interface Stats {
  mean: number;
  std: number;
  maxAbs: number;
  min: number;
  max: number;
}
type InitReport = Record<string, { weight: Stats; bias: Stats; runningMean?: Stats; runningVar?: Stats }> & {
  _sameSeedEqual: boolean;
  _otherSeedEqual: boolean;
};
interface DriverResult {
  cases: { count: number; flatParamsEqual: boolean; flatStateEqual: boolean }[];
  inits: InitReport[];
}

const initSpecs: [string, ModelSpec][] = [
  [
    'he',
    {
      input: { height: 16, width: 16, channels: 8 },
      numClasses: 10,
      layers: [
        { type: 'conv2d', filters: 64, kernelSize: 3, padding: 'same' },
        { type: 'batchNorm' },
        { type: 'relu' },
        { type: 'conv2d', filters: 64, kernelSize: 3, stride: 2, padding: 'same' },
        { type: 'maxPool2d', size: 2 },
        { type: 'leakyRelu', alpha: 0.3 },
        { type: 'dense', units: 256 },
        { type: 'dropout', rate: 0.2 },
        { type: 'relu' },
        { type: 'dense', units: 10 },
      ],
    },
  ],
];
initSpecs.push(['fan-in-uniform', { ...initSpecs[0][1], init: 'fan-in-uniform' }]);

/** The learned layers of a spec, in order, with the module names model.py gives them. */
function learnedLayers(spec: ModelSpec): { name: string; index: number }[] {
  return spec.layers.flatMap((l, i) =>
    l.type === 'conv2d'
      ? [{ name: `conv${i}`, index: i }]
      : l.type === 'dense'
        ? [{ name: `dense${i}`, index: i }]
        : l.type === 'batchNorm'
          ? [{ name: `bn${i}`, index: i }]
          : [],
  );
}

function statsOf(a: Float32Array): Stats {
  let sum = 0;
  for (const v of a) sum += v;
  const mean = sum / a.length;
  let sq = 0;
  for (const v of a) sq += (v - mean) ** 2;
  let [maxAbs, min, max] = [0, Infinity, -Infinity];
  for (const v of a) [maxAbs, min, max] = [Math.max(maxAbs, Math.abs(v)), Math.min(min, v), Math.max(max, v)];
  return { mean, std: Math.sqrt(sq / a.length), maxAbs, min, max };
}

describe.skipIf(!probe.python)('generated model.py against the CNN core (PyTorch)', () => {
  const tmp = makeTempDir('cnn-model-py-');
  afterAll(() => tmp.cleanup());
  const all = [...presetCases, ...customCases];
  const models = all.map(([, spec], i) => appModel(spec, 11 + i));
  const inputs = all.map(([, spec], i) => {
    const rng = new Rng(500 + i);
    const x = new Float32Array(BATCH * spec.input.channels * spec.input.height * spec.input.width);
    for (let k = 0; k < x.length; k++) x[k] = rng.uniform();
    return x;
  });
  let result: DriverResult | null = null;
  const run = (): DriverResult => {
    if (result) return result;
    const job = {
      package: path.join(__dirname, '../../../main/services/training-package/python'),
      cases: all.map(([, spec], i) => {
        const dir = path.join(tmp.dir, `case-${i}`);
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'model.py'), generateModelPy(spec, { appVersion: '0.0.0-test' }));
        fs.writeFileSync(path.join(dir, 'params.f32'), f32(models[i].params));
        fs.writeFileSync(path.join(dir, 'state.f32'), f32(models[i].state));
        fs.writeFileSync(path.join(dir, 'x.f32'), f32(inputs[i]));
        return { dir, batch: BATCH };
      }),
      inits: initSpecs.map(([name, spec]) => {
        const dir = path.join(tmp.dir, `init-${name}`);
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'model.py'), generateModelPy(spec));
        return { dir, seed: 7 };
      }),
    };
    const jobFile = path.join(tmp.dir, 'job.json');
    fs.writeFileSync(jobFile, JSON.stringify(job));
    const out = execFileSync(probe.python!, [path.join(__dirname, 'model-py-driver.py'), jobFile], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    result = JSON.parse(out.trim().split('\n').pop()!) as DriverResult;
    return result;
  };

  it.each(all.map(([name], i) => [name, i] as const))(
    '%s: same logits (≤ 1e-4), parameter count and flat order',
    (_name, i) => {
      const r = run().cases[i];
      const model = models[i];
      expect(r.count).toBe(model.layout.paramCount);
      expect(r.flatParamsEqual).toBe(true);
      expect(r.flatStateEqual).toBe(true);
      const ours = model.forward(inputs[i], { training: false });
      const theirs = readF32(path.join(tmp.dir, `case-${i}`, 'logits.f32'));
      expect(theirs.length).toBe(ours.length);
      let maxDiff = 0;
      for (let k = 0; k < ours.length; k++) maxDiff = Math.max(maxDiff, Math.abs(ours[k] - theirs[k]));
      expect(maxDiff).toBeLessThanOrEqual(1e-4);
      // the logits are not trivially equal (e.g. all zeros)
      expect(statsOf(ours).std).toBeGreaterThan(1e-3);
    },
  );

  it.each(all.map(([name], i) => [name, i] as const))(
    "%s: train.py's ONNX export uses the documented ops and runs like our predict (onnxruntime-node)",
    async (_name, i) => {
      run();
      const bytes = new Uint8Array(fs.readFileSync(path.join(tmp.dir, `case-${i}`, 'model.onnx')));
      const graph = fromBinary(ModelProtoSchema, bytes).graph!;
      for (const node of graph.node) expect(ONNX_OPS).toContain(node.opType);
      expect(graph.node.at(-1)!.opType).toBe('Softmax');
      const spec = all[i][1];
      const ort = await import('onnxruntime-node');
      const session = await ort.InferenceSession.create(bytes);
      const { channels, height, width } = spec.input;
      const out = await session.run({
        image: new ort.Tensor('float32', inputs[i], [BATCH, channels, height, width]),
      });
      const theirs = out.probabilities.data as Float32Array;
      const ours = models[i].predict(inputs[i]);
      expect(theirs.length).toBe(ours.length);
      let maxDiff = 0;
      for (let k = 0; k < ours.length; k++) maxDiff = Math.max(maxDiff, Math.abs(ours[k] - theirs[k]));
      expect(maxDiff).toBeLessThanOrEqual(1e-4);
      await session.release();
    },
  );

  it.each(initSpecs.map(([name], i) => [name, i] as const))(
    "init_parameters follows the app's '%s' scheme layer by layer",
    (mode, i) => {
      const spec = initSpecs[i][1];
      const report = run().inits[i];
      expect(report._sameSeedEqual).toBe(true);
      expect(report._otherSeedEqual).toBe(false);
      const ours = buildModel(spec, { seed: 7, batchSize: 1 });
      for (const { name, index } of learnedLayers(spec)) {
        const r = report[name];
        const type = spec.layers[index].type;
        if (type === 'batchNorm') {
          expect([r.weight.min, r.weight.max, r.bias.min, r.bias.max]).toEqual([1, 1, 0, 0]);
          expect([r.runningMean!.maxAbs, r.runningVar!.min, r.runningVar!.max]).toEqual([0, 1, 1]);
          continue;
        }
        const weight = ours.param(index, 'weight');
        const bias = ours.param(index, 'bias');
        const app = statsOf(weight);
        const e = ours.layout.entries.find((x) => x.layerIndex === index && x.kind === 'weight')!;
        const fanIn = e.length / e.shape[0];
        const fanOut = e.length / e.shape[1];
        // the scheme's figure, which both our core and model.py must match
        let std: number;
        let bound: number | null;
        if (mode === 'fan-in-uniform') {
          bound = 1 / Math.sqrt(fanIn);
          std = bound / Math.sqrt(3);
          expect(r.bias.maxAbs).toBeLessThanOrEqual(bound);
          expect(r.bias.maxAbs).toBeGreaterThan(0);
        } else {
          const next = spec.layers
            .slice(index + 1)
            .find((l) => l.type !== 'batchNorm' && l.type !== 'maxPool2d' && l.type !== 'dropout');
          if (next?.type === 'relu' || next?.type === 'leakyRelu') {
            const slope = next.type === 'relu' ? 0 : (next.alpha ?? 0.01);
            std = Math.sqrt(2 / ((1 + slope * slope) * fanIn));
            bound = null;
          } else {
            bound = Math.sqrt(6 / (fanIn + fanOut));
            std = bound / Math.sqrt(3);
          }
          expect([r.bias.min, r.bias.max]).toEqual([0, 0]);
          expect(statsOf(bias).maxAbs).toBe(0);
        }
        for (const s of [r.weight, app]) {
          expect(Math.abs(s.std / std - 1)).toBeLessThan(0.06);
          expect(Math.abs(s.mean)).toBeLessThan(0.1 * std);
          if (bound !== null) {
            expect(s.maxAbs).toBeLessThanOrEqual(bound);
            expect(s.maxAbs).toBeGreaterThan(0.97 * bound);
          } else expect(s.maxAbs).toBeGreaterThan(3 * std); // a normal's tail, not a uniform's edge
        }
      }
    },
  );
});
