/**
 * Helpers for data-parallel training: each worker computes the mean gradient over its slice of the batch;
 * the batch's gradient is the example-weighted mean of those, Σ nᵢ·gᵢ / Σ nᵢ, so that a split batch gives the
 * same update as an unsplit one (up to float32 summation order).
 */
import type { BatchResult } from '../model';

/** The BatchResult of a whole batch from its slices' results (loss weighted by slice size). */
export function combineBatchResults(results: BatchResult[]): BatchResult {
  const batch = results.reduce((n, r) => n + r.batch, 0);
  return {
    loss: results.reduce((s, r) => s + r.loss * r.batch, 0) / batch,
    correct: results.reduce((n, r) => n + r.correct, 0),
    batch,
  };
}

/** target = Σᵢ (sizes[i] / Σ sizes) · sources[i], elementwise over flat gradients (target may be sources[0]). */
export function weightedMeanInto(target: Float32Array, sources: Float32Array[], sizes: number[]): void {
  const total = sizes.reduce((a, b) => a + b, 0);
  const w = sizes.map((n) => n / total);
  for (let i = 0; i < target.length; i++) {
    let sum = 0;
    for (let k = 0; k < sources.length; k++) sum += w[k] * sources[k][i];
    target[i] = sum;
  }
}
