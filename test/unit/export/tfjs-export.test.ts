import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayerSpec, ModelSpec } from '../../../app/domain/model-spec';
import { buildModel } from '../../../native-workers/cnn/model';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { Rng } from '../../../native-workers/cnn/rng';
import {
  exportTfjs,
  readTfjsFolder,
  tfjsIOHandler,
  writeTfjsFolder,
  type KerasLayerConfig,
} from '../../../main/services/export/tfjs/tfjs-export';
import { nchwToNhwc, tfjsParity } from '../../../main/services/export/tfjs/tfjs-parity';

/** A model with random weights, random batchnorm scale/shift and random (sane) running statistics. */
function randomModel(spec: ModelSpec, seed: number) {
  const model = buildModel(spec, { seed, batchSize: 1 });
  const rng = new Rng(seed + 1000);
  for (const e of model.layout.entries) {
    const v = model.params.subarray(e.offset, e.offset + e.length);
    if (e.kind === 'gamma') v.forEach((_, i) => (v[i] = 0.5 + rng.uniform()));
    if (e.kind === 'beta' || (e.kind === 'bias' && spec.init !== 'fan-in-uniform'))
      v.forEach((_, i) => (v[i] = 0.2 * rng.normal()));
  }
  model.plans.forEach((p, i) => {
    const o = model.layout.stateOffsets[i];
    if (o < 0) return;
    const C = p.inShape[0];
    for (let c = 0; c < C; c++) {
      model.state[o + c] = 0.3 * rng.normal(); // running mean
      model.state[o + C + c] = 0.3 + 1.5 * rng.uniform(); // running variance
    }
  });
  return { params: model.params.slice(), state: model.state.slice() };
}

function randomImages(spec: ModelSpec, count: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const { height, width, channels } = spec.input;
  return Float32Array.from({ length: count * height * width * channels }, () => rng.uniform());
}

const conv = (
  filters: number,
  kernelSize: number | [number, number],
  stride: number | [number, number],
  padding: 'same' | 'valid' | number,
): LayerSpec => ({ type: 'conv2d', filters, kernelSize, stride, padding });

/** Test models: together they use every layer type and every way a layer can meet the Keras tensor. */
const models: { name: string; spec: ModelSpec }[] = [
  {
    name: 'rgb 11×9: same (symmetric, odd total, stride 2), pools, flatten → dropout → dense → batchnorm',
    spec: {
      input: { height: 11, width: 9, channels: 3 },
      numClasses: 5,
      layers: [
        conv(4, 3, 1, 'same'), // symmetric: Keras 'same'
        { type: 'batchNorm' },
        { type: 'relu' },
        conv(5, [2, 3], 1, 'same'), // height: 1 zero, below only
        { type: 'leakyRelu', alpha: 0.2 },
        { type: 'maxPool2d', size: 2 }, // 5×4
        conv(6, 3, 2, 'same'), // height 5: pads 1/1, width 4: pads 0/1
        { type: 'avgPool2d', size: 2, stride: 1 }, // 2×1
        { type: 'flatten' },
        { type: 'dropout', rate: 0.3 },
        { type: 'dense', units: 16 },
        { type: 'batchNorm', momentum: 0.2, epsilon: 1e-3 },
        { type: 'relu' },
        { type: 'dense', units: 5 },
      ],
    },
  },
  {
    name: 'gray 12×10: valid, explicit padding with stride [2, 1], leaky ReLU, batchnorm, global pool',
    spec: {
      input: { height: 12, width: 10, channels: 1 },
      numClasses: 3,
      layers: [
        conv(4, 3, 1, 'valid'),
        { type: 'relu' },
        conv(6, 3, [2, 1], 2),
        { type: 'leakyRelu' },
        { type: 'batchNorm', momentum: 0.05 },
        { type: 'maxPool2d', size: [2, 3], stride: [2, 2] },
        { type: 'globalAvgPool' },
        { type: 'dense', units: 8 },
        { type: 'leakyRelu', alpha: 0.1 },
        { type: 'dropout', rate: 0.5 },
        { type: 'dense', units: 3 },
      ],
    },
  },
  {
    name: 'rgb 6×5: flatten → batchnorm → 1×1 conv on the vector → global pool → dense → dense',
    spec: {
      input: { height: 6, width: 5, channels: 3 },
      numClasses: 4,
      layers: [
        conv(3, 2, 1, 'valid'), // 5×4
        { type: 'relu' },
        { type: 'flatten' }, // 60 features, CHW for us, HWC for Keras
        { type: 'batchNorm' },
        conv(8, 1, 1, 'valid'), // a Reshape to 1×1×60 first
        { type: 'maxPool2d', size: 1 },
        { type: 'globalAvgPool' },
        { type: 'dense', units: 6 },
        { type: 'relu' },
        { type: 'flatten' },
        { type: 'avgPool2d', size: 1 },
        { type: 'dense', units: 4 },
      ],
    },
  },
  {
    name: 'gray 7×7: dense right after a conv (implicit flatten), same with even kernel',
    spec: {
      input: { height: 7, width: 7, channels: 1 },
      numClasses: 3,
      layers: [
        conv(3, 4, 1, 'same'), // even kernel: pads 1 before, 2 after
        { type: 'relu' },
        conv(2, 3, 2, 'valid'), // 3×3
        { type: 'dense', units: 4 },
        { type: 'dense', units: 3 },
      ],
    },
  },
  { name: 'preset small, gray 28×28', spec: presetSpec('small', { height: 28, width: 28, channels: 1 }, 10) },
  { name: 'preset medium, rgb 16×16', spec: presetSpec('medium', { height: 16, width: 16, channels: 3 }, 6) },
  {
    name: 'preset reference, rgb 16×12',
    spec: presetSpec('reference', { height: 16, width: 12, channels: 3 }, 4),
  },
];

