import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { checkModelSpec, describeModel } from '../../../native-workers/cnn/describe-model';
import type { KernelSet } from '../../../native-workers/cnn/kernel-set';
import { buildModel } from '../../../native-workers/cnn/model';
import { referenceKernels } from '../../../native-workers/cnn/reference-kernels';
import { presets, presetSpec } from '../../../native-workers/cnn/presets';
import { Rng } from '../../../native-workers/cnn/rng';
import { expectBitwiseEqual } from './bitwise';

const fashion = { height: 28, width: 28, channels: 1 };

describe('describeModel', () => {
  it('counts the reference CNN: 206,922 parameters and the fully connected equivalent', () => {
    const d = describeModel(presetSpec('reference', fashion, 10));
    expect(d.totalParams).toBe(206_922);
    expect(d.layers.map((l) => l.outputShape)).toEqual([
      [16, 28, 28],
      [16, 28, 28],
      [16, 14, 14],
      [32, 14, 14],
      [32, 14, 14],
      [32, 7, 7],
      [1568, 1, 1],
      [128, 1, 1],
      [128, 1, 1],
      [10, 1, 1],
    ]);
    expect(d.layers.map((l) => l.params)).toEqual([160, 0, 0, 4640, 0, 0, 0, 200_832, 0, 1290]);
    // conv1 as a dense layer: 784 inputs × 12,544 outputs + 12,544 biases; conv2: 3,136 × 6,272 + 6,272.
    expect(d.layers[0].fullyConnectedParams).toBe(784 * 12_544 + 12_544);
    expect(d.layers[3].fullyConnectedParams).toBe(3136 * 6272 + 6272);
    expect(d.totalFullyConnectedParams).toBe(784 * 12_544 + 12_544 + 3136 * 6272 + 6272 + 200_832 + 1290);
    expect(d.layers[0].macs).toBe(28 * 28 * 16 * 9);
    expect(d.layers[0].label).toBe('conv 3×3, 16 filters, stride 1, same');
  });

  it('checkModelSpec returns null for a valid spec and the faulty layer otherwise', () => {
    expect(checkModelSpec(presetSpec('small', fashion, 10))).toBeNull();
    const bad = presetSpec('small', { height: 2, width: 2, channels: 1 }, 10);
    bad.layers.splice(3, 0, { type: 'maxPool2d', size: 3 });
    expect(checkModelSpec(bad)).toEqual({
      layerIndex: 3,
      message: 'layer 3 (maxPool2d): output would be 0×0 (window 3×3 on a 2×2 input)',
    });
  });

  it('handles strides, non-square kernels and valid padding', () => {
    const d = describeModel({
      input: { height: 32, width: 20, channels: 3 },
      layers: [
        { type: 'conv2d', filters: 8, kernelSize: [5, 3], stride: [2, 1], padding: 'valid' },
        { type: 'avgPool2d', size: 2 },
        { type: 'globalAvgPool' },
        { type: 'dense', units: 4 },
      ],
      numClasses: 4,
    });
    expect(d.layers.map((l) => l.outputShape)).toEqual([
      [8, 14, 18],
      [8, 7, 9],
      [8, 1, 1],
      [4, 1, 1],
    ]);
    expect(d.totalParams).toBe(8 * 3 * 15 + 8 + 8 * 4 + 4);
  });

  it('presets are valid for their intended sizes and the small one stays cheap', () => {
    for (const p of presets) {
      for (const input of [
        fashion,
        { height: 32, width: 32, channels: 3 },
        { height: 128, width: 96, channels: 3 },
      ]) {
        expect(
          () => describeModel(presetSpec(p.name, input, 5)),
          `${p.name} ${JSON.stringify(input)}`,
        ).not.toThrow();
      }
    }
    const ref = describeModel(presetSpec('reference', fashion, 10));
    const small = describeModel(presetSpec('small', fashion, 10));
    // the third conv stage costs about 64 % more multiply-adds than the reference CNN; keep it well under 2×
    expect(small.totalMacs / ref.totalMacs).toBeLessThan(1.75);
    expect(
      presetSpec('medium', { height: 8, width: 8, channels: 3 }, 3).layers.filter(
        (l) => l.type === 'maxPool2d',
      ).length,
    ).toBe(2);
  });
});

