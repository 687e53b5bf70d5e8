/**
 * The messages between main (main/services/dataset-map/map-client.ts) and a dataset-map worker
 * (native-workers/dataset-map-worker.ts). One worker computes one map: main sends `project` with the embeddings
 * (transferred), the worker streams `progress`, then answers `projected` (or `failed`) and exits. Cancelling is
 * terminating the worker. Both unions are handled in exhaustive switches (assertNever).
 */
import type { DatasetMapMethod } from '../../app/domain/dataset-map';

/** Main → worker. */
export type ToMapWorker = {
  type: 'project';
  /** float32 [count, dims] penultimate embeddings (transferred). */
  embeddings: Float32Array;
  count: number;
  dims: number;
  method: DatasetMapMethod;
  seed: number;
  /** Neighbours kept per point (excluding itself), for the disagreement marks. */
  k: number;
};

/** Worker → main. */
export type FromMapWorker =
  | { type: 'progress'; phase: 'projecting' | 'neighbours'; done: number; total: number }
  | {
      type: 'projected';
      /** Coordinates in [0, 1], aspect kept (transferred). */
      x: Float32Array;
      y: Float32Array;
      /** [count, k] nearest neighbours in the PCA-reduced space, nearest first, never the point itself. */
      neighbours: Int32Array;
      k: number;
      /** Width of the PCA-reduced space. */
      reducedDims: number;
      /** Milliseconds per stage. */
      timings: ProjectionTimings;
    }
  | { type: 'failed'; detail: string };

export interface ProjectionTimings {
  pca: number;
  knn: number;
  /** 0 for the 'pca' method. */
  umap: number;
}

/** For exhaustive switches: a compile error when a case is missing. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
