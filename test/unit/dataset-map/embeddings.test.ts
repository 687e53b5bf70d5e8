/**
 * Penultimate embeddings (native-workers/cnn/explain/embeddings.ts): equal to the unfused reference forward's
 * activation of the layer before the final dense, in eval mode (running batch-norm statistics, dropout off), and
 * the final dense applied to them (in float64) gives the model's logits.
 */
import { describe, expect, it } from 'vitest';
import { embeddingDims, embeddings } from '../../../native-workers/cnn/explain/embeddings';
import { buildModel } from '../../../native-workers/cnn/model';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { Rng } from '../../../native-workers/cnn/rng';
import { fastKernels } from '../../../native-workers/kernels/fast-kernels';

function trainedLike(seed: number, kernels = undefined as ReturnType<typeof fastKernels> | undefined) {
  const spec = presetSpec('small', { channels: 1, height: 28, width: 28 }, 5);
  const model = buildModel(spec, { seed, batchSize: 4, kernels });
  // non-trivial running statistics, so eval-mode batch norm is not the identity
  const rng = new Rng(seed + 7);
  for (let i = 0; i < model.state.length; i++) model.state[i] = 0.2 + rng.uniform();
  return model;
}

function images(count: number, size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(count * size);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  return x;
}

describe('penultimate embeddings', () => {
  it('equal the activation feeding the final dense layer (unfused eval forward), in batches', () => {
    const model = trainedLike(3);
    const count = 10; // 3 batches of at most 4
    const x = images(count, model.inputSize, 11);
    const dims = embeddingDims(model);
    expect(dims).toBe(128);
    const e = embeddings(model, x, count);
    expect(e.length).toBe(count * dims);
    const L = model.plans.length;
    expect(model.plans[L - 2].spec.type).toBe('dropout'); // identity in eval
    for (let n = 0; n < count; n++) {
      const maps = model.featureMaps(x.subarray(n * model.inputSize, (n + 1) * model.inputSize));
      expect(Array.from(e.subarray(n * dims, (n + 1) * dims))).toEqual(Array.from(maps[L - 2].data));
      // relu before dropout: never negative, and not all zero
      expect(Math.min(...maps[L - 2].data)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...maps[L - 2].data)).toBeGreaterThan(0);
    }
  });

  it('the final dense over them gives the logits (float64 check)', () => {
    const model = trainedLike(5);
    const x = images(3, model.inputSize, 2);
    const e = embeddings(model, x, 3);
    const dims = embeddingDims(model);
    const K = model.numClasses;
    const last = model.plans.length - 1;
    const W = model.param(last, 'weight');
    const b = model.param(last, 'bias');
    const logits = Float32Array.from(model.forward(x, { training: false }));
    for (let n = 0; n < 3; n++)
      for (let k = 0; k < K; k++) {
        let s = b[k];
        for (let i = 0; i < dims; i++) s += W[k * dims + i] * e[n * dims + i];
        expect(s).toBeCloseTo(logits[n * K + k], 4);
      }
  });

  it('is deterministic and the same on the fast kernels', () => {
    const ref = trainedLike(9);
    const fast = trainedLike(9, fastKernels());
    const x = images(6, ref.inputSize, 4);
    const a = embeddings(ref, x, 6);
    expect(Array.from(embeddings(ref, x, 6))).toEqual(Array.from(a));
    const f = embeddings(fast, x, 6);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - f[i]));
    expect(worst).toBeLessThan(1e-3);
  });

  it('refuses a buffer of the wrong size', () => {
    const model = trainedLike(1);
    expect(() => embeddings(model, new Float32Array(model.inputSize * 2 - 1), 2)).toThrow(/expected 2/);
  });
});
