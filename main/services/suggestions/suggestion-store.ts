/**
 * The SQL of label suggestions (table `suggestions`, migration 005; set-level metadata in project_settings under
 * `suggestions.*`). A suggestion counts only for an unlabeled, non-removed image; it maps to the project label of
 * the same name (labels.name is unique NOCASE), and one whose class is no longer a label cannot be accepted.
 */
import type { Suggestion } from '../../../app/domain/suggestions';
import { type Db, writeTransaction } from '../../db/open-database';

/** Images a suggestion is for (over `images i`). */
export const UNLABELED = 'i.removed_at IS NULL AND i.label_id IS NULL';

const KEY_RUN = 'suggestions.runId';
const KEY_COMPUTED_AT = 'suggestions.computedAt';
const KEY_ERROR = 'suggestions.error';

/** What the stored set says about itself. */
export interface StoredSetInfo {
  runId: string | null;
  computedAt: string | null;
  /** The last refresh's failure (cleared by a successful one). */
  error: { code: string; detail: string } | null;
}

function setting(db: Db, key: string): string | null {
  return (db.prepare('SELECT value FROM project_settings WHERE key = ?').pluck().get(key) as string) ?? null;
}

function putSetting(db: Db, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM project_settings WHERE key = ?').run(key);
  else
    db.prepare(
      'INSERT INTO project_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
}

export function storedSetInfo(db: Db): StoredSetInfo {
  const error = setting(db, KEY_ERROR);
  return {
    runId: setting(db, KEY_RUN),
    computedAt: setting(db, KEY_COMPUTED_AT),
    error: error === null ? null : (JSON.parse(error) as StoredSetInfo['error']),
  };
}

/** Remembers why the last refresh failed (the stored set stays as it was). */
export function recordFailure(db: Db, error: { code: string; detail: string } | null): void {
  putSetting(db, KEY_ERROR, error === null ? null : JSON.stringify(error));
}

/** A freshly made set: image ids with the model's top-1 class name and its probability, parallel arrays. */
export interface SuggestionSet {
  runId: string;
  imageIds: ArrayLike<number>;
  labels: ArrayLike<string>;
  confidences: ArrayLike<number>;
}

/** Replaces the whole stored set in one transaction (readers never see half of two sets). */
export function replaceSuggestions(db: Db, set: SuggestionSet, computedAt: string): void {
  writeTransaction(db, () => {
    db.prepare('DELETE FROM suggestions').run();
    const insert = db.prepare(
      'INSERT INTO suggestions (image_id, run_id, label, confidence) VALUES (?, ?, ?, ?)',
    );
    // An image deleted meanwhile would break the foreign key: only images that still exist get a row.
    const exists = new Set(db.prepare('SELECT id FROM images').pluck().all() as number[]);
    for (let k = 0; k < set.imageIds.length; k++) {
      const id = set.imageIds[k];
      if (exists.has(id)) insert.run(id, set.runId, set.labels[k], set.confidences[k]);
    }
    putSetting(db, KEY_RUN, set.runId);
    putSetting(db, KEY_COMPUTED_AT, computedAt);
    putSetting(db, KEY_ERROR, null);
  })();
}

/** Forgets the stored set and its metadata (the project has no model any more). */
export function clearSuggestions(db: Db): void {
  writeTransaction(db, () => {
    db.prepare('DELETE FROM suggestions').run();
    for (const key of [KEY_RUN, KEY_COMPUTED_AT, KEY_ERROR]) putSetting(db, key, null);
  })();
}

/**
 * The bin of `s.confidence`: the largest i ≤ 99 with confidence ≥ i/100, so that bins N..99 hold exactly what
 * `confidence >= N/100` accepts (a plain floor(c × 100) can disagree with it by rounding, e.g. 0.58 × 100 < 58).
 */
const BIN = `MIN(99, MAX(0, CASE WHEN f / 100.0 > c THEN f - 1 WHEN (f + 1) / 100.0 <= c THEN f + 1 ELSE f END))`;

/** The counts of a status, in one pass over the unlabeled images. */
export interface SuggestionCounts {
  /** Unlabeled, non-removed images. */
  unlabeled: number;
  /** Those with a suggestion. */
  suggested: number;
  /** Suggestions whose class is not a project label (they cannot be accepted). */
  unknownLabel: number;
  /** Acceptable suggestions per confidence percent (see BIN). */
  histogram: number[];
}

export function suggestionCounts(db: Db): SuggestionCounts {
  const rows = db
    .prepare(
      `SELECT CASE WHEN label_id IS NULL THEN -1 ELSE ${BIN} END AS bin, COUNT(*) AS images, COUNT(c) AS suggested
       FROM (SELECT s.confidence AS c, CAST(s.confidence * 100 AS INTEGER) AS f, sl.id AS label_id
             FROM images i LEFT JOIN suggestions s ON s.image_id = i.id LEFT JOIN labels sl ON sl.name = s.label
             WHERE ${UNLABELED})
       GROUP BY bin`,
    )
    .all() as { bin: number; images: number; suggested: number }[];
  const counts: SuggestionCounts = {
    unlabeled: 0,
    suggested: 0,
    unknownLabel: 0,
    histogram: new Array<number>(100).fill(0),
  };
  for (const r of rows) {
    counts.unlabeled += r.images;
    counts.suggested += r.suggested;
    if (r.bin < 0) counts.unknownLabel += r.suggested;
    else counts.histogram[r.bin] += r.suggested;
  }
  return counts;
}

export function countUnlabeled(db: Db): number {
  return db.prepare(`SELECT COUNT(*) FROM images i WHERE ${UNLABELED}`).pluck().get() as number;
}

/** Which suggestions to read: all of unlabeled images, those at or above a confidence, of some images, of a label. */
export interface SuggestionQuery {
  minConfidence?: number;
  imageIds?: number[];
  labelId?: number;
  /** Only those whose class is a project label (what accepting can apply). */
  acceptableOnly?: boolean;
}

/** The suggestions of unlabeled, non-removed images, most confident first (ties: image id). */
export function readSuggestions(db: Db, query: SuggestionQuery = {}): Suggestion[] {
  const where = [UNLABELED];
  const params: unknown[] = [];
  if (query.minConfidence !== undefined) {
    where.push('s.confidence >= ?');
    params.push(query.minConfidence);
  }
  if (query.imageIds !== undefined) {
    where.push('i.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(query.imageIds));
  }
  if (query.labelId !== undefined) {
    where.push('sl.id = ?');
    params.push(query.labelId);
  }
  if (query.acceptableOnly) where.push('sl.id IS NOT NULL');
  return db
    .prepare(
      `SELECT i.id AS imageId, COALESCE(NULLIF(i.source_path, ''), i.file_name) AS file, s.label,
              sl.id AS labelId, s.confidence
       FROM images i JOIN suggestions s ON s.image_id = i.id LEFT JOIN labels sl ON sl.name = s.label
       WHERE ${where.join(' AND ')} ORDER BY s.confidence DESC, i.id`,
    )
    .all(...params) as Suggestion[];
}
