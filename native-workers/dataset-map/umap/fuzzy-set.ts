/**
 * UMAP's fuzzy simplicial set (McInnes, Healy & Melville 2018, §3; umap-learn's fuzzy_simplicial_set) built from
 * OUR exact kNN graph, so no approximate search or its randomness is involved.
 *
 * Each point i gets a local metric: ρᵢ, the distance to its nearest neighbour (so every point is connected to at
 * least one other with membership 1: "local connectivity" 1), and σᵢ, found by binary search so that
 *
 *   Σⱼ exp(−max(0, dᵢⱼ − ρᵢ) / σᵢ) = log₂(n_neighbors)      (over the point's neighbours, itself excluded)
 *
 * which makes every neighbourhood carry the same total membership whatever the local density. The directed
 * memberships P are then symmetrised by the fuzzy union P + Pᵀ − P∘Pᵀ (an edge is in the set if either end
 * believes in it), stored as CSR with sorted columns.
 */
import type { KnnResult } from '../knn';

/** Binary-search settings of umap-learn's smooth_knn_dist. */
const SEARCH_STEPS = 64;
const TOLERANCE = 1e-5;
/** σ is never below this fraction of the mean neighbour distance (umap-learn's MIN_K_DIST_SCALE). */
const MIN_K_DIST_SCALE = 1e-3;

export interface SmoothKnn {
  sigmas: Float32Array;
  rhos: Float32Array;
}

/**
 * σᵢ and ρᵢ for each row of Euclidean distances [count, k] (nearest first, self excluded). `nNeighbors` is
 * umap-learn's n_neighbors, which counts the point itself: the target sum is log₂(nNeighbors).
 */
export function smoothKnn(distances: Float32Array, count: number, k: number, nNeighbors: number): SmoothKnn {
  const target = Math.log2(nNeighbors);
  const sigmas = new Float32Array(count);
  const rhos = new Float32Array(count);
  let meanAll = 0;
  for (let i = 0; i < distances.length; i++) meanAll += distances[i];
  meanAll /= Math.max(1, distances.length);
  for (let p = 0; p < count; p++) {
    const row = p * k;
    let rho = 0;
    let mean = 0;
    for (let j = 0; j < k; j++) {
      const d = distances[row + j];
      if (rho === 0 && d > 0) rho = d; // the nearest non-zero distance (duplicates of the point sit at 0)
      mean += d;
    }
    mean /= k;
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let step = 0; step < SEARCH_STEPS; step++) {
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const d = distances[row + j] - rho;
        sum += d > 0 ? Math.exp(-d / mid) : 1;
      }
      if (Math.abs(sum - target) < TOLERANCE) break;
      if (sum > target) {
        hi = mid; // too much membership: narrow the kernel
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    // a point in a very tight clump would get σ → 0 (all memberships 0 or 1); keep a floor relative to its scale
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? mean : meanAll);
    sigmas[p] = Math.max(mid, floor);
    rhos[p] = rho;
  }
  return { sigmas, rhos };
}

/** A symmetric sparse matrix in CSR form: row i's columns are cols[rowStart[i] .. rowStart[i + 1]), ascending. */
export interface Csr {
  rowStart: Int32Array;
  cols: Int32Array;
  values: Float32Array;
  count: number;
}

/** The directed memberships exp(−(dᵢⱼ − ρᵢ)/σᵢ), [count, k] parallel to the kNN indices. */
export function memberships(knn: KnnResult, count: number, nNeighbors: number): Float32Array {
  const k = knn.k;
  const dist = new Float32Array(count * k);
  for (let i = 0; i < dist.length; i++) dist[i] = Math.sqrt(knn.distances[i]); // the kNN keeps squared distances
  const { sigmas, rhos } = smoothKnn(dist, count, k, nNeighbors);
  const w = new Float32Array(count * k);
  for (let p = 0; p < count; p++)
    for (let j = 0; j < k; j++) {
      const d = dist[p * k + j] - rhos[p];
      w[p * k + j] = d > 0 ? Math.exp(-d / sigmas[p]) : 1;
    }
  return w;
}

/**
 * The fuzzy union of the kNN graph's memberships as CSR: every directed entry (i → j, w) is placed in row i and,
 * transposed, in row j; a pair present both ways is merged as a + b − a·b.
 */
export function fuzzySimplicialSet(knn: KnnResult, count: number, nNeighbors: number): Csr {
  const k = knn.k;
  const w = memberships(knn, count, nNeighbors);
  // counting sort by row of the 2·count·k entries (both directions)
  const rowCount = new Int32Array(count + 1);
  for (let p = 0; p < count; p++)
    for (let j = 0; j < k; j++) {
      rowCount[p + 1]++;
      rowCount[knn.indices[p * k + j] + 1]++;
    }
  for (let p = 0; p < count; p++) rowCount[p + 1] += rowCount[p];
  const fill = rowCount.slice(0, count);
  const rawCols = new Int32Array(rowCount[count]);
  const rawValues = new Float32Array(rowCount[count]);
  for (let p = 0; p < count; p++)
    for (let j = 0; j < k; j++) {
      const q = knn.indices[p * k + j];
      const v = w[p * k + j];
      rawCols[fill[p]] = q;
      rawValues[fill[p]++] = v;
      rawCols[fill[q]] = p;
      rawValues[fill[q]++] = v;
    }
  // per row: sort by column (rows are short: insertion sort), merge equal columns, drop zero memberships
  const rowStart = new Int32Array(count + 1);
  const cols = new Int32Array(rawCols.length);
  const values = new Float32Array(rawCols.length);
  let out = 0;
  for (let p = 0; p < count; p++) {
    const from = rowCount[p];
    const to = rowCount[p + 1];
    for (let a = from + 1; a < to; a++) {
      const c = rawCols[a];
      const v = rawValues[a];
      let b = a - 1;
      while (b >= from && rawCols[b] > c) {
        rawCols[b + 1] = rawCols[b];
        rawValues[b + 1] = rawValues[b];
        b--;
      }
      rawCols[b + 1] = c;
      rawValues[b + 1] = v;
    }
    rowStart[p] = out;
    for (let a = from; a < to; a++) {
      let v = rawValues[a];
      // the same pair from the other end (a column appears at most twice: once per direction)
      if (a + 1 < to && rawCols[a + 1] === rawCols[a]) {
        const u = rawValues[++a];
        v = v + u - v * u;
      }
      if (v <= 0) continue;
      cols[out] = rawCols[a];
      values[out++] = v;
    }
  }
  rowStart[count] = out;
  return { rowStart, cols: cols.slice(0, out), values: values.slice(0, out), count };
}
