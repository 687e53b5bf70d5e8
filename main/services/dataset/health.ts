import {
  HEALTH_LIMITS,
  SPLIT_NAMES,
  type DatasetStats,
  type HealthIssue,
  type HealthReport,
  type ImportIssue,
  type ImportIssueCode,
  type LabelInfo,
  type SplitName,
} from '../../../app/domain/dataset';
import type { Db } from '../../db/open-database';
import { getSplitSettings } from './splits';

/** Image counts per label, split and split source, duplicates and conflicts (removed images not counted). */
export function datasetStats(db: Db, labels: LabelInfo[]): DatasetStats {
  const zero = (): Record<SplitName, number> => ({ train: 0, val: 0, test: 0 });
  const perLabel = labels.map((l) => ({
    labelId: l.id,
    name: l.name,
    count: l.imageCount,
    perSplit: zero(),
  }));
  const byId = new Map(perLabel.map((p) => [p.labelId, p]));
  const perSplit: Record<SplitName | 'none', number> = { train: 0, val: 0, test: 0, none: 0 };
  let total = 0;
  let unlabeled = 0;
  for (const r of db
    .prepare(
      'SELECT label_id AS labelId, split, COUNT(*) AS n FROM images WHERE removed_at IS NULL GROUP BY label_id, split',
    )
    .all() as { labelId: number | null; split: SplitName | null; n: number }[]) {
    total += r.n;
    perSplit[r.split ?? 'none'] += r.n;
    if (r.labelId === null) unlabeled += r.n;
    else if (r.split) byId.get(r.labelId)!.perSplit[r.split] += r.n;
  }
  const one = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    total,
    removed: one('SELECT COUNT(*) FROM images WHERE removed_at IS NOT NULL'),
    unlabeled,
    perLabel,
    perSplit,
    duplicates: one('SELECT COALESCE(SUM(dup_count), 0) FROM images WHERE removed_at IS NULL'),
    conflicts: one('SELECT COUNT(*) FROM images WHERE conflict IS NOT NULL AND removed_at IS NULL'),
    split: getSplitSettings(db),
    splitSources: Object.fromEntries(
      (
        db
          .prepare(
            "SELECT COALESCE(split_source, 'none') AS s, COUNT(*) AS n FROM images WHERE removed_at IS NULL GROUP BY split_source",
          )
          .all() as { s: string; n: number }[]
      ).map((r) => [r.s, r.n]),
    ) as DatasetStats['splitSources'],
  };
}

/** Image ids an issue lists (the page selects them); the count says how many there are in all. */
const MAX_ISSUE_IMAGE_IDS = 200;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const ids = (db: Db, sql: string, ...args: unknown[]) =>
  db
    .prepare(sql)
    .pluck()
    .all(...args) as number[];

/** Pictures (difference hashes) present in more than one split: the model would be tested on what it trained on. */
const LEAK_HASHES = `SELECT dhash FROM images WHERE removed_at IS NULL AND dhash IS NOT NULL AND dhash <> '0000000000000000'
  AND split IS NOT NULL GROUP BY dhash HAVING COUNT(DISTINCT split) > 1`;

/**
 * The dataset's health: what would make training fail or mislead. Each issue carries `params` (numbers and names
 * the page words) beside its English `message` (the CLI's); `count` is the number of images the issue is about and
 * `imageIds` are those images (up to 200).
 */
