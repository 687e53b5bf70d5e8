/**
 * The images of the export's parity check (the check itself: native-workers/export/compare.ts, run in the parity
 * worker): up to 32 of the project's cached tensors.
 */
import type { ModelSpec } from '../../../app/domain/model-spec';
import { bytesToFloats } from '../../../native-workers/cnn/train/dataset';
import type { Db } from '../../db/open-database';

import { PARITY_IMAGES } from '../../../native-workers/export/compare';

export { PARITY_BATCHES, PARITY_IMAGES, PARITY_TOLERANCE } from '../../../native-workers/export/compare';

/** Where the parity images came from: the validation split, then test, then train; else fixed random inputs. */
export type ParitySource = 'val' | 'test' | 'train' | 'synthetic';

/** Up to 32 cached image tensors as floats in [0, 1]: validation first, then test, then train; else random. */
export function parityInputs(db: Db, spec: ModelSpec): ParityInputs {
  const size = spec.input.channels * spec.input.height * spec.input.width;
  for (const split of ['val', 'test', 'train'] as const) {
    const rows = db
      .prepare(
        `SELECT t.pixels FROM images i JOIN image_tensors t ON t.image_id = i.id
         WHERE i.removed_at IS NULL AND i.split = ? ORDER BY i.id LIMIT ?`,
      )
      .pluck()
      .all(split, PARITY_IMAGES) as Buffer[];
    const usable = rows.filter((p) => p.length === size);
    if (usable.length === 0) continue;
    const x = new Float32Array(usable.length * size);
    usable.forEach((p, n) => bytesToFloats(p, 0, size, x, n * size));
    return { x, count: usable.length, size, source: split };
  }
  const x = new Float32Array(8 * size);
  let seed = 12345;
  for (let k = 0; k < x.length; k++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    x[k] = (seed >>> 8) / 16777216;
  }
  return { x, count: 8, size, source: 'synthetic' };
}

export interface ParityInputs {
  x: Float32Array;
  count: number;
  size: number;
  source: ParitySource;
}
