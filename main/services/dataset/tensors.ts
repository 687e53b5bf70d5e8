import type { SplitName } from '../../../app/domain/dataset';
import { AppFailure } from '../../../app/ipc/result';
import type { Db } from '../../db/open-database';
import { classNames as listClassNames } from './labels';

/** The whole (or one split of the) dataset as dense arrays, ready for training. */
export interface TrainingTensors {
  /** N×C×H×W uint8 pixels (0–255), image after image, each channel-major. */
  images: Uint8Array;
  /** Class index per image (index into classNames), -1 for unlabeled. */
  labels: Int32Array;
  /** Image ids (rows of `images`), to map results back to images. */
  ids: Int32Array;
  /** Split per image, parallel to ids. */
  splits: (SplitName | null)[];
  /** Every label in class-index order (label creation order); may include labels with no images. */
  classNames: string[];
  count: number;
  /** Channels (1 gray, 3 rgb), height and width of one image. */
  channels: number;
  height: number;
  width: number;
}

export interface LoadTensorOptions {
  /** Only these split(s); default every image. */
  split?: SplitName | SplitName[];
  /** Leave out unlabeled images (their label would be -1). Default false. */
  labeledOnly?: boolean;
}

/** The shape of one cached tensor of this project: its side in pixels, channels, and bytes (C×H×W). */
export function tensorShape(db: Db): { size: number; channels: number; plane: number } {
  const project = db.prepare('SELECT input_size AS size, color FROM project LIMIT 1').get() as
    { size: number; color: 'gray' | 'rgb' } | undefined;
  if (!project)
    throw new AppFailure('storage', 'The project database has no settings row.', {
      code: 'settings-missing',
    });
  const channels = project.color === 'gray' ? 1 : 3;
  return { size: project.size, channels, plane: channels * project.size * project.size };
}

/**
 * Reads the preprocessed tensor cache (filled at import; see decode.ts for the preprocessing) of every
 * non-removed image, ordered by image id. One pass over one indexed join; for 60,000 28×28 gray images this is
 * ~47 MB copied into one preallocated buffer, no image decoding.
 */
export function loadTrainingTensors(db: Db, options: LoadTensorOptions = {}): TrainingTensors {
  const { size, channels, plane } = tensorShape(db);
  const { ids: labelIds, names } = listClassNames(db);
  const indexOf = new Map(labelIds.map((id, i) => [id, i]));

  const where = ['i.removed_at IS NULL'];
  const params: unknown[] = [];
  if (options.split !== undefined) {
    const splits = Array.isArray(options.split) ? options.split : [options.split];
    where.push(`i.split IN (${splits.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...splits);
  }
  if (options.labeledOnly) where.push('i.label_id IS NOT NULL');
  const clause = where.join(' AND ');
  const count = db
    .prepare(`SELECT COUNT(*) FROM images i WHERE ${clause}`)
    .pluck()
    .get(...params) as number;

  const images = new Uint8Array(count * plane);
  const labels = new Int32Array(count);
  const ids = new Int32Array(count);
  const splits: (SplitName | null)[] = new Array(count);
  const rows = db
    .prepare(
      `SELECT i.id, i.label_id, i.split, t.pixels FROM images i LEFT JOIN image_tensors t ON t.image_id = i.id
       WHERE ${clause} ORDER BY i.id`,
    )
    .raw()
    .iterate(...params) as IterableIterator<[number, number | null, SplitName | null, Buffer | null]>;
  let n = 0;
  for (const [id, labelId, split, pixels] of rows) {
    if (n >= count) break;
    if (!pixels || pixels.length !== plane) {
      throw new AppFailure(
        'storage',
        `Image ${id} has no cached tensor at ${size}×${size}×${channels}; rebuild the tensor cache.`,
        { code: 'tensor-missing', imageId: id },
      );
    }
    images.set(pixels, n * plane);
    labels[n] = labelId === null ? -1 : (indexOf.get(labelId) ?? -1);
    ids[n] = id;
    splits[n] = split;
    n++;
  }
  return {
    images: n === count ? images : images.subarray(0, n * plane),
    labels: n === count ? labels : labels.subarray(0, n),
    ids: n === count ? ids : ids.subarray(0, n),
    splits: splits.slice(0, n),
    classNames: names,
    count: n,
    channels,
    height: size,
    width: size,
  };
}
