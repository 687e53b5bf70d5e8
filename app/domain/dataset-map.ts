/**
 * The dataset map (issue 11): every image placed in 2-D from the model's penultimate-layer embeddings (PCA for a
 * quick view, UMAP for the real one; both seeded, so the same input gives the same coordinates), computed in a
 * worker and cached per run. Arrays are parallel, one entry per point, plain numbers so they cross IPC as they are.
 */

export type DatasetMapMethod = 'pca' | 'umap';

/** A computed map with the project's current labels and suggestions. */
export interface DatasetMap {
  projectId: string;
  runId: string;
  method: DatasetMapMethod;
  seed: number;
  computedAt: string;
  /** Embedding width (the penultimate layer's size). */
  dims: number;
  count: number;
  imageIds: number[];
  /** Coordinates scaled into [0, 1] (aspect kept: the longer side spans 0..1, the other is centred). */
  x: number[];
  y: number[];
  /** The current label id per point (0: unlabeled). */
  labelIds: number[];
  /** The current suggestion's label id per unlabeled point (0: none). */
  suggestedLabelIds: number[];
  /**
   * 1 where the point's label differs from the majority label of its k nearest labeled neighbours in embedding
   * space (a likely-mislabeled signal that does not need the model's loss); 0 otherwise or unlabeled.
   */
  disagrees: number[];
  /** Neighbours per point used for `disagrees`. */
  k: number;
  /** Images of the project (not removed) that the map lacks (imported after it was made): > 0 means stale. */
  missing: number;
}

/** Pushed while a map is computed. */
export interface DatasetMapProgress {
  projectId: string;
  runId: string;
  method: DatasetMapMethod;
  phase: 'embedding' | 'projecting' | 'neighbours';
  done: number;
  total: number;
}

/** Pushed when a computation ended. */
export interface DatasetMapFinished {
  projectId: string;
  runId: string;
  method: DatasetMapMethod;
  status: 'completed' | 'cancelled' | 'failed';
  error: { code: string; detail: string } | null;
  millis: number;
}
