/**
 * Seeded data augmentation of a training batch, in place: random horizontal flip, random shift with zero fill
 * (equivalent to a random crop of a zero-padded image), random brightness offset, random contrast factor. Every
 * image draws the same number of random values whatever the outcome, so the generator's sequence does not depend on
 * the data (contrast draws only when it is on, so configs without it keep their earlier sequence).
 */
import type { AugmentationConfig } from '../../../app/domain/model-spec';
import type { Rng } from '../rng';

/** A custom augmentation hook: transforms x ([batch, C, H, W]) in place using only rng for randomness. */
export type AugmentFn = (
  x: Float32Array,
  batch: number,
  shape: { channels: number; height: number; width: number },
  rng: Rng,
) => void;

/** Applies the configured augmentations to each of the batch's images. */
export function augmentBatch(
  x: Float32Array,
  batch: number,
  shape: { channels: number; height: number; width: number },
  config: AugmentationConfig,
  rng: Rng,
): void {
  const { channels: C, height: H, width: W } = shape;
  const s = config.maxShift ?? 0;
  const b = config.brightness ?? 0;
  const k = config.contrast ?? 0;
  if (!config.flipHorizontal && s === 0 && b === 0 && k === 0) return;
  const tmp = new Float32Array(H * W);
  for (let n = 0; n < batch; n++) {
    const flip = config.flipHorizontal ? rng.uniform() < 0.5 : false;
    const dy = s > 0 ? rng.int(2 * s + 1) - s : 0;
    const dx = s > 0 ? rng.int(2 * s + 1) - s : 0;
    const delta = b > 0 ? (2 * rng.uniform() - 1) * b : 0;
    const factor = k > 0 ? 1 + (2 * rng.uniform() - 1) * k : 1;
    const image = x.subarray(n * C * H * W, (n + 1) * C * H * W);
    for (let c = 0; c < C; c++) {
      const plane = x.subarray((n * C + c) * H * W, (n * C + c + 1) * H * W);
      if (flip || dx !== 0 || dy !== 0) {
        tmp.set(plane);
        shiftPlane(plane, tmp, H, W, dy, dx, flip, delta);
      } else if (delta !== 0) for (let i = 0; i < plane.length; i++) plane[i] += delta;
    }
    if (factor !== 1) {
      let mean = 0;
      for (let i = 0; i < image.length; i++) mean += image[i];
      mean /= image.length;
      for (let i = 0; i < image.length; i++) image[i] = mean + (image[i] - mean) * factor;
    }
  }
}

/**
 * plane[y, x] = src[y − dy, flip ? W − 1 − (x − dx) : x − dx] + delta, with 0 + delta where that falls outside: the
 * shift (and flip) and the brightness offset of one channel in one pass, row by row. Columns x with 0 ≤ x − dx < W
 * are in range whether flipped or not, so each row is a border of `delta` around one copied span. The sums are the
 * same float32 roundings as shifting first and adding delta after.
 */
function shiftPlane(
  plane: Float32Array,
  src: Float32Array,
  H: number,
  W: number,
  dy: number,
  dx: number,
  flip: boolean,
  delta: number,
): void {
  const lo = Math.max(0, dx);
  const hi = Math.min(W, W + dx);
  const border = Math.fround(delta);
  for (let y = 0; y < H; y++) {
    const row = y * W;
    const sy = y - dy;
    if (sy < 0 || sy >= H || lo >= hi) {
      plane.fill(border, row, row + W);
      continue;
    }
    plane.fill(border, row, row + lo);
    plane.fill(border, row + hi, row + W);
    const from = sy * W - dx; // src index of column x (unflipped) is from + x
    if (flip) {
      const mirror = sy * W + W - 1 + dx; // src index of column x (flipped) is mirror − x
      for (let xx = lo; xx < hi; xx++) plane[row + xx] = src[mirror - xx] + delta;
    } else if (delta !== 0) for (let xx = lo; xx < hi; xx++) plane[row + xx] = src[from + xx] + delta;
    else plane.set(src.subarray(from + lo, from + hi), row + lo);
  }
}