const COUNT = 35; // one full batch of 32 and a partial one

describe('TensorFlow.js export', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it.each(models.map((m, i) => [m.name, m.spec, i] as const))(
    'matches our core (batch sizes 1, 3, 32): %s',
    async (_name, spec, i) => {
      const { params, state } = randomModel(spec, 7 + i);
      const exported = exportTfjs(spec, params, state);
      const images = randomImages(spec, COUNT, 100 + i);
      const parity = await tfjsParity(exported, spec, params, state, images, COUNT);
      expect(parity.perBatchSize.map((r) => r.batchSize)).toEqual([1, 3, 32]);
      expect(parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
      expect(parity.top1Agreement).toBe(1);
      expect(parity.ok).toBe(true);
      expect(parity.count).toBe(COUNT);
    },
  );

  it('covers every layer type in the models above', () => {
    const types = new Set(models.flatMap((m) => m.spec.layers.map((l) => l.type)));
    expect([...types].sort()).toEqual(
      [
        'avgPool2d',
        'batchNorm',
        'conv2d',
        'dense',
        'dropout',
        'flatten',
        'globalAvgPool',
        'leakyRelu',
        'maxPool2d',
        'relu',
      ].sort(),
    );
  });

  it('writes a Keras Sequential config with explicit padding, alpha, epsilon and momentum', () => {
    const spec = models[0].spec;
    const { params, state } = randomModel(spec, 1);
    const { modelJson, weightsBin } = exportTfjs(spec, params, state, {
      generatedBy: 'CNN Studio test',
      metadata: { labels: ['a', 'b', 'c', 'd', 'e'] },
    });
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.generatedBy).toBe('CNN Studio test');
    expect(modelJson.userDefinedMetadata).toEqual({ labels: ['a', 'b', 'c', 'd', 'e'] });
    const topo = modelJson.modelTopology;
    expect(topo.class_name).toBe('Sequential');
    const layers: KerasLayerConfig[] = topo.config.layers;
    expect(layers.map((l) => l.class_name)).toEqual([
      'InputLayer',
      'Conv2D',
      'BatchNormalization',
      'Activation',
      'ZeroPadding2D',
      'Conv2D',
      'LeakyReLU',
      'MaxPooling2D',
      'ZeroPadding2D',
      'Conv2D',
      'AveragePooling2D',
      'Flatten',
      'Dropout',
      'Dense',
      'BatchNormalization',
      'Activation',
      'Dense',
      'Activation',
    ]);
    expect(layers[0].config.batch_input_shape).toEqual([null, 11, 9, 3]);
    expect(layers[1].config.padding).toBe('same');
    expect(layers[4].config.padding).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(layers[5].config.padding).toBe('valid');
    expect(layers[6].config.alpha).toBe(0.2);
    expect(layers[8].config.padding).toEqual([
      [1, 1],
      [0, 1],
    ]);
    expect(layers[9].config.strides).toEqual([2, 2]);
    expect(layers[2].config).toMatchObject({ epsilon: 1e-5, momentum: 0.9 });
    expect(layers[14].config).toMatchObject({ epsilon: 1e-3, momentum: 0.8 });
    expect(layers[12].config.rate).toBe(0.3);
    expect(layers.at(-1)!.config).toMatchObject({ name: 'probabilities', activation: 'softmax' });

    const manifest = modelJson.weightsManifest;
    expect(manifest).toHaveLength(1);
    expect(manifest[0].paths).toEqual(['weights.bin']);
    const names = manifest[0].weights.map((w) => w.name);
    expect(names.slice(0, 6)).toEqual([
      'layer0_conv2d/kernel',
      'layer0_conv2d/bias',
      'layer1_batchNorm/gamma',
      'layer1_batchNorm/beta',
      'layer1_batchNorm/moving_mean',
      'layer1_batchNorm/moving_variance',
    ]);
    expect(manifest[0].weights[0]).toEqual({
      name: 'layer0_conv2d/kernel',
      shape: [3, 3, 3, 4],
      dtype: 'float32',
    });
    const floats = manifest[0].weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    expect(weightsBin.byteLength).toBe(4 * floats);
    expect(floats).toBe(params.length + state.length);
  });

  it('transposes conv OIHW → HWIO and reorders the dense rows after a flatten from CHW to HWC', () => {
    // 1 channel in, 2 filters 1×2, then dense on the 2×2×1 → [2, 2, 1] (C = 2, H = 2, W = 1) output.
    const spec: ModelSpec = {
      input: { height: 2, width: 2, channels: 1 },
      numClasses: 2,
      layers: [conv(2, [1, 2], 1, 'valid'), { type: 'flatten' }, { type: 'dense', units: 2 }],
    };
    // conv weight [F=2, C=1, 1, 2], bias [2]; dense weight [2, 4] over our CHW features (c·2 + y), bias [2].
    const params = Float32Array.from([1, 2, 3, 4, 0.5, -0.5, 10, 11, 12, 13, 20, 21, 22, 23, 0, 1]);
    const { modelJson, weightsBin } = exportTfjs(spec, params, new Float32Array(0));
    const flat = new Float32Array(weightsBin.buffer, weightsBin.byteOffset, weightsBin.byteLength / 4);
    // HWIO [1, 2, 1, 2]: kernel[0][kx][0][f] = ours[f][0][0][kx].
    expect([...flat.subarray(0, 4)]).toEqual([1, 3, 2, 4]);
    expect([...flat.subarray(4, 6)]).toEqual([0.5, -0.5]);
    // Keras feature j = y·2 + c (HWC, W = 1) is our feature c·2 + y; kernel [4, 2] = [in, out].
    expect(modelJson.weightsManifest[0].weights[2].shape).toEqual([4, 2]);
    expect([...flat.subarray(6, 14)]).toEqual([10, 20, 12, 22, 11, 21, 13, 23]);
    expect([...flat.subarray(14, 16)]).toEqual([0, 1]);
  });

  it('round-trips through model.json + weights.bin on disk and loads with tf.loadLayersModel', async () => {
    const spec = models[1].spec;
    const { params, state } = randomModel(spec, 3);
    const exported = exportTfjs(spec, params, state);
    const dir = await mkdtemp(join(tmpdir(), 'tfjs-export-'));
    try {
      const written = await writeTfjsFolder(dir, exported);
      expect(written).toEqual([join(dir, 'model.json'), join(dir, 'weights.bin')]);
      expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
      const back = await readTfjsFolder(dir);
      expect(back.modelJson).toEqual(exported.modelJson);
      expect(back.weightsBin).toEqual(exported.weightsBin);
      // The handler can be loaded more than once (tfjs consumes the topology it is given).
      const handler = tfjsIOHandler(back);
      for (let k = 0; k < 2; k++) {
        const m = await tf.loadLayersModel(handler);
        expect(m.inputs[0].shape).toEqual([null, 12, 10, 1]);
        expect(m.outputs[0].shape).toEqual([null, 3]);
        const x = tf.tensor4d(nchwToNhwc(randomImages(spec, 2, 5), 2, 1, 12, 10), [2, 12, 10, 1]);
        const y = m.predict(x) as tf.Tensor;
        const sums = tf.sum(y, 1);
        for (const s of await sums.data()) expect(s).toBeCloseTo(1, 5);
        tf.dispose([x, y, sums]);
        m.dispose();
      }
      const parity = await tfjsParity(back, spec, params, state, randomImages(spec, 4, 6), 4);
      expect(parity.ok).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('parity reports a mismatch when the export does not match the model', async () => {
    const spec = models[1].spec;
    const { params, state } = randomModel(spec, 4);
    const wrong = exportTfjs(
      spec,
      params,
      state.map(() => 1),
    ); // running stats lost
    const parity = await tfjsParity(wrong, spec, params, state, randomImages(spec, 8, 7), 8, {
      batchSizes: [3],
    });
    expect(parity.maxAbsDiff).toBeGreaterThan(1e-3);
    expect(parity.ok).toBe(false);
  });

  it('rejects parameters that do not fit the spec', () => {
    const spec = models[3].spec;
    const { params, state } = randomModel(spec, 1);
    expect(() => exportTfjs(spec, params.subarray(1), state)).toThrow('parameters');
    expect(() => exportTfjs(models[0].spec, randomModel(models[0].spec, 1).params, state)).toThrow('state');
  });

  afterAll(() => {
    expect(tf.memory().numTensors).toBe(0);
  });
});
