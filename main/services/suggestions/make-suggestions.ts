/**
 * Makes a suggestion set: the cached network inputs (image_tensors, filled at import: no image is decoded here) of
 * every unlabeled image, read in chunks so that 60,000 RGB images never become one array, and predicted by the
 * model's persistent inference worker; the top-1 class per image. Main reads the next chunk while the worker
 * predicts the current one.
 */
import { AppFailure } from '../../../app/ipc/result';
import type { Db } from '../../db/open-database';
import { tensorShape } from '../dataset/tensors';
import type { InferenceClient } from '../prediction/inference-client';
import { UNLABELED, type SuggestionSet } from './suggestion-store';

/** Images per request to the worker: large enough to amortise messages, small enough to cancel quickly. */
export const CHUNK_IMAGES = 1024;

/** What making suggestions needs of an inference worker (InferenceClient). */
export type SuggestionModel = Pick<InferenceClient, 'imageSize' | 'predict'> & {
  meta: Pick<InferenceClient['meta'], 'labels'>;
};

export interface MakeOptions {
  runId: string;
  signal: AbortSignal;
  /** After each chunk: images predicted so far and in all. */
  onProgress?(done: number, total: number): void;
  chunkImages?: number;
}

interface Chunk {
  ids: Int32Array;
  pixels: Uint8Array;
  count: number;
  lastId: number;
}

/** Top-1 class of each unlabeled image (not removed, id ≤ the largest id when it started). */
export async function makeSuggestions(
  db: Db,
  model: SuggestionModel,
  options: MakeOptions,
): Promise<SuggestionSet> {
  const { plane } = tensorShape(db);
  if (model.imageSize !== plane)
    throw new AppFailure('conflict', "The model's input does not match the project's image size.", {
      code: 'input-mismatch',
    });
  const limit = options.chunkImages ?? CHUNK_IMAGES;
  // Images imported during the refresh wait for the next one ('new-images'): the total stays what it was.
  const maxId = (db.prepare('SELECT COALESCE(MAX(id), 0) FROM images').pluck().get() as number) ?? 0;
  const total = db
    .prepare(`SELECT COUNT(*) FROM images i WHERE ${UNLABELED} AND i.id <= ?`)
    .pluck()
    .get(maxId) as number;
  const rows = db
    .prepare(
      `SELECT i.id, t.pixels FROM images i LEFT JOIN image_tensors t ON t.image_id = i.id
       WHERE ${UNLABELED} AND i.id > ? AND i.id <= ? ORDER BY i.id LIMIT ?`,
    )
    .raw();

  const readChunk = (afterId: number): Chunk => {
    const found = rows.all(afterId, maxId, limit) as [number, Buffer | null][];
    const ids = new Int32Array(found.length);
    const pixels = new Uint8Array(found.length * plane);
    found.forEach(([id, tensor], k) => {
      if (!tensor || tensor.length !== plane)
        throw new AppFailure('storage', `Image ${id} has no cached tensor; rebuild the tensor cache.`, {
          code: 'tensors-missing',
        });
      ids[k] = id;
      pixels.set(tensor, k * plane);
    });
    return { ids, pixels, count: found.length, lastId: found.length ? found[found.length - 1][0] : afterId };
  };

  const labels = model.meta.labels;
  const set = {
    runId: options.runId,
    imageIds: [] as number[],
    labels: [] as string[],
    confidences: [] as number[],
  };
  options.onProgress?.(0, total);
  let chunk = readChunk(0);
  // The pixels are transferred to the worker: the chunk's buffer is not used again.
  let pending = chunk.count ? model.predict(chunk.pixels, chunk.count) : null;
  while (pending) {
    let next: Chunk;
    try {
      next = readChunk(chunk.lastId);
    } catch (error) {
      await pending.catch(() => undefined);
      throw error;
    }
    const probabilities = await pending;
    const classes = probabilities.length / chunk.count;
    for (let k = 0; k < chunk.count; k++) {
      // argmax, ties to the lower class index (as the prediction path's topClasses)
      let best = 0;
      for (let c = 1; c < classes; c++)
        if (probabilities[k * classes + c] > probabilities[k * classes + best]) best = c;
      set.imageIds.push(chunk.ids[k]);
      set.labels.push(labels[best]);
      set.confidences.push(probabilities[k * classes + best]);
    }
    options.onProgress?.(Math.min(set.imageIds.length, total), total);
    if (options.signal.aborted)
      throw new AppFailure('cancelled', 'Making suggestions was cancelled.', { code: 'cancelled' });
    chunk = next;
    pending = chunk.count ? model.predict(chunk.pixels, chunk.count) : null;
  }
  return set;
}
