/**
 * Float64 central-difference gradient checking for the ops: loss = Σ out · R for a fixed random R, so that
 * dout = R and every analytic gradient can be compared against (loss(x + h) − loss(x − h)) / 2h.
 */
import { Rng } from '../../../native-workers/cnn/rng';

/** A float64 array of n standard-normal values. */
export function randn(n: number, rng: Rng, scale = 1): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * scale;
  return a;
}

/** Σ a · b. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Compares an analytic gradient of `x` with the numeric one of `loss()`, which must read `x`.
 * Returns the max relative error (|a − n| / max(1, |a|, |n|)).
 */
export function maxGradError(x: Float64Array, analytic: Float64Array, loss: () => number, h = 1e-6): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const orig = x[i];
    x[i] = orig + h;
    const lp = loss();
    x[i] = orig - h;
    const lm = loss();
    x[i] = orig;
    const numeric = (lp - lm) / (2 * h);
    const err = Math.abs(numeric - analytic[i]) / Math.max(1, Math.abs(numeric), Math.abs(analytic[i]));
    if (err > worst) worst = err;
  }
  return worst;
}
