import type {
  ImageDetails,
  ImageFilter,
  ImagePage,
  ImageSortKey,
  ImageSummary,
} from '../../../app/domain/dataset';
import { AppFailure } from '../../../app/ipc/result';
import type { Db } from '../../db/open-database';
import { IMAGE_LIST_FROM, imageQuerySql } from './image-ids';

/** An image's state as labeling, removal and split actions see it (their undo records these). */
export interface ImageStateRow {
  id: number;
  labelId: number | null;
  conflict: string | null;
  removedAt: string | null;
  split: string | null;
  splitSource: string | null;
}

/** Columns of an image summary over IMAGE_LIST_FROM (image-ids.ts). */
const IMAGE_COLUMNS = `i.id, i.sha256, i.file_name AS fileName, i.label_id AS labelId, l.name AS labelName, i.split,
  i.split_source AS splitSource, i.width, i.height, i.format, i.added_at AS addedAt, i.conflict,
  i.dup_count AS duplicateCount, i.removed_at AS removedAt,
  s.label AS suggestedLabel, sl.id AS suggestedLabelId, s.confidence AS suggestedConfidence`;

interface ImageRow extends Omit<ImageSummary, 'conflictLabels' | 'suggestion'> {
  conflict: string | null;
  /** The suggestion's columns: null unless the image is unlabeled and has one. */
  suggestedLabel: string | null;
  suggestedLabelId: number | null;
  suggestedConfidence: number | null;
}

function toSummary(row: ImageRow): ImageSummary {
  const { conflict, suggestedLabel, suggestedLabelId, suggestedConfidence, ...rest } = row;
  return {
    ...rest,
    conflictLabels: conflict ? (JSON.parse(conflict) as string[]) : [],
    suggestion:
      suggestedLabel === null
        ? null
        : { label: suggestedLabel, labelId: suggestedLabelId, confidence: suggestedConfidence as number },
  };
}

/** One page of the images a filter selects, in the chosen order. */
export function listImages(
  db: Db,
  query: { filter: ImageFilter; sort: ImageSortKey; descending: boolean; offset: number; limit: number },
): ImagePage {
  const { from, where, params, order } = imageQuerySql(query);
  // Only the 'suggested' filter needs the joins to count.
  const counted = query.filter.kind === 'suggested' ? from : 'images i';
  const total = db
    .prepare(`SELECT COUNT(*) FROM ${counted} WHERE ${where}`)
    .pluck()
    .get(...params) as number;
  const rows = db
    .prepare(`SELECT ${IMAGE_COLUMNS} FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...params, query.limit, query.offset) as ImageRow[];
  return { total, offset: query.offset, items: rows.map(toSummary) };
}

/** Everything known about one image: its summary, its sources and its label history. */
export function imageDetails(db: Db, imageId: number): ImageDetails {
  const row = db
    .prepare(
      `SELECT ${IMAGE_COLUMNS}, i.byte_size AS byteSize, i.source_path AS sourcePath, i.channels, i.has_alpha AS hasAlpha
       FROM ${IMAGE_LIST_FROM} WHERE i.id = ?`,
    )
    .get(imageId) as
    (ImageRow & { byteSize: number; sourcePath: string; channels: number; hasAlpha: number }) | undefined;
  if (!row) throw new AppFailure('not-found', `No image ${imageId}.`, { code: 'image-missing', imageId });
  const sources = db
    .prepare(
      'SELECT path, label_name AS label, import_id AS importId, seen_at AS seenAt FROM image_sources WHERE image_id = ? ORDER BY id',
    )
    .all(imageId) as ImageDetails['sources'];
  const labelHistory = db
    .prepare('SELECT label, at, cause FROM label_history WHERE image_id = ? ORDER BY id')
    .all(imageId) as ImageDetails['labelHistory'];
  return {
    ...toSummary(row),
    byteSize: row.byteSize,
    sourcePath: row.sourcePath,
    channels: row.channels,
    hasAlpha: row.hasAlpha === 1,
    sources,
    labelHistory,
  };
}

/** The state labeling, removal and split actions change, of each image (once per id); unknown ids: not-found. */
export function existingImageRows(db: Db, imageIds: number[]): ImageStateRow[] {
  const out: ImageStateRow[] = [];
  const stmt = db.prepare(
    'SELECT id, label_id AS labelId, conflict, removed_at AS removedAt, split, split_source AS splitSource FROM images WHERE id = ?',
  );
  for (const id of new Set(imageIds)) {
    const row = stmt.get(id) as ImageStateRow | undefined;
    if (!row) throw new AppFailure('not-found', `No image ${id}.`, { code: 'image-missing', imageId: id });
    out.push(row);
  }
  return out;
}
