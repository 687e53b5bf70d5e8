/**
 * The augmentation preview: a few of the project's training images, each with several augmented versions drawn
 * with the same code the training uses (cnn/train/augment.ts), as raw uint8 pixels for the page to paint.
 */
import type { AugmentationSettings } from '../../../app/domain/training';
import { augmentBatch } from '../../../native-workers/cnn/train/augment';
import { Rng } from '../../../native-workers/cnn/rng';
import type { Db } from '../../db/open-database';
import { tensorShape } from '../dataset/tensors';
import type { AugmentPreview } from './api';

export function augmentPreview(
  db: Db,
  input: { augmentation: AugmentationSettings; count: number; variants: number; seed: number },
): AugmentPreview {
  const { size, channels, plane } = tensorShape(db);
  const shape = { channels, height: size, width: size };
  // spread over the training images (a stable pick: every n-th by id)
  const rows = db
    .prepare(
      `SELECT i.id, t.pixels FROM images i JOIN image_tensors t ON t.image_id = i.id
       WHERE i.removed_at IS NULL AND i.split = 'train' AND i.label_id IS NOT NULL AND length(t.pixels) = ?
       ORDER BY i.id LIMIT ?`,
    )
    .raw()
    .all(plane, input.count) as [number, Buffer][];
  const a = input.augmentation;
  const config = {
    flipHorizontal: a.flip,
    maxShift: a.shift,
    brightness: a.brightness,
    contrast: a.contrast,
  };
  const rng = new Rng(input.seed);
  const images = rows.map(([imageId, pixels]) => {
    const x = new Float32Array(input.variants * plane);
    for (let v = 0; v < input.variants; v++)
      for (let i = 0; i < plane; i++) x[v * plane + i] = pixels[i] / 255;
    augmentBatch(x, input.variants, shape, config, rng);
    const augmented: string[] = [];
    for (let v = 0; v < input.variants; v++) {
      const out = Buffer.alloc(plane);
      for (let i = 0; i < plane; i++) out[i] = Math.max(0, Math.min(255, Math.round(x[v * plane + i] * 255)));
      augmented.push(out.toString('base64'));
    }
    return { imageId, original: Buffer.from(pixels).toString('base64'), augmented };
  });
  return { channels, height: size, width: size, images };
}