describe('spec validation names the layer and the reason', () => {
  const base = (layers: ModelSpec['layers'], input = { height: 5, width: 5, channels: 1 }): ModelSpec => ({
    input,
    layers: [...layers, { type: 'dense', units: 3 }],
    numClasses: 3,
  });
  const cases: [string, ModelSpec, string][] = [
    [
      'kernel larger than the padded input',
      base([{ type: 'conv2d', filters: 4, kernelSize: 7 }]),
      'layer 0 (conv2d): kernel 7×7 is larger than the padded input 5×5',
    ],
    [
      'pooling to nothing',
      base(
        [
          { type: 'conv2d', filters: 2, kernelSize: 3 },
          { type: 'relu' },
          { type: 'maxPool2d', size: 2 },
          { type: 'maxPool2d', size: 2 },
        ],
        { height: 5, width: 5, channels: 1 },
      ),
      'layer 3 (maxPool2d): output would be 0×0 (window 2×2 on a 1×1 input)',
    ],
    [
      'classifier size',
      { input: { height: 4, width: 4, channels: 1 }, layers: [{ type: 'dense', units: 5 }], numClasses: 3 },
      'layer 0 (dense): the last layer gives the class logits, so it needs 3 units (numClasses), not 5',
    ],
    [
      'last layer not dense',
      {
        input: { height: 4, width: 4, channels: 1 },
        layers: [{ type: 'dense', units: 3 }, { type: 'relu' }],
        numClasses: 3,
      },
      'layer 1 (relu): the last layer must be a dense layer with 3 units (numClasses): it gives the class logits',
    ],
    [
      'dropout rate',
      base([{ type: 'dropout', rate: 1 }]),
      'layer 0 (dropout): rate must be in [0, 1), got 1',
    ],
    [
      'bad stride',
      base([{ type: 'conv2d', filters: 2, kernelSize: 3, stride: 0 }]),
      'layer 0 (conv2d): stride must be a positive integer or [height, width] of positive integers, got 0',
    ],
    [
      'unknown type',
      base([{ type: 'softmax' } as unknown as ModelSpec['layers'][number]]),
      'layer 0 (softmax): unknown layer type',
    ],
    [
      'input',
      base([], { height: 0, width: 5, channels: 1 }),
      'input: height, width and channels must be positive integers',
    ],
  ];
  for (const [name, spec, message] of cases) {
    it(name, () => {
      expect(() => buildModel(spec, { seed: 1, batchSize: 2 })).toThrow(message);
      expect(() => describeModel(spec)).toThrow(message);
      expect(checkModelSpec(spec)?.message).toContain(message);
    });
  }
});

