import type { ImageFilter, ImageSortKey } from '../../../app/domain/dataset';
import type { Db } from '../../db/open-database';

/**
 * The images of a list with their label (`l`) and, for unlabeled images, the model's suggestion (`s`, issue 11)
 * and the project label it names (`sl`; labels.name is unique NOCASE, so this is an index lookup).
 */
export const IMAGE_LIST_FROM = `images i LEFT JOIN labels l ON l.id = i.label_id
  LEFT JOIN suggestions s ON s.image_id = i.id AND i.label_id IS NULL
  LEFT JOIN labels sl ON sl.name = s.label`;

/** FROM (IMAGE_LIST_FROM), WHERE, its parameters and ORDER BY of an image list query. */
export function imageQuerySql(query: { filter: ImageFilter; sort: ImageSortKey; descending: boolean }): {
  from: string;
  where: string;
  params: unknown[];
  order: string;
} {
  const where: string[] = [];
  const params: unknown[] = [];
  const f = query.filter;
  where.push(f.kind === 'removed' ? 'i.removed_at IS NOT NULL' : 'i.removed_at IS NULL');
  if (f.kind === 'unlabeled') where.push('i.label_id IS NULL');
  if (f.kind === 'label') {
    where.push('i.label_id = ?');
    params.push(f.labelId);
  }
  if (f.kind === 'split') {
    where.push('i.split = ?');
    params.push(f.split);
  }
  if (f.kind === 'duplicates') where.push('i.dup_count > 0');
  if (f.kind === 'conflicts') where.push('i.conflict IS NOT NULL');
  if (f.kind === 'misclassified') {
    // the model's predictions (run_predictions) against the current label
    where.push(
      `i.label_id IS NOT NULL AND EXISTS (SELECT 1 FROM run_predictions p WHERE p.run_id = (SELECT id FROM model_run)
        AND p.image_id = i.id AND p.predicted_label_id IS NOT i.label_id)`,
    );
  }
  if (f.kind === 'suggested') {
    where.push('i.label_id IS NULL AND sl.id = ?');
    params.push(f.labelId);
  }
  const dir = query.descending ? 'DESC' : 'ASC';
  const order =
    query.sort === 'name'
      ? `i.file_name COLLATE NOCASE ${dir}, i.id ${dir}`
      : query.sort === 'label'
        ? `l.name IS NULL, l.name COLLATE NOCASE ${dir}, i.file_name COLLATE NOCASE, i.id`
        : query.sort === 'confidence'
          ? // least (or most) confident first; images without a suggestion (labeled ones too) last
            `s.confidence IS NULL, s.confidence ${dir}, i.id ${dir}`
          : `i.added_at ${dir}, i.id ${dir}`;
  return { from: IMAGE_LIST_FROM, where: where.join(' AND '), params, order };
}

/**
 * Ids only of the images `DatasetService.listImages` lists, in the same order, for selections in the page
 * (Ctrl+A, shift-click ranges): 60,000 ids are a few hundred KB instead of ~20 MB of summaries.
 * Added by the dataset UI; it shares its WHERE and ORDER BY with listImages (imageQuerySql).
 */
export function listImageIds(
  db: Db,
  query: { filter: ImageFilter; sort: ImageSortKey; descending: boolean; offset: number; limit: number },
): number[] {
  const { from, where, params, order } = imageQuerySql(query);
  return db
    .prepare(`SELECT i.id FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...params, query.limit, query.offset) as number[];
}
