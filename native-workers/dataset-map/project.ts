/**
 * The whole projection of one map, environment-neutral (the worker, the bench and the tests call it): PCA to at
 * most 50 dimensions, exact kNN in that space, then 2-D coordinates (the first two components for 'pca', UMAP
 * for 'umap'), scaled into [0, 1] with the aspect kept.
 */
import type { DatasetMapMethod } from '../../app/domain/dataset-map';
import type { KernelSet } from '../cnn/kernel-set';
import { nearestNeighbours } from './knn';
import type { ProjectionTimings } from './messages';
import { pca } from './pca';
import { UMAP_NEIGHBOURS, umap2d } from './umap';

/** PCA keeps at most this many components before kNN and UMAP. */
export const REDUCED_DIMS = 50;

export interface Projection {
  x: Float32Array;
  y: Float32Array;
  /** [count, k], nearest first, never the point itself. */
  neighbours: Int32Array;
  k: number;
  reducedDims: number;
  timings: ProjectionTimings;
}

export type ProjectionProgress = (phase: 'projecting' | 'neighbours', done: number, total: number) => void;

export function projectEmbeddings(
  kernels: KernelSet,
  embeddings: Float32Array,
  count: number,
  dims: number,
  options: { method: DatasetMapMethod; seed: number; k: number },
  progress: ProjectionProgress = () => undefined,
): Projection {
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  progress('projecting', 0, 1);
  const reduced = pca(embeddings, count, dims, REDUCED_DIMS);
  const pcaMillis = lap();
  const searchK = options.method === 'umap' ? Math.max(options.k, UMAP_NEIGHBOURS - 1) : options.k;
  const knn = nearestNeighbours(kernels, reduced.values, count, reduced.components, searchK, (done, total) =>
    progress('neighbours', done, total),
  );
  const knnMillis = lap();
  let x: Float32Array;
  let y: Float32Array;
  if (options.method === 'umap' && count > 2) {
    ({ x, y } = umap2d(reduced.values, count, reduced.components, knn, options.seed, (done, total) =>
      progress('projecting', done, total),
    ));
  } else {
    x = new Float32Array(count);
    y = new Float32Array(count);
    const c = reduced.components;
    for (let p = 0; p < count; p++) {
      x[p] = reduced.values[p * c];
      y[p] = c > 1 ? reduced.values[p * c + 1] : 0;
    }
  }
  const umapMillis = options.method === 'umap' ? lap() : 0;
  normalizeUnit(x, y);
  const k = Math.min(options.k, knn.k);
  const neighbours = new Int32Array(count * k);
  for (let p = 0; p < count; p++) neighbours.set(knn.indices.subarray(p * knn.k, p * knn.k + k), p * k);
  return {
    x,
    y,
    neighbours,
    k,
    reducedDims: reduced.components,
    timings: { pca: pcaMillis, knn: knnMillis, umap: umapMillis },
  };
}

/** Scales x, y in place into [0, 1]: the longer side spans 0..1, the other is centred (aspect kept). */
export function normalizeUnit(x: Float32Array, y: Float32Array): void {
  const range = (a: Float32Array) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of a) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return a.length ? { lo, hi } : { lo: 0, hi: 0 };
  };
  const rx = range(x);
  const ry = range(y);
  const span = Math.max(rx.hi - rx.lo, ry.hi - ry.lo);
  const scale = span > 0 ? 1 / span : 0;
  const offX = (1 - (rx.hi - rx.lo) * scale) / 2;
  const offY = (1 - (ry.hi - ry.lo) * scale) / 2;
  for (let i = 0; i < x.length; i++) {
    x[i] = span > 0 ? (x[i] - rx.lo) * scale + offX : 0.5;
    y[i] = span > 0 ? (y[i] - ry.lo) * scale + offY : 0.5;
  }
}
