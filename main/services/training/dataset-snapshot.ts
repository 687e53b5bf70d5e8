/**
 * The dataset a run trains on, frozen when it starts: which images, their class and split. Classes are the labels
 * (in creation order) that have at least one training image; labeled images of other labels are left out, and so
 * are unlabeled, removed and unsplit images, and images without a cached tensor.
 */
import type { TrainingFailureCode } from '../../../app/domain/training';
import { AppFailure } from '../../../app/ipc/result';
import type { Db } from '../../db/open-database';

export interface DatasetSnapshot {
  classNames: string[];
  classLabelIds: number[];
  leftOutLabels: string[];
  images: { imageId: number; classIndex: number; split: 'train' | 'val' | 'test' }[];
}

/** A run that cannot start: a code the UI words, and an English message for the CLI. */
export function trainingRefusal(code: TrainingFailureCode, message: string): AppFailure {
  return new AppFailure('invalid-payload', message, { code });
}

/** Which labels would be trained and which left out (for the settings view and the snapshot). */
export function classPlan(db: Db): {
  classNames: string[];
  classLabelIds: number[];
  leftOutLabels: string[];
  /** Labeled images in the train split (of the trained labels). */
  trainImages: number;
} {
  const rows = db
    .prepare(
      `SELECT l.id, l.name,
         (SELECT COUNT(*) FROM images i WHERE i.label_id = l.id AND i.removed_at IS NULL AND i.split = 'train') AS n
       FROM labels l ORDER BY l.id`,
    )
    .all() as { id: number; name: string; n: number }[];
  return {
    classNames: rows.filter((r) => r.n > 0).map((r) => r.name),
    classLabelIds: rows.filter((r) => r.n > 0).map((r) => r.id),
    leftOutLabels: rows.filter((r) => r.n === 0).map((r) => r.name),
    trainImages: rows.reduce((sum, r) => sum + r.n, 0),
  };
}

export function takeSnapshot(db: Db): DatasetSnapshot {
  const plan = classPlan(db);
  if (plan.classNames.length === 0)
    throw trainingRefusal(
      'no-training-images',
      'No labeled images in the train split; import or split images first.',
    );
  if (plan.classNames.length < 2)
    throw trainingRefusal(
      'too-few-classes',
      `Training needs at least two classes with training images; only "${plan.classNames[0]}" has any.`,
    );
  return {
    classNames: plan.classNames,
    classLabelIds: plan.classLabelIds,
    leftOutLabels: plan.leftOutLabels,
    images: snapshotImages(db, plan.classLabelIds),
  };
}

/**
 * The images of these labels (class i = classLabelIds[i]) a run would train and evaluate on: labeled, split, not
 * removed, with a cached tensor; in image id order.
 */
export function snapshotImages(db: Db, classLabelIds: number[]): DatasetSnapshot['images'] {
  const indexOf = new Map(classLabelIds.map((id, i) => [id, i]));
  const rows = db
    .prepare(
      `SELECT i.id, i.label_id, i.split FROM images i JOIN image_tensors t ON t.image_id = i.id
       WHERE i.removed_at IS NULL AND i.label_id IS NOT NULL AND i.split IS NOT NULL ORDER BY i.id`,
    )
    .raw()
    .all() as [number, number, 'train' | 'val' | 'test'][];
  const images: DatasetSnapshot['images'] = [];
  for (const [imageId, labelId, split] of rows) {
    const classIndex = indexOf.get(labelId);
    if (classIndex !== undefined) images.push({ imageId, classIndex, split });
  }
  return images;
}
