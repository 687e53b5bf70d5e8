/**
 * conv + relu + max pool fusion in a Model's training step over the native kernels (conv2dReluMaxPoolTrain writes
 * the pool's output and switches, or conv2dReluForward the relu's output; maxPool2dReluBackward backpropagates
 * through the pool and the relu): bit for bit what the same kernels give unfused, for the activations that are
 * written and every gradient; a conv + relu without a pool after it stays unfused. Also float64 calls (the gradient checks' path through the merged kernels' fallback).
 */
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { KernelSet } from '../../../native-workers/cnn/kernel-set';
import { buildModel } from '../../../native-workers/cnn/model';
import { Rng } from '../../../native-workers/cnn/rng';
import { kernelsFor } from '../../../native-workers/kernels/fast-kernels';
import { loadNativeAddon } from '../../../native-workers/kernels/native-kernels';
import { expectBitwiseEqual } from './bitwise';

const spec: ModelSpec = {
  input: { channels: 2, height: 11, width: 10 },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 },
    { type: 'conv2d', filters: 16, kernelSize: 3, padding: 'same' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 },
    { type: 'conv2d', filters: 5, kernelSize: 1 },
    { type: 'relu' }, // no pool after it: unfused
    { type: 'flatten' },
    { type: 'dense', units: 6 },
    { type: 'relu' },
    { type: 'dense', units: 3 },
  ],
  numClasses: 3,
};

/**
 * The KernelSet with counters on the fused ops; without conv2dReluMaxPoolTrain (conv2dReluForward, then the pool);
 * and without maxPool2dReluBackward (no fusion at all).
 */
function variants(k: KernelSet) {
  const calls = { poolRelu: 0, convRelu: 0, convReluPool: 0, firstConvBackward: 0 };
  // without the first conv's backward from the switches, which sums in another order (tested below)
  const fused: KernelSet = {
    ...k,
    maxPool2dReluBackward: (...a) => (calls.poolRelu++, k.maxPool2dReluBackward!(...a)),
    conv2dReluForward: (...a) => (calls.convRelu++, k.conv2dReluForward!(...a)),
    conv2dReluMaxPoolTrain: (...a) => (calls.convReluPool++, k.conv2dReluMaxPoolTrain!(...a)),
    conv2dReluMaxPoolBackwardParams: undefined,
  };
  const convRelu: KernelSet = { ...fused, conv2dReluMaxPoolTrain: undefined };
  const firstConvBackward: KernelSet = {
    ...fused,
    conv2dReluMaxPoolBackwardParams: (...a) => (
      calls.firstConvBackward++,
      k.conv2dReluMaxPoolBackwardParams!(...a)
    ),
  };
  const unfused: KernelSet = { ...k, maxPool2dReluBackward: undefined };
  return { fused, convRelu, firstConvBackward, unfused, calls };
}

