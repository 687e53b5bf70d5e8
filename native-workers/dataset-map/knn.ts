/**
 * Exact k nearest neighbours (squared Euclidean) of every point among all points, by blocked brute force on the
 * KernelSet's GEMM. For a block of query rows q and a chunk of points p,
 *
 *   score(q, p) = q·p − ½‖p‖²
 *
 * is largest exactly where ‖q − p‖² = ‖q‖² − 2·score is smallest, so each row keeps its k largest scores.
 *
 * Why a 1×1 convolution and not the dense kernel: denseForward is C = A·Bᵀ, one horizontal vector sum per score
 * (and, at 50 dims, a scalar tail after three AVX-512 vectors) — that and a 128 × 60,000 score block (30 MB, far
 * out of cache, written by C and read back by JS) made 60,000 points take ~100 s. A 1×1 convolution is the
 * register-tiled C = A·B, vectorised along the points: the points are stored transposed, [dims + 1, chunk], with
 * −½‖p‖² as the extra row and 1 as the queries' extra column, so the GEMM yields the scores directly. Score blocks
 * are QUERY_BLOCK × POINT_CHUNK (2 MB), hot in cache when the JS scan reads them; the scan rejects almost every
 * candidate with one comparison against the row's current k-th best score. A point is never its own neighbour;
 * ties go to the smaller index.
 *
 * Pruning, still exact: points and queries are sorted by their first coordinate (the first principal component,
 * the widest spread), so a chunk of points spans an interval [lo, hi] of it, and ‖q − p‖² ≥ gap(q₀, [lo, hi])².
 * A query block visits chunks nearest-interval first and skips a chunk once, for every query of the block, that
 * bound exceeds its current k-th distance by a margin far above float32 rounding of the scores (so a skipped
 * point could never have been accepted).
 */
import type { Conv2dShape, KernelSet } from '../cnn/kernel-set';

/** Query rows per GEMM call (the conv's output channels). */
const QUERY_BLOCK = 128;
/** Points per GEMM call (the conv's image width). */
const POINT_CHUNK = 4096;

export interface KnnResult {
  /** [count, k] neighbour indices, nearest first. */
  indices: Int32Array;
  /** [count, k] squared distances, parallel to indices. */
  distances: Float32Array;
  k: number;
}

/** The points of [from, from + w) transposed to [dims + 1, w], the last row −½‖p‖². */
function transposedChunk(x: Float32Array, dims: number, from: number, w: number, halfNorm: Float32Array) {
  const t = new Float32Array((dims + 1) * w);
  for (let j = 0; j < w; j++) {
    const o = (from + j) * dims;
    for (let d = 0; d < dims; d++) t[d * w + j] = x[o + d];
    t[dims * w + j] = halfNorm[from + j];
  }
  return t;
}

