/**
 * Exact k nearest neighbours (squared Euclidean) of every point among all points, by blocked brute force on the
 * KernelSet's dense (GEMM) kernel: for a block of B query rows q and all points p,
 *
 *   score(q, p) = q·p − ½‖p‖²     (a dense layer with weight = the points and bias = −½‖p‖²)
 *
 * is largest exactly where ‖q − p‖² = ‖q‖² − 2·score is smallest, so each row keeps its k largest scores. The
 * GEMM is the native/wasm kernel the network runs on (60,000² × 50 multiply-adds in a few seconds), and the
 * per-row top-k scan rejects almost every candidate with one comparison. A point is never its own neighbour;
 * ties go to the smaller index.
 */
import type { KernelSet } from '../cnn/kernel-set';

/** Query rows per GEMM block (the score block is BLOCK × count float32). */
const BLOCK = 128;

export interface KnnResult {
  /** [count, k] neighbour indices, nearest first. */
  indices: Int32Array;
  /** [count, k] squared distances, parallel to indices. */
  distances: Float32Array;
  k: number;
}

/** The k (≤ count − 1) nearest neighbours of each row of x [count, dims]; onBlock(done, total) reports progress. */
export function nearestNeighbours(
  kernels: KernelSet,
  x: Float32Array,
  count: number,
  dims: number,
  kWanted: number,
  onBlock?: (done: number, total: number) => void,
): KnnResult {
  const k = Math.max(0, Math.min(kWanted, count - 1));
  const indices = new Int32Array(count * k);
  const distances = new Float32Array(count * k);
  if (k === 0) return { indices, distances, k };
  const halfNorm = new Float32Array(count);
  const norm = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    let s = 0;
    for (let d = 0; d < dims; d++) s += x[p * dims + d] * x[p * dims + d];
    norm[p] = s;
    halfNorm[p] = -0.5 * s;
  }
  const scores = new Float32Array(Math.min(BLOCK, count) * count);
  const bestScore = new Float64Array(k);
  const bestIndex = new Int32Array(k);
  for (let from = 0; from < count; from += BLOCK) {
    const b = Math.min(BLOCK, count - from);
    const block = scores.subarray(0, b * count);
    kernels.denseForward(
      { batch: b, inFeatures: dims, outFeatures: count },
      x.subarray(from * dims, (from + b) * dims),
      x,
      halfNorm,
      block,
    );
    for (let r = 0; r < b; r++) {
      const q = from + r;
      let filled = 0;
      let threshold = -Infinity; // the k-th best score so far
      const o = r * count;
      for (let p = 0; p < count; p++) {
        const s = block[o + p];
        if ((filled === k && s <= threshold) || p === q) continue;
        // insert into the sorted (descending) top list
        let i = filled < k ? filled++ : k - 1;
        while (i > 0 && bestScore[i - 1] < s) {
          bestScore[i] = bestScore[i - 1];
          bestIndex[i] = bestIndex[i - 1];
          i--;
        }
        bestScore[i] = s;
        bestIndex[i] = p;
        if (filled === k) threshold = bestScore[k - 1];
      }
      for (let i = 0; i < k; i++) {
        indices[q * k + i] = bestIndex[i];
        distances[q * k + i] = Math.max(0, norm[q] - 2 * bestScore[i]);
      }
    }
    onBlock?.(from + b, count);
  }
  return { indices, distances, k };
}