describe.skipIf(!loadNativeAddon())('conv + relu + max pool fusion in training (native kernels)', () => {
  it.each([
    [
      'conv + relu + pool forward in one call',
      'fused',
      [2, 5, 7],
      { poolRelu: 6, convRelu: 0, convReluPool: 6, firstConvBackward: 0 },
    ],
    [
      'conv + relu forward, then the pool',
      'convRelu',
      [1, 2, 4, 5, 7],
      { poolRelu: 6, convRelu: 6, convReluPool: 0, firstConvBackward: 0 },
    ],
  ] as const)('trains bit for bit like the unfused layers: %s', (_name, variant, checked, expectedCalls) => {
    const k = kernelsFor('native');
    expect(k.maxPool2dReluBackward).toBeDefined();
    expect(k.conv2dReluMaxPoolTrain).toBeDefined();
    const v = variants(k);
    const a = buildModel(spec, { seed: 4, batchSize: 5, kernels: v[variant] });
    const b = buildModel(spec, { seed: 4, batchSize: 5, kernels: v.unfused });
    const rng = new Rng(9);
    for (let step = 0; step < 3; step++) {
      const batch = [5, 1, 3][step];
      const x = new Float32Array(batch * a.inputSize).map(() => rng.normal());
      const labels = Array.from({ length: batch }, (_, i) => (i + step) % 3);
      const ra = a.computeGradients(x, labels);
      const rb = b.computeGradients(x, labels);
      expect(ra.loss).toBe(rb.loss);
      // the fused layers' own buffers are stale: the pools' outputs (and the relus' when written) are compared
      for (const i of checked)
        expectBitwiseEqual(a.activations[i], b.activations[i], `layer ${i} output, step ${step}`);
      expectBitwiseEqual(a.grads, b.grads, `gradients, step ${step}`);
      for (const m of [a, b]) for (let j = 0; j < m.params.length; j++) m.params[j] -= 0.1 * m.grads[j];
    }
    // two conv + relu + pool chains per step; the third conv's relu has no pool after it
    expect(v.calls).toEqual(expectedCalls);
  });

  it("computes the first conv's gradients from its pool's switches: the others bit for bit, those up to rounding", () => {
    const k = kernelsFor('native');
    expect(k.conv2dReluMaxPoolBackwardParams).toBeDefined();
    const v = variants(k);
    // even sizes: the first pool tiles its conv's output (the op's own path, not its unfused fallback)
    const even: ModelSpec = { ...spec, input: { channels: 2, height: 12, width: 10 } };
    const a = buildModel(even, { seed: 4, batchSize: 5, kernels: v.firstConvBackward });
    const b = buildModel(even, { seed: 4, batchSize: 5, kernels: v.unfused });
    const first = a.layout.entries.filter((e) => e.layerIndex === 0);
    const firstEnd = Math.max(...first.map((e) => e.offset + e.length));
    expect(Math.min(...first.map((e) => e.offset))).toBe(0);
    const rng = new Rng(9);
    for (let step = 0; step < 3; step++) {
      const batch = [5, 1, 3][step];
      const x = new Float32Array(batch * a.inputSize).map(() => rng.normal());
      const labels = Array.from({ length: batch }, (_, i) => (i + step) % 3);
      expect(a.computeGradients(x, labels).loss).toBe(b.computeGradients(x, labels).loss);
      expectBitwiseEqual(
        a.grads.subarray(firstEnd),
        b.grads.subarray(firstEnd),
        `later gradients, step ${step}`,
      );
      const [ga, gb] = [a.grads.subarray(0, firstEnd), b.grads.subarray(0, firstEnd)];
      const scale = Math.max(1, ...gb.map(Math.abs));
      for (let j = 0; j < firstEnd; j++) expect(Math.abs(ga[j] - gb[j]) / scale).toBeLessThan(1e-5);
      expect(gb.some((g) => g !== 0)).toBe(true);
      b.params.set(a.params);
    }
    // once per step, for the first conv only (the second needs its input's gradient)
    expect(v.calls.firstConvBackward).toBe(3);
    expect(v.calls.poolRelu).toBe(3);
  });

  it('routes float64 calls (the gradient checks) to the definition, overlapping windows summed', () => {
    const k = kernelsFor('native');
    const s = {
      batch: 1,
      channels: 1,
      inHeight: 3,
      inWidth: 3,
      poolHeight: 2,
      poolWidth: 2,
      strideH: 1,
      strideW: 1,
      outHeight: 2,
      outWidth: 2,
    };
    const reluOut = Float64Array.from([0, 2, 1, 3, 0, 0, 0, 0, 0]);
    const out = new Float64Array(4);
    const argmax = new Int32Array(4);
    k.maxPool2dForward(s, reluOut, out, argmax);
    const dinp = new Float64Array(9);
    k.maxPool2dReluBackward!(s, Float64Array.from([0.5, 0.25, 0.125, 1]), argmax, out, dinp);
    // windows: {0, 2, 3, 0} → 3 at 3; {2, 1, 0, 0} → 2 at 1; {3, 0, 0, 0} → 3 at 3; all 0 → no gradient
    expect(Array.from(dinp)).toEqual([0, 0.25, 0, 0.625, 0, 0, 0, 0, 0]);
  });
});