export function healthReport(db: Db, stats: DatasetStats): HealthReport {
  const issues: HealthIssue[] = [];
  const perLabel = stats.perLabel.map(({ labelId, name, count }) => ({ labelId, name, count }));
  const used = perLabel.filter((l) => l.count > 0);
  const imbalanceRatio =
    used.length >= 2 ? Math.max(...used.map((l) => l.count)) / Math.min(...used.map((l) => l.count)) : null;

  if (stats.total === 0)
    issues.push({ kind: 'empty', severity: 'error', message: 'The dataset has no images yet.', params: {} });
  if (used.length < 2 && stats.total > 0) {
    issues.push({
      kind: 'too-few',
      severity: 'error',
      message: 'Training needs at least two labels with images.',
      params: { limit: 2, labels: used.map(({ name, count }) => ({ name, count })) },
    });
  }
  if (imbalanceRatio !== null && imbalanceRatio > HEALTH_LIMITS.imbalanceRatio) {
    const sorted = [...used].sort((a, b) => b.count - a.count);
    const [largest, smallest] = [sorted[0], sorted[sorted.length - 1]];
    issues.push({
      kind: 'imbalance',
      severity: 'warning',
      message: `Labels are imbalanced: the largest has ${imbalanceRatio.toFixed(1)}× as many images as the smallest.`,
      params: {
        ratio: Math.round(imbalanceRatio * 10) / 10,
        limit: HEALTH_LIMITS.imbalanceRatio,
        labels: [largest, smallest].map(({ name, count }) => ({ name, count })),
      },
    });
  }
  const few = perLabel.filter((l) => l.count < HEALTH_LIMITS.minImagesPerLabel);
  if (few.length) {
    issues.push({
      kind: 'too-few',
      severity: 'warning',
      message: `${plural(few.length, 'label')} with fewer than ${HEALTH_LIMITS.minImagesPerLabel} images: ${few.map((l) => `${l.name} (${l.count})`).join(', ')}.`,
      labelIds: few.map((l) => l.labelId),
      params: {
        limit: HEALTH_LIMITS.minImagesPerLabel,
        labels: few.map(({ name, count }) => ({ name, count })),
      },
    });
  }
  if (stats.unlabeled > 0) {
    issues.push({
      kind: 'unlabeled',
      severity: 'info',
      message: `${plural(stats.unlabeled, 'image')} unlabeled; they are not used for training.`,
      count: stats.unlabeled,
      params: { images: stats.unlabeled },
    });
  }
  // Duplicates: the images that had extra copies (count), and how many copies were skipped (params.files).
  const dupImages = ids(db, 'SELECT id FROM images WHERE dup_count > 0 AND removed_at IS NULL ORDER BY id');
  if (stats.duplicates > 0) {
    issues.push({
      kind: 'duplicates',
      severity: 'info',
      message: `${plural(stats.duplicates, 'duplicate file')} skipped (stored once).`,
      imageIds: dupImages.slice(0, MAX_ISSUE_IMAGE_IDS),
      count: dupImages.length,
      params: { images: dupImages.length, files: stats.duplicates },
    });
  }
  const conflictIds = ids(
    db,
    'SELECT id FROM images WHERE conflict IS NOT NULL AND removed_at IS NULL ORDER BY id',
  );
  if (conflictIds.length) {
    issues.push({
      kind: 'conflicts',
      severity: 'warning',
      message: `${plural(conflictIds.length, 'image')} imported under more than one label; choose the right one.`,
      imageIds: conflictIds.slice(0, MAX_ISSUE_IMAGE_IDS),
      count: conflictIds.length,
      params: { images: conflictIds.length },
    });
  }
  const leakRows = ids(
    db,
    `SELECT id FROM images WHERE removed_at IS NULL AND dhash IN (${LEAK_HASHES}) ORDER BY dhash, id`,
  );
  const leakGroups = db.prepare(`SELECT COUNT(*) FROM (${LEAK_HASHES})`).pluck().get() as number;
  if (leakGroups > 0) {
    issues.push({
      kind: 'leakage',
      severity: 'warning',
      message: `${plural(leakGroups, 'picture')} (${plural(leakRows.length, 'image')}) appear in more than one split (near-identical images); evaluation would be optimistic.`,
      imageIds: leakRows.slice(0, MAX_ISSUE_IMAGE_IDS),
      count: leakRows.length,
      params: { groups: leakGroups, images: leakRows.length },
    });
  }
  const tiny = ids(
    db,
    'SELECT id FROM images WHERE removed_at IS NULL AND MIN(width, height) < ? ORDER BY id',
    HEALTH_LIMITS.tinyImageSide,
  );
  if (tiny.length) {
    issues.push({
      kind: 'tiny-images',
      severity: 'warning',
      message: `${plural(tiny.length, 'image')} smaller than ${HEALTH_LIMITS.tinyImageSide} px on a side; they are blown up a lot.`,
      imageIds: tiny.slice(0, MAX_ISSUE_IMAGE_IDS),
      count: tiny.length,
      params: { images: tiny.length, side: HEALTH_LIMITS.tinyImageSide },
    });
  }
  const unreadable = unreadableFiles(db);
  if (unreadable.length) {
    issues.push({
      kind: 'unreadable',
      severity: 'warning',
      message: `${plural(unreadable.length, 'file')} could not be imported.`,
      count: unreadable.length,
      params: { files: unreadable.length },
    });
  }
  if (used.length >= 2) {
    for (const s of SPLIT_NAMES) {
      const ratio = stats.split.ratios[s];
      const missing = stats.perLabel.filter((l) => l.count > 0 && l.perSplit[s] === 0);
      if (ratio > 0 && missing.length) {
        issues.push({
          kind: 'empty-split',
          severity: 'info',
          message: `Some labels have no images in the ${s} split.`,
          params: { split: s, labels: missing.map(({ name, count }) => ({ name, count })) },
        });
      }
    }
  }
  return {
    total: stats.total,
    perLabel,
    unlabeled: stats.unlabeled,
    imbalanceRatio,
    duplicates: stats.duplicates,
    conflicts: conflictIds.length,
    leakage: { groups: leakGroups, imageIds: leakRows.slice(0, 1000) },
    tinyImages: tiny.length,
    unreadableFiles: unreadable,
    issues,
  };
}

/** Ids of the latest failure of each path that never imported since and is not dismissed. */
const CURRENT_FAILURES = `SELECT id FROM import_issues WHERE kind = 'failed' AND dismissed_at IS NULL
  AND id IN (SELECT MAX(id) FROM import_issues GROUP BY path) AND path NOT IN (SELECT path FROM image_sources)`;

/** The latest failure of each path that never imported since (a later successful import or a dismissal clears it). */
function unreadableFiles(db: Db): ImportIssue[] {
  const rows = db
    .prepare(
      `SELECT path, reason, code, params FROM import_issues WHERE id IN (${CURRENT_FAILURES}) ORDER BY path`,
    )
    .all() as { path: string; reason: string; code: ImportIssueCode; params: string | null }[];
  return rows.map(({ params, ...issue }) => (params ? { ...issue, params: JSON.parse(params) } : issue));
}

/**
 * Dismisses every current failure (Health's unreadable files); the import log still lists them. A later failure
 * of the same path is a new row and shows again. Answers how many were dismissed.
 */
export function dismissImportFailures(db: Db, now: string): number {
  return db.prepare(`UPDATE import_issues SET dismissed_at = ? WHERE id IN (${CURRENT_FAILURES})`).run(now)
    .changes;
}
