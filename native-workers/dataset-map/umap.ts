/**
 * UMAP (umap-js) of the PCA-reduced embeddings to 2-D, seeded: umap-js draws every random number (initial layout,
 * negative samples) from the `random` function it is given, here a seeded xoshiro (cnn/rng.ts), so the same input
 * and seed give the same coordinates. Its neighbour graph is our exact kNN (setPrecomputedKNN): umap-js's own
 * approximate search (NN-descent) would be slower and its randomness another source of drift.
 */
import { UMAP } from 'umap-js';
import { Rng } from '../cnn/rng';
import type { KnnResult } from './knn';

export const UMAP_NEIGHBOURS = 15;
/**
 * Optimisation epochs. umap-js picks 500 up to 10,000 points and 200 above; its step is plain JS over number[][]
 * (10,000 points × 500 epochs took 89 s on a loaded 2-core machine), so every map gets 200: the clusters are
 * formed by then, and the time per map roughly halves at 10,000 points.
 */
export const UMAP_EPOCHS = 200;

/** 2-D UMAP of x [count, dims] with its kNN graph (k ≥ UMAP_NEIGHBOURS − 1); onEpoch(done, total). */
export function umap2d(
  x: Float32Array,
  count: number,
  dims: number,
  knn: KnnResult,
  seed: number,
  onEpoch?: (done: number, total: number) => void,
): { x: Float32Array; y: Float32Array } {
  const neighbours = Math.min(UMAP_NEIGHBOURS, count);
  const rng = new Rng(seed);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: neighbours,
    minDist: 0.1,
    nEpochs: UMAP_EPOCHS,
    random: () => rng.uniform(),
  });
  // umap-js expects each point's own index first (distance 0), as its own search returns it
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let p = 0; p < count; p++) {
    const row = [p];
    const dist = [0];
    for (let i = 0; i < neighbours - 1 && i < knn.k; i++) {
      row.push(knn.indices[p * knn.k + i]);
      dist.push(Math.sqrt(knn.distances[p * knn.k + i]));
    }
    indices.push(row);
    distances.push(dist);
  }
  umap.setPrecomputedKNN(indices, distances);
  const rows: number[][] = [];
  for (let p = 0; p < count; p++) rows.push(Array.from(x.subarray(p * dims, (p + 1) * dims)));
  const epochs = umap.initializeFit(rows);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    onEpoch?.(e + 1, epochs);
  }
  const embedding = umap.getEmbedding();
  const out = { x: new Float32Array(count), y: new Float32Array(count) };
  for (let p = 0; p < count; p++) {
    out.x[p] = embedding[p][0];
    out.y[p] = embedding[p][1];
  }
  return out;
}
