/**
 * A flatten after layer 0 has its input's buffer as its output (Model's constructor): its forward copies nothing
 * and backward passes its output's gradient on as it is. These tests hold such models, bit for bit, to the same
 * models with the flatten given a buffer of its own (the copying path the layer takes when the buffers differ):
 * loss, gradients, the flatten's output and the logits over several training steps, then the inference forward,
 * forwardUnfused and featureMaps; with every backend this machine has, and in wasm memory (adoptKernelMemory).
 */
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { KernelSet } from '../../../native-workers/cnn/kernel-set';
import { buildModel, type Model } from '../../../native-workers/cnn/model';
import { referenceKernels } from '../../../native-workers/cnn/reference-kernels';
import { Rng } from '../../../native-workers/cnn/rng';
import { adoptKernelMemory } from '../../../native-workers/kernels/adopt-kernel-memory';
import { kernelsFor } from '../../../native-workers/kernels/fast-kernels';
import { loadNativeKernels } from '../../../native-workers/kernels/native-kernels';
import { loadWasmKernels } from '../../../native-workers/kernels/wasm-kernels';
import { expectBitwiseEqual } from './bitwise';

/** [name, kernels, activations in wasm memory] */
const backends: [string, KernelSet, boolean][] = [['reference', referenceKernels, false]];
if (loadNativeKernels()) backends.push(['native', kernelsFor('native'), false]);
if (loadWasmKernels()) {
  backends.push(['wasm', kernelsFor('wasm'), false]);
  backends.push(['wasm, zero-copy', kernelsFor('wasm'), true]);
}

const input = { channels: 2, height: 6, width: 5 };
const specs: [string, ModelSpec][] = [
  [
    'flatten directly after the input (layer 0: copied)',
    {
      input,
      layers: [
        { type: 'flatten' },
        { type: 'dense', units: 4 },
        { type: 'relu' },
        { type: 'dense', units: 3 },
      ],
      numClasses: 3,
    },
  ],
  [
    'flatten after layer 0',
    {
      input,
      layers: [
        { type: 'conv2d', filters: 3, kernelSize: 3 },
        { type: 'flatten' },
        { type: 'dense', units: 3 },
      ],
      numClasses: 3,
    },
  ],
  [
    'conv + relu + max pool (fused in training), flatten, dense',
    {
      input,
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
        { type: 'relu' },
        { type: 'maxPool2d', size: 2 },
        { type: 'conv2d', filters: 8, kernelSize: 3, padding: 'same' },
        { type: 'relu' },
        { type: 'maxPool2d', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 6 },
        { type: 'relu' },
        { type: 'dense', units: 3 },
      ],
      numClasses: 3,
    },
  ],
  [
    'batch norm + relu, dropout, two flattens in a row',
    {
      input,
      layers: [
        { type: 'conv2d', filters: 3, kernelSize: 3 },
        { type: 'batchNorm' },
        { type: 'relu' },
        { type: 'dropout', rate: 0.3 },
        { type: 'flatten' },
        { type: 'flatten' },
        { type: 'dense', units: 3 },
      ],
      numClasses: 3,
    },
  ],
];

const flattens = (m: Model) => m.plans.filter((p) => p.spec.type === 'flatten').map((p) => p.index);

/** The model as built (flattens after layer 0 in place) and a twin whose flattens have buffers of their own. */
function twins(spec: ModelSpec, kernels: KernelSet, zeroCopy: boolean): [Model, Model] {
  const build = () => buildModel(spec, { seed: 5, batchSize: 4, kernels });
  const [inPlace, copying] = [build(), build()];
  if (zeroCopy) for (const m of [inPlace, copying]) expect(adoptKernelMemory(m)).toBe(true);
  for (const i of flattens(inPlace)) {
    // the premise: the model (and adoptKernelMemory) shares the buffers, else this test compares copies to copies
    if (i > 0) expect(inPlace.activations[i]).toBe(inPlace.activations[i - 1]);
    copying.activations[i] = new Float32Array(copying.activations[i].length);
  }
  return [inPlace, copying];
}

describe('flatten in place', () => {
  describe.each(backends)('%s kernels', (_backend, kernels, zeroCopy) => {
    it.each(specs)('trains and infers bit for bit like a copying flatten: %s', (_name, spec) => {
      const [a, b] = twins(spec, kernels, zeroCopy);
      const rng = new Rng(3);
      const L = a.layers.length;
      for (let step = 0; step < 3; step++) {
        const batch = [4, 1, 3][step];
        const x = new Float32Array(batch * a.inputSize).map(() => rng.normal());
        const labels = Array.from({ length: batch }, (_, n) => (n + step) % 3);
        expect(a.computeGradients(x, labels)).toEqual(b.computeGradients(x, labels));
        expectBitwiseEqual(a.grads, b.grads, `gradients, step ${step}`);
        for (const i of [...flattens(a), L - 1])
          expectBitwiseEqual(a.activations[i], b.activations[i], `layer ${i} output, step ${step}`);
        expect(a.grads.some((g) => g !== 0)).toBe(true);
        for (const m of [a, b]) {
          for (let j = 0; j < m.params.length; j++) m.params[j] -= 0.1 * m.grads[j];
          m.paramsChanged();
        }
      }
      const x = new Float32Array(3 * a.inputSize).map(() => rng.normal());
      expectBitwiseEqual(a.forward(x, { training: false }), b.forward(x, { training: false }), 'inference');
      expectBitwiseEqual(a.forwardUnfused(x), b.forwardUnfused(x), 'forwardUnfused');
      const [ma, mb] = [a, b].map((m) => m.featureMaps(x.subarray(0, a.inputSize)));
      ma.forEach((f, i) => expectBitwiseEqual(f.data, mb[i].data, `feature map ${i}`));
    });
  });
});
