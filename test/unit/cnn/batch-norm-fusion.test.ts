/**
 * Batch norm + relu fusion in a Model over the fast kernels: training (batchNormReluForwardTrain and
 * batchNormReluBackwardTrain) and inference (batchNormReluForwardEval) must give bit for bit what the same kernels
 * give unfused (batchnorm op, then relu op), including the relu layers' activations, the running statistics and
 * every gradient; featureMaps() does not fuse.
 */
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { KernelSet } from '../../../native-workers/cnn/kernel-set';
import { buildModel } from '../../../native-workers/cnn/model';
import { kernelsFor } from '../../../native-workers/kernels/fast-kernels';
import { loadNativeAddon } from '../../../native-workers/kernels/native-kernels';
import { wasmSimdSupported } from '../../../native-workers/kernels/wasm-kernels';
import { Rng } from '../../../native-workers/cnn/rng';
import { expectBitwiseEqual } from './bitwise';

const spec: ModelSpec = {
  input: { channels: 3, height: 10, width: 9 },
  layers: [
    { type: 'conv2d', filters: 5, kernelSize: 3, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 },
    { type: 'conv2d', filters: 6, kernelSize: 3, padding: 'same' },
    { type: 'batchNorm', momentum: 0.3 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 7 },
    { type: 'batchNorm' }, // spatial 1
    { type: 'relu' },
    { type: 'dense', units: 3 },
  ],
  numClasses: 3,
};

const backends = [
  ['native', !!loadNativeAddon()],
  ['wasm', wasmSimdSupported()],
] as const;

/** The KernelSet with counters on its fused batch-norm ops, or without those ops. */
function variants(k: KernelSet) {
  const calls = { train: 0, backward: 0, eval: 0 };
  const fused: KernelSet = {
    ...k,
    batchNormReluForwardTrain: (...a) => (calls.train++, k.batchNormReluForwardTrain!(...a)),
    batchNormReluBackwardTrain: (...a) => (calls.backward++, k.batchNormReluBackwardTrain!(...a)),
    batchNormReluForwardEval: (...a) => (calls.eval++, k.batchNormReluForwardEval!(...a)),
  };
  const unfused: KernelSet = {
    ...k,
    batchNormReluForwardTrain: undefined,
    batchNormReluBackwardTrain: undefined,
    batchNormReluForwardEval: undefined,
  };
  return { fused, unfused, calls };
}

describe.each(backends)('batchnorm + relu fusion (%s kernels)', (backend, available) => {
  it.skipIf(!available)('trains and infers bit for bit like the unfused layers', () => {
    const k = kernelsFor(backend);
    expect(k.batchNormReluForwardTrain).toBeDefined();
    const { fused, unfused, calls } = variants(k);
    const a = buildModel(spec, { seed: 4, batchSize: 6, kernels: fused });
    const b = buildModel(spec, { seed: 4, batchSize: 6, kernels: unfused });
    const rng = new Rng(9);
    const reluLayers = spec.layers.flatMap((l, i) => (l.type === 'relu' ? [i] : []));
    for (let step = 0; step < 3; step++) {
      const batch = [6, 1, 4][step]; // batch 1: variance 0 in every channel
      const x = new Float32Array(batch * a.inputSize).map(() => rng.normal() + 0.5);
      const labels = Array.from({ length: batch }, (_, i) => (i + step) % 3);
      const ra = a.computeGradients(x, labels);
      const rb = b.computeGradients(x, labels);
      expect(ra.loss).toBe(rb.loss);
      for (const i of reluLayers)
        expectBitwiseEqual(a.activations[i], b.activations[i], `relu ${i} output, step ${step}`);
      expectBitwiseEqual(a.grads, b.grads, `gradients, step ${step}`);
      expectBitwiseEqual(a.state, b.state, `running statistics, step ${step}`);
      for (const m of [a, b]) for (let j = 0; j < m.params.length; j++) m.params[j] -= 0.1 * m.grads[j];
    }
    expect(calls).toEqual({ train: 9, backward: 9, eval: 0 });
    const x = new Float32Array(5 * a.inputSize).map(() => rng.normal());
    expectBitwiseEqual(a.predict(x), b.predict(x), 'predict');
    // in inference the two batch norms after a conv are folded into it; the one after the dense layer runs fused
    expect(calls.eval).toBe(1);
    const mapsA = a.featureMaps(x.subarray(0, a.inputSize));
    const mapsB = b.featureMaps(x.subarray(0, b.inputSize));
    expect(calls.eval).toBe(1); // featureMaps never fuses
    mapsA.forEach((m, i) => expectBitwiseEqual(m.data, mapsB[i].data, `feature map ${i}`));
  });
});
