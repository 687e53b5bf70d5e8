import { z } from 'zod';
import type { DatasetMap } from '../../domain/dataset-map';
import { invoke } from '../define';
import { projectId, runId } from '../schemas';

const method = z.enum(['pca', 'umap']);

/** Invoke channels of the dataset map (issue 11): every image in 2-D from the model's embeddings. */
export const datasetMapChannels = {
  /**
   * Starts computing the map of the project's model (or run `runId`) in a worker; answers at once. Progress:
   * `datasetMap:progress`; end: `datasetMap:finished`. Cached per run and method: when a cached map covers the
   * project's images, it finishes at once. `force` recomputes anyway.
   */
  'datasetMap:compute': invoke<{ started: boolean }>()(
    z
      .object({
        projectId,
        runId: runId.optional(),
        method: method.default('umap'),
        force: z.boolean().default(false),
      })
      .strict(),
  ),
  /** The cached map with the current labels, suggestions and disagreement marks; `map` null when none was computed. */
  'datasetMap:get': invoke<{ map: DatasetMap | null }>()(
    z.object({ projectId, runId: runId.optional(), method: method.default('umap') }).strict(),
  ),
  'datasetMap:cancel': invoke<{ cancelled: boolean }>()(z.object({ projectId }).strict()),
} as const;
