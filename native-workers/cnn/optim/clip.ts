/**
 * Gradient clipping by global L2 norm: one scale for the whole flat gradient keeps its direction. Split into pieces
 * (sum of squares of a range, the scale, scaling a range) so that data-parallel workers can clip their slices of
 * one gradient with exactly this arithmetic (native-workers/parallel/shard-worker-main.ts).
 */

/** Σ grads[i]² over [from, to), accumulated in float64 in index order. */
export function sumOfSquares(grads: Float32Array, from = 0, to = grads.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += grads[i] * grads[i];
  return sum;
}

/** The L2 norm of the whole flat gradient. */
export function globalNorm(grads: Float32Array): number {
  return Math.sqrt(sumOfSquares(grads));
}

/** The factor that brings a gradient of this norm down to maxNorm; exactly 1 when it needs no clipping. */
export function clipScale(norm: number, maxNorm: number): number {
  return norm > maxNorm && norm > 0 ? maxNorm / norm : 1;
}

/** grads[from, to) *= scale. */
export function scaleRange(grads: Float32Array, scale: number, from = 0, to = grads.length): void {
  for (let i = from; i < to; i++) grads[i] *= scale;
}

/** Scales grads so their global norm is at most maxNorm; returns the norm before clipping. */
export function clipGradNorm(grads: Float32Array, maxNorm: number): number {
  const norm = globalNorm(grads);
  const scale = clipScale(norm, maxNorm);
  if (scale !== 1) scaleRange(grads, scale);
  return norm;
}
