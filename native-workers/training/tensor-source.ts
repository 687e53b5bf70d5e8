/**
 * Reads images' cached pixels (the uint8 tensor cache the import fills) straight from the project database, in the
 * worker, so the main process never copies a dataset. The connection is read-only (WAL lets it read while main
 * writes).
 */
import Database from 'better-sqlite3';
import type { TensorSource } from './messages';

/** Uint8 pixels [count, C, H, W] of `source.imageIds`, in that order. */
export function readTensors(source: TensorSource, imageSize: number): Uint8Array {
  const ids = source.imageIds;
  const out = new Uint8Array(ids.length * imageSize);
  if (ids.length === 0) return out;
  const position = new Map<number, number>();
  let lo = Infinity;
  let hi = -Infinity;
  ids.forEach((id, i) => {
    position.set(id, i);
    lo = Math.min(lo, id);
    hi = Math.max(hi, id);
  });
  const db = new Database(source.dbPath, {
    readonly: true,
    fileMustExist: true,
    ...(source.sqliteBinding ? { nativeBinding: source.sqliteBinding } : {}),
  });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db
      .prepare('SELECT image_id, pixels FROM image_tensors WHERE image_id BETWEEN ? AND ?')
      .raw()
      .iterate(lo, hi) as IterableIterator<[number, Buffer]>;
    let found = 0;
    for (const [id, pixels] of rows) {
      const i = position.get(id);
      if (i === undefined) continue;
      if (pixels.length !== imageSize)
        throw new Error(`image ${id}: cached tensor has ${pixels.length} bytes, expected ${imageSize}`);
      out.set(pixels, i * imageSize);
      found++;
    }
    if (found !== ids.length) {
      const missing = ids.filter((id) => !hasRow(db, id)).slice(0, 5);
      throw new Error(
        `${ids.length - found} image(s) have no cached tensor (e.g. ${missing.join(', ')}); rebuild the tensor cache`,
      );
    }
  } finally {
    db.close();
  }
  return out;
}

function hasRow(db: Database.Database, id: number): boolean {
  return db.prepare('SELECT 1 FROM image_tensors WHERE image_id = ?').get(id) !== undefined;
}
