import { type Db, writeTransaction } from '../../db/open-database';
import { BlobStore } from './blob-store';

/** dataset_settings key: `started_at` of the newest interrupted import whose leftovers are known to be swept. */
const SWEPT_THROUGH = 'orphans-swept-through';

/**
 * Removes the blob and thumbnail files an interrupted import (killed, or its process died) left without rows,
 * sparing files younger than `graceMs` (another process may be importing and not have committed them yet).
 *
 * Cheap when there is nothing to do: only an import without a summary (interrupted, or running in another
 * process) can have left such files, so without one newer than the last complete sweep nothing is listed. A sweep
 * that spared no young file is complete: it records the newest such import, so the next open skips the listing.
 */
export function sweepInterruptedImports(
  db: Db,
  projectDir: string,
  graceMs: number,
): { swept: boolean; removed: number; spared: number } {
  const through = (db
    .prepare('SELECT value FROM dataset_settings WHERE key = ?')
    .pluck()
    .get(SWEPT_THROUGH) ?? '') as string;
  const newest = db
    .prepare('SELECT MAX(started_at) FROM imports WHERE summary IS NULL AND started_at > ?')
    .pluck()
    .get(through) as string | null;
  if (newest === null) return { swept: false, removed: 0, spared: 0 };
  const { removed, spared } = new BlobStore(projectDir).cleanOrphans(db, { olderThanMs: graceMs });
  if (spared === 0) {
    writeTransaction(db, () =>
      db
        .prepare(
          'INSERT INTO dataset_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        )
        .run(SWEPT_THROUGH, newest),
    )();
  }
  return { swept: true, removed, spared };
}
