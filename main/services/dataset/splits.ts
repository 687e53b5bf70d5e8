import { createHash } from 'node:crypto';
import { DEFAULT_SPLIT, SPLIT_NAMES, type SplitName, type SplitRatios } from '../../../app/domain/dataset';
import type { Db } from '../../db/open-database';

/**
 * Train/val/test assignment: stratified per label (unlabeled images form their own stratum), seeded, and STABLE —
 * only images without a split are assigned, each to the split furthest below its target share within its label,
 * taking images in the order of a seeded hash of their content. Adding images never moves assigned ones;
 * `reshuffle` reassigns every automatic split from scratch (manual and folder splits are kept).
 */

export interface SplitSettings {
  ratios: SplitRatios;
  seed: number;
}

export function getSplitSettings(db: Db): SplitSettings {
  const raw = db.prepare("SELECT value FROM dataset_settings WHERE key = 'split'").pluck().get() as
    string | undefined;
  if (!raw) return DEFAULT_SPLIT;
  try {
    const parsed = JSON.parse(raw) as SplitSettings;
    return { ratios: normaliseRatios(parsed.ratios), seed: Number(parsed.seed) | 0 };
  } catch {
    return DEFAULT_SPLIT;
  }
}

export function setSplitSettings(db: Db, settings: SplitSettings): void {
  db.prepare(
    "INSERT INTO dataset_settings (key, value) VALUES ('split', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  ).run(JSON.stringify({ ratios: normaliseRatios(settings.ratios), seed: settings.seed }));
}

export function normaliseRatios(r: SplitRatios): SplitRatios {
  const sum = r.train + r.val + r.test;
  if (!(sum > 0)) return DEFAULT_SPLIT.ratios;
  return { train: r.train / sum, val: r.val / sum, test: r.test / sum };
}

/** A number in [0, 1) from the seed and an image's sha256: the image's place in the seeded order. */
export function splitKey(seed: number, sha256: string): number {
  const h = createHash('sha256').update(`${seed}:${sha256}`).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

/** Assigns a split to every non-removed image that has none. Returns how many were assigned. Run in a transaction. */
export function fillSplits(db: Db): number {
  const { ratios } = getSplitSettings(db);
  const counts = new Map<string, Record<SplitName, number>>();
  const key = (labelId: number | null) => String(labelId);
  for (const row of db
    .prepare(
      'SELECT label_id AS labelId, split, COUNT(*) AS n FROM images WHERE removed_at IS NULL AND split IS NOT NULL GROUP BY label_id, split',
    )
    .all() as { labelId: number | null; split: SplitName; n: number }[]) {
    const c = counts.get(key(row.labelId)) ?? { train: 0, val: 0, test: 0 };
    c[row.split] += row.n;
    counts.set(key(row.labelId), c);
  }
  const pending = db
    .prepare(
      'SELECT id, label_id AS labelId FROM images WHERE removed_at IS NULL AND split IS NULL ORDER BY label_id, split_key, id',
    )
    .raw()
    .all() as [number, number | null][];
  const update = db.prepare("UPDATE images SET split = ?, split_source = 'auto' WHERE id = ?");
  for (const [id, labelId] of pending) {
    const c = counts.get(key(labelId)) ?? { train: 0, val: 0, test: 0 };
    const total = c.train + c.val + c.test + 1;
    let best: SplitName = 'train';
    let bestDeficit = -Infinity;
    for (const s of SPLIT_NAMES) {
      if (ratios[s] <= 0) continue;
      const deficit = ratios[s] * total - c[s];
      if (deficit > bestDeficit + 1e-9) {
        bestDeficit = deficit;
        best = s;
      }
    }
    c[best] += 1;
    counts.set(key(labelId), c);
    update.run(best, id);
  }
  return pending.length;
}

/** Stores new settings; a new seed gives every image a new place in the seeded order (splits stay as they are). */
export function applySplitSettings(db: Db, settings: SplitSettings): void {
  setSplitSettings(db, settings);
  const rows = db.prepare('SELECT id, sha256 FROM images').raw().all() as [number, string][];
  const setKey = db.prepare('UPDATE images SET split_key = ? WHERE id = ?');
  for (const [id, sha] of rows) setKey.run(splitKey(settings.seed, sha), id);
}

/** Recomputes every automatic split with new settings; manual and folder splits stay (unless `includeFolder`). */
export function reshuffleSplits(db: Db, settings: SplitSettings, includeFolder = false): number {
  applySplitSettings(db, settings);
  db.prepare(
    `UPDATE images SET split = NULL, split_source = NULL WHERE split_source = 'auto' OR split_source IS NULL${
      includeFolder ? " OR split_source = 'folder'" : ''
    }`,
  ).run();
  return fillSplits(db);
}
