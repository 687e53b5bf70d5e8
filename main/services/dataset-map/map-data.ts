/**
 * What the dataset map reads from a project's database: the ids of the non-removed images, their cached tensors
 * (image_tensors, filled at import: no decoding) a chunk at a time, and at get() time the current labels and
 * suggestions. The suggestions table belongs to the suggestions feature (migration 005) and is only read when it
 * exists.
 */
import type { Db } from '../../db/open-database';
import { AppFailure } from '../../../app/ipc/result';

/** Ids of every non-removed image, ascending. */
export function currentImageIds(db: Db): Int32Array {
  const ids = db
    .prepare('SELECT id FROM images WHERE removed_at IS NULL ORDER BY id')
    .pluck()
    .all() as number[];
  return Int32Array.from(ids);
}

/** The cached tensors of `ids` (in that order) as one uint8 buffer [ids.length, plane]. */
export function tensorsOf(db: Db, ids: ArrayLike<number>, plane: number): Uint8Array {
  const out = new Uint8Array(ids.length * plane);
  const list = Array.from(ids);
  const rows = db
    .prepare(
      `SELECT image_id, pixels FROM image_tensors WHERE image_id IN (${list.map(() => '?').join(',')})`,
    )
    .raw()
    .all(...list) as [number, Buffer][];
  const at = new Map(list.map((id, i) => [id, i]));
  let found = 0;
  for (const [id, pixels] of rows) {
    const i = at.get(id);
    if (i === undefined) continue;
    if (pixels.length !== plane)
      throw new AppFailure(
        'storage',
        `Image ${id} has a cached tensor of ${pixels.length} bytes, the model takes ${plane}; rebuild the tensor cache.`,
        { code: 'tensor-mismatch' },
      );
    out.set(pixels, i * plane);
    found++;
  }
  if (found !== list.length)
    throw new AppFailure('storage', 'Some images have no cached tensor; rebuild the tensor cache.', {
      code: 'tensor-missing',
    });
  return out;
}

/** The current label (0: unlabeled) and suggested label id (0: none) of every non-removed image. */
export function currentLabels(db: Db): { labelOf: Map<number, number>; suggestedOf: Map<number, number> } {
  const labelOf = new Map<number, number>();
  const rows = db.prepare('SELECT id, label_id FROM images WHERE removed_at IS NULL').raw().all() as [
    number,
    number | null,
  ][];
  for (const [id, label] of rows) labelOf.set(id, label ?? 0);
  const suggestedOf = new Map<number, number>();
  const hasSuggestions = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'suggestions'")
    .pluck()
    .get();
  if (hasSuggestions) {
    const suggested = db
      .prepare('SELECT s.image_id, l.id FROM suggestions s JOIN labels l ON l.name = s.label')
      .raw()
      .all() as [number, number][];
    for (const [id, label] of suggested) suggestedOf.set(id, label);
  }
  return { labelOf, suggestedOf };
}

/** The first source path and current label name of each image (the embed CSV). */
export function fileAndLabel(db: Db): Map<number, { file: string; label: string }> {
  const rows = db
    .prepare(
      'SELECT i.id, i.source_path, l.name FROM images i LEFT JOIN labels l ON l.id = i.label_id WHERE i.removed_at IS NULL',
    )
    .raw()
    .all() as [number, string, string | null][];
  return new Map(rows.map(([id, file, label]) => [id, { file, label: label ?? '' }]));
}
