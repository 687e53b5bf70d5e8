/**
 * The inference forward (Model.forward with training: false) fuses layers, folds batch norms into the conv before
 * them and skips the copies of flatten and dropout. These tests hold it to the unfused eval forward
 * (forwardUnfused: every layer's own op) on the presets, with every backend this machine has, and check that the
 * folded weights follow every change of the parameters and batch norm statistics.
 */
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { KernelSet } from '../../../native-workers/cnn/kernel-set';
import { buildModel, type Model } from '../../../native-workers/cnn/model';
import { createOptimizer } from '../../../native-workers/cnn/optim/optimizer';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { referenceKernels } from '../../../native-workers/cnn/reference-kernels';
import { Rng } from '../../../native-workers/cnn/rng';
import { adoptKernelMemory } from '../../../native-workers/kernels/adopt-kernel-memory';
import { kernelsFor } from '../../../native-workers/kernels/fast-kernels';
import { loadNativeKernels } from '../../../native-workers/kernels/native-kernels';
import { loadWasmKernels } from '../../../native-workers/kernels/wasm-kernels';
import { expectClose } from '../kernels/kernel-check-support';

/** [name, kernels, activations in wasm memory (adoptKernelMemory, as the data-parallel workers do)] */
const backends: [string, KernelSet, boolean][] = [['reference', referenceKernels, false]];
if (loadNativeKernels()) backends.push(['native', kernelsFor('native'), false]);
if (loadWasmKernels()) {
  backends.push(['wasm', kernelsFor('wasm'), false]);
  backends.push(['wasm, zero-copy', kernelsFor('wasm'), true]);
}

const rgb = { height: 40, width: 36, channels: 3 };
const specs: [string, ModelSpec][] = [
  ['reference CNN', presetSpec('reference', { height: 28, width: 28, channels: 1 }, 10)],
  ['small', presetSpec('small', { height: 28, width: 28, channels: 1 }, 10)],
  ['medium', presetSpec('medium', rgb, 5)],
  ['large', presetSpec('large', rgb, 5)],
];

/** Batch norm statistics and parameters far from their defaults, so that a fold that ignores one shows. */
function perturbBatchNorms(model: Model, rng: Rng): void {
  for (let i = 0; i < model.state.length; i++) model.state[i] = 0.5 + rng.uniform();
  model.plans.forEach((p, i) => {
    if (p.spec.type !== 'batchNorm') return;
    for (const v of [model.param(i, 'gamma'), model.param(i, 'beta')])
      for (let c = 0; c < v.length; c++) v[c] = rng.normal();
  });
  model.paramsChanged();
}

function images(model: Model, n: number, rng: Rng): Float32Array {
  return new Float32Array(n * model.inputSize).map(() => rng.uniform());
}

/** The inference logits (and the final layer's input, which embeddings read) against the unfused forward. */
function expectInferenceMatchesUnfused(model: Model, x: Float32Array, what: string): void {
  const L = model.plans.length;
  const logits = model.forward(x, { training: false }).slice();
  const penultimate = model.activations[L - 2].slice();
  const want = model.forwardUnfused(x).slice();
  expectClose(logits, want, `${what}: logits`);
  expectClose(penultimate, model.activations[L - 2], `${what}: the final layer's input`);
}

describe.each(backends)(
  'inference forward (%s kernels) = the unfused eval forward',
  (_name, kernels, adopt) => {
    it.each(specs)('%s, batch 1 and a full batch', (name, spec) => {
      const rng = new Rng(3);
      const model = buildModel(spec, { seed: 2, batchSize: 5, kernels });
      if (adopt) expect(adoptKernelMemory(model)).toBe(true);
      perturbBatchNorms(model, rng);
      expectInferenceMatchesUnfused(model, images(model, 5, rng), `${name} batch 5`);
      expectInferenceMatchesUnfused(model, images(model, 1, rng), `${name} batch 1`);
    });
  },
);

describe('folded batch norms follow the parameters', () => {
  const spec = presetSpec('medium', rgb, 5);
  const kernels = backends.find(([name]) => name === 'native')?.[1] ?? referenceKernels;

  it('uses the folded weights: a batch norm changes the inference output', () => {
    const rng = new Rng(4);
    const model = buildModel(spec, { seed: 2, batchSize: 2, kernels });
    const x = images(model, 2, rng);
    const before = model.forward(x, { training: false }).slice();
    perturbBatchNorms(model, rng);
    const after = model.forward(x, { training: false }).slice();
    expect(after.some((v, i) => Math.abs(v - before[i]) > 1e-3)).toBe(true);
    expectClose(after, model.forwardUnfused(x).slice(), 'after perturbing');
  });

  it('after loadParams, a training step with an optimizer, and direct writes', () => {
    const rng = new Rng(5);
    const model = buildModel(spec, { seed: 2, batchSize: 4, kernels });
    perturbBatchNorms(model, rng);
    const x = images(model, 4, rng);
    expectInferenceMatchesUnfused(model, x, 'initial');

    const other = buildModel(spec, { seed: 9, batchSize: 1 });
    perturbBatchNorms(other, rng);
    model.loadParams(other.params, other.state);
    expectInferenceMatchesUnfused(model, x, 'after loadParams');

    // an inference between backward and the optimizer step must not keep the pre-step fold
    model.computeGradients(x, [0, 1, 2, 3]);
    model.forward(x, { training: false });
    createOptimizer({ type: 'adam' }, model.params.length).step(model.params, model.grads, 0.05);
    expectInferenceMatchesUnfused(model, x, 'after an optimizer step');

    // written behind the model's back: a batch norm's scale (caught by the per-call check) ...
    const gammaLayer = model.plans.findIndex((p) => p.spec.type === 'batchNorm');
    model.param(gammaLayer, 'gamma')[0] *= 3;
    expectInferenceMatchesUnfused(model, x, 'after writing a gamma');
    model.state[0] += 1; // the first batch norm's running mean of channel 0
    expectInferenceMatchesUnfused(model, x, 'after writing a running mean');
    // ... and conv weights alone, announced with paramsChanged()
    model.param(0, 'weight').forEach((_, i, w) => (w[i] = -w[i]));
    model.paramsChanged();
    expectInferenceMatchesUnfused(model, x, 'after paramsChanged');
  });
});