describe('Model', () => {
  const spec = presetSpec('small', { height: 12, width: 10, channels: 2 }, 4);

  it('keeps params and grads in flat buffers with named views', () => {
    const model = buildModel(spec, { seed: 3, batchSize: 4 });
    const d = describeModel(spec);
    expect(model.params.length).toBe(d.totalParams);
    expect(model.grads.length).toBe(d.totalParams);
    const w0 = model.param(0, 'weight');
    expect(w0.buffer).toBe(model.params.buffer);
    expect(model.layout.entries[0]).toMatchObject({
      name: 'layer0.conv2d.weight',
      offset: 0,
      shape: [16, 2, 3, 3],
    });
    // The small preset uses fan-in-uniform init: U(±1/√18) for the first conv, std 1/√54 ≈ 0.136;
    // batchnorm gamma 1, beta 0.
    expect(spec.init).toBe('fan-in-uniform');
    const rms = (w: Float32Array) => Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
    expect(rms(w0)).toBeGreaterThan(0.1);
    expect(rms(w0)).toBeLessThan(0.17);
    expect(Math.max(...w0.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(18));
    expect(model.param(0, 'bias').some((b) => b !== 0)).toBe(true);
    expect(Array.from(model.param(1, 'gamma'))).toEqual(new Array(16).fill(1));
    // He init (the default, and the reference preset's): std ≈ sqrt(2 / 18) for the first conv, zero biases.
    const he = buildModel({ ...spec, init: 'he' }, { seed: 3, batchSize: 1 });
    expect(rms(he.param(0, 'weight'))).toBeGreaterThan(0.25);
    expect(rms(he.param(0, 'weight'))).toBeLessThan(0.42);
    expect(he.param(0, 'bias').every((b) => b === 0)).toBe(true);
    // Same seed, same weights; another seed, other weights.
    expectBitwiseEqual(buildModel(spec, { seed: 3, batchSize: 1 }).params, model.params, 'same seed');
    const other = buildModel(spec, { seed: 4, batchSize: 1 }).params;
    expect(other.some((v, i) => v !== model.params[i])).toBe(true);
  });

  it('accepts external (e.g. shared) params and grads buffers', () => {
    const n = describeModel(spec).totalParams;
    const params = new Float32Array(new SharedArrayBuffer(4 * n));
    const grads = new Float32Array(new SharedArrayBuffer(4 * n));
    const model = buildModel(spec, { seed: 1, batchSize: 2, params, grads });
    expect(model.params).toBe(params);
    const x = new Float32Array(2 * model.inputSize).map((_, i) => Math.sin(i));
    model.computeGradients(x, [0, 3]);
    expect(grads.some((g) => g !== 0)).toBe(true);
    expect(() => buildModel(spec, { seed: 1, batchSize: 2, params: new Float32Array(3) })).toThrow(
      'params must have length',
    );
  });

  it('gives the same eval output for an image alone or inside a batch', () => {
    const model = buildModel(spec, { seed: 5, batchSize: 3 });
    const rng = new Rng(1);
    const x = new Float32Array(3 * model.inputSize).map(() => rng.normal());
    const all = model.predict(x).slice();
    const one = model.predict(x.subarray(model.inputSize, 2 * model.inputSize));
    for (let k = 0; k < 4; k++) expect(one[k]).toBeCloseTo(all[4 + k], 6);
    expect(all.slice(0, 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(() => model.forward(new Float32Array(4 * model.inputSize), { training: false })).toThrow();
  });

  it('exposes conv filters and per-layer feature maps for one image', () => {
    const model = buildModel(spec, { seed: 5, batchSize: 3 });
    const filters = model.allFilters();
    expect(filters.map((f) => f.shape)).toEqual([
      [16, 2, 3, 3],
      [32, 16, 3, 3],
      [64, 32, 3, 3],
    ]);
    const maps = model.featureMaps(new Float32Array(model.inputSize).fill(0.5));
    expect(maps.length).toBe(spec.layers.length);
    expect(maps[0]).toMatchObject({ layerIndex: 0, type: 'conv2d', shape: [16, 12, 10] });
    expect(maps[0].data.length).toBe(16 * 12 * 10);
    expect(maps[maps.length - 1].shape).toEqual([4, 1, 1]);
    expect(() => model.filters(1)).toThrow('not a conv2d');
  });

  it('inference with a fused conv+relu KernelSet matches the unfused ops; featureMaps and training do not fuse', () => {
    const fusedCalls: string[] = [];
    const fusing: KernelSet = {
      ...referenceKernels,
      conv2dReluForward: (s, inp, w, b, out) => {
        fusedCalls.push('fused');
        referenceKernels.conv2dForward(s, inp, w, b, out);
        const live = out.subarray(0, s.batch * s.outChannels * s.outHeight * s.outWidth);
        referenceKernels.reluForward(live, live);
      },
    };
    const cnn: ModelSpec = {
      ...spec,
      layers: spec.layers.filter((l) => l.type !== 'batchNorm'),
    };
    expect(cnn.layers.map((l) => l.type).join(' ')).toContain('conv2d relu');
    const plain = buildModel(cnn, { seed: 8, batchSize: 3 });
    const fused = buildModel(cnn, { seed: 8, batchSize: 3, kernels: fusing });
    const rng = new Rng(2);
    const x = new Float32Array(3 * plain.inputSize).map(() => rng.normal());
    const want = plain.forward(x, { training: false }).slice();
    const got = fused.forward(x, { training: false });
    expect(fusedCalls.length).toBe(cnn.layers.filter((l) => l.type === 'conv2d').length);
    expectBitwiseEqual(got, want, 'fused inference logits');
    fusedCalls.length = 0;
    const maps = fused.featureMaps(x.subarray(0, fused.inputSize));
    const wantMaps = plain.featureMaps(x.subarray(0, plain.inputSize));
    expect(fusedCalls).toEqual([]);
    maps.forEach((m, i) => expectBitwiseEqual(m.data, wantMaps[i].data, `feature map ${i}`));
    fused.computeGradients(x, [0, 1, 2]);
    plain.computeGradients(x, [0, 1, 2]);
    expect(fusedCalls).toEqual([]);
    expectBitwiseEqual(fused.grads, plain.grads, 'gradients');
  });

  it('backward before a training forward is an error', () => {
    const model = buildModel(spec, { seed: 5, batchSize: 1 });
    expect(() => model.backward([0])).toThrow('training: true');
  });
});