/** The k (≤ count − 1) nearest neighbours of each row of x [count, dims]; onBlock(done, total) reports progress; `blocks` only for tests. */
export function nearestNeighbours(
  kernels: KernelSet,
  x: Float32Array,
  count: number,
  dims: number,
  kWanted: number,
  onBlock?: (done: number, total: number) => void,
  blocks: { queries: number; points: number } = { queries: QUERY_BLOCK, points: POINT_CHUNK },
): KnnResult {
  const queryBlock = blocks.queries;
  const pointChunk = blocks.points;
  const k = Math.max(0, Math.min(kWanted, count - 1));
  const indices = new Int32Array(count * k);
  const distances = new Float32Array(count * k);
  if (k === 0) return { indices, distances, k };
  // order[i]: the original index of the i-th point by first coordinate (ties by index); xs: the sorted rows
  const order = Int32Array.from({ length: count }, (_, i) => i).sort(
    (a, b) => x[a * dims] - x[b * dims] || a - b,
  );
  const xs = new Float32Array(count * dims);
  for (let i = 0; i < count; i++) xs.set(x.subarray(order[i] * dims, (order[i] + 1) * dims), i * dims);
  const halfNorm = new Float32Array(count);
  const norm = new Float64Array(count);
  let maxNorm = 0;
  for (let p = 0; p < count; p++) {
    let s = 0;
    for (let d = 0; d < dims; d++) s += xs[p * dims + d] * xs[p * dims + d];
    norm[p] = s;
    halfNorm[p] = -0.5 * s;
    maxNorm = Math.max(maxNorm, s);
  }
  const width = dims + 1;
  const chunks: Float32Array[] = [];
  const chunkLo: number[] = [];
  const chunkHi: number[] = [];
  for (let from = 0; from < count; from += pointChunk) {
    const w = Math.min(pointChunk, count - from);
    chunks.push(transposedChunk(xs, dims, from, w, halfNorm));
    chunkLo.push(xs[from * dims]);
    chunkHi.push(xs[(from + w - 1) * dims]);
  }
  const gap = (v: number, c: number) => Math.max(0, chunkLo[c] - v, v - chunkHi[c]);
  const queries = new Float32Array(Math.min(queryBlock, count) * width);
  const scores = new Float32Array(Math.min(queryBlock, count) * Math.min(pointChunk, count));
  // each block row's sorted (descending) best list and its k-th score, kept across point chunks
  const bestScore = new Float64Array(queryBlock * k);
  const bestIndex = new Int32Array(queryBlock * k);
  const filled = new Int32Array(queryBlock);
  const threshold = new Float64Array(queryBlock);
  const shape: Conv2dShape = {
    batch: 1,
    inChannels: width,
    inHeight: 1,
    inWidth: 0,
    outChannels: 0,
    kernelHeight: 1,
    kernelWidth: 1,
    strideH: 1,
    strideW: 1,
    padTop: 0,
    padLeft: 0,
    outHeight: 1,
    outWidth: 0,
  };
  for (let from = 0; from < count; from += queryBlock) {
    const b = Math.min(queryBlock, count - from);
    for (let r = 0; r < b; r++) {
      queries.set(xs.subarray((from + r) * dims, (from + r + 1) * dims), r * width);
      queries[r * width + dims] = 1;
    }
    filled.fill(0);
    threshold.fill(-Infinity);
    const qLo = xs[from * dims];
    const qHi = xs[(from + b - 1) * dims];
    const visit = chunks.map((_, c) => c);
    visit.sort(
      (c1, c2) => Math.max(gap(qLo, c1), gap(qHi, c1)) - Math.max(gap(qLo, c2), gap(qHi, c2)) || c1 - c2,
    );
    for (const c of visit) {
      let needed = false;
      for (let r = 0; r < b && !needed; r++) {
        const q = from + r;
        const g = gap(xs[q * dims], c);
        const kth = norm[q] - 2 * threshold[r]; // +∞ while the list is not full
        needed = g * g <= kth + 1e-3 * (norm[q] + maxNorm) + 1e-6;
      }
      if (!needed) continue;
      const p0 = c * pointChunk;
      const w = Math.min(pointChunk, count - p0);
      shape.inWidth = shape.outWidth = w;
      shape.outChannels = b;
      const block = scores.subarray(0, b * w);
      kernels.conv2dForward(shape, chunks[c], queries.subarray(0, b * width), null, block);
      for (let r = 0; r < b; r++) {
        const o = r * w;
        const own = from + r - p0; // the query's own column in this chunk: never a candidate
        if (own >= 0 && own < w) block[o + own] = NaN; // fails every comparison
        const best = r * k;
        let n = filled[r];
        let t = threshold[r]; // −∞ until the list is full, then its k-th (smallest) score
        for (let j = 0; j < w; j++) {
          const s = block[o + j];
          if (!(s >= t)) continue; // the hot path: one comparison per candidate
          const id = order[p0 + j];
          if (s === t && n === k && id > bestIndex[best + k - 1]) continue; // a tie: the smaller index stays
          let i = n < k ? n++ : k - 1; // insert into the sorted list, dropping its last when full
          while (
            i > 0 &&
            (bestScore[best + i - 1] < s || (bestScore[best + i - 1] === s && bestIndex[best + i - 1] > id))
          ) {
            bestScore[best + i] = bestScore[best + i - 1];
            bestIndex[best + i] = bestIndex[best + i - 1];
            i--;
          }
          bestScore[best + i] = s;
          bestIndex[best + i] = id;
          if (n === k) t = bestScore[best + k - 1];
        }
        filled[r] = n;
        threshold[r] = t;
      }
    }
    for (let r = 0; r < b; r++) {
      const q = from + r;
      const row = order[q] * k;
      for (let i = 0; i < k; i++) {
        indices[row + i] = bestIndex[r * k + i];
        distances[row + i] = Math.max(0, norm[q] - 2 * bestScore[r * k + i]);
      }
    }
    onBlock?.(from + b, count);
  }
  return { indices, distances, k };
}
