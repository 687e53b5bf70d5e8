/**
 * UMAP of the PCA-reduced embeddings to 2-D, our own typed-array implementation (umap/): the fuzzy simplicial set
 * of our exact kNN graph (umap/fuzzy-set.ts), a start from the first two principal components (umap/init.ts) and
 * umap-learn's SGD layout (umap/layout.ts). Seeded: every random number comes from one xoshiro (cnn/rng.ts) in a
 * fixed order, so the same input and seed give identical coordinates.
 */
import { Rng } from '../cnn/rng';
import type { KnnResult } from './knn';
import { fuzzySimplicialSet } from './umap/fuzzy-set';
import { pcaInit } from './umap/init';
import { optimizeLayout } from './umap/layout';

/** umap-learn's n_neighbors (it counts the point itself): the kNN search keeps UMAP_NEIGHBOURS − 1 others. */
export const UMAP_NEIGHBOURS = 15;

/** Optimisation epochs: umap-learn's defaults, 500 up to 10,000 points and 200 above (each epoch costs more). */
export function umapEpochs(count: number): number {
  return count > 10_000 ? 200 : 500;
}

/** The kNN graph cut to its first k columns (the search may have kept more for the disagreement marks). */
function firstNeighbours(knn: KnnResult, count: number, k: number): KnnResult {
  if (knn.k <= k) return knn;
  const indices = new Int32Array(count * k);
  const distances = new Float32Array(count * k);
  for (let p = 0; p < count; p++) {
    indices.set(knn.indices.subarray(p * knn.k, p * knn.k + k), p * k);
    distances.set(knn.distances.subarray(p * knn.k, p * knn.k + k), p * k);
  }
  return { indices, distances, k };
}

/** 2-D UMAP of x [count, dims] (PCA projections, largest variance first) with its kNN graph; onEpoch(done, total). */
export function umap2d(
  x: Float32Array,
  count: number,
  dims: number,
  knn: KnnResult,
  seed: number,
  onEpoch?: (done: number, total: number) => void,
): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(seed);
  const neighbours = firstNeighbours(knn, count, UMAP_NEIGHBOURS - 1);
  const graph = fuzzySimplicialSet(neighbours, count, neighbours.k + 1);
  const xy = pcaInit(x, count, dims, rng);
  optimizeLayout(xy, graph, { epochs: umapEpochs(count), rng, onEpoch });
  const out = { x: new Float32Array(count), y: new Float32Array(count) };
  for (let p = 0; p < count; p++) {
    out.x[p] = xy[2 * p];
    out.y[p] = xy[2 * p + 1];
  }
  return out;
}
