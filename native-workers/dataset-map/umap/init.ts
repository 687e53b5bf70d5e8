/**
 * The starting layout: the first two principal components instead of umap-learn's default spectral embedding
 * (an eigenproblem of the graph Laplacian, costly at 60,000 points and a source of platform drift). Our input is
 * already PCA-projected, so they are its first two columns. Scaled like umap-learn's noisy_scale_coords: the
 * largest coordinate becomes 10 (the range the a/b curve and the unit learning rate are tuned for) and a tiny
 * seeded jitter (σ = 1e-4) separates duplicates, which would otherwise never get a direction to move apart.
 */
import type { Rng } from '../../cnn/rng';

const MAX_COORD = 10;
const NOISE = 1e-4;

/** float32 [count, 2] from the first two columns of x [count, dims] (a missing second column is 0). */
export function pcaInit(x: Float32Array, count: number, dims: number, rng: Rng): Float32Array {
  const xy = new Float32Array(count * 2);
  let largest = 0;
  for (let p = 0; p < count; p++) {
    xy[2 * p] = x[p * dims];
    xy[2 * p + 1] = dims > 1 ? x[p * dims + 1] : 0;
    largest = Math.max(largest, Math.abs(xy[2 * p]), Math.abs(xy[2 * p + 1]));
  }
  const scale = largest > 0 ? MAX_COORD / largest : 1;
  for (let i = 0; i < xy.length; i++) xy[i] = xy[i] * scale + NOISE * rng.normal();
  return xy;
}
