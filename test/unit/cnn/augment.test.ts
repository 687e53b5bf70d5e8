/**
 * augmentBatch's row-wise shift/flip/brightness pass against the per-pixel definition it replaced (the oracle
 * below), bitwise, for random shapes, configurations, seeds and pixel values: a change to the draws or to a
 * border rule shows up here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AugmentationConfig } from '../../../app/domain/model-spec';
import { Rng } from '../../../native-workers/cnn/rng';
import { augmentBatch } from '../../../native-workers/cnn/train/augment';

/** The definition: every output pixel reads its source pixel (or 0), then brightness, then contrast. */
function oracle(
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
  for (let n = 0; n < batch; n++) {
    const flip = config.flipHorizontal ? rng.uniform() < 0.5 : false;
    const dy = s > 0 ? rng.int(2 * s + 1) - s : 0;
    const dx = s > 0 ? rng.int(2 * s + 1) - s : 0;
    const delta = b > 0 ? (2 * rng.uniform() - 1) * b : 0;
    const factor = k > 0 ? 1 + (2 * rng.uniform() - 1) * k : 1;
    const image = x.subarray(n * C * H * W, (n + 1) * C * H * W);
    for (let c = 0; c < C; c++) {
      const plane = image.subarray(c * H * W, (c + 1) * H * W);
      const src = plane.slice();
      for (let y = 0; y < H; y++)
        for (let xx = 0; xx < W; xx++) {
          const sy = y - dy;
          const sx = flip ? W - 1 - (xx - dx) : xx - dx;
          plane[y * W + xx] = sy >= 0 && sy < H && sx >= 0 && sx < W ? src[sy * W + sx] : 0;
        }
      if (delta !== 0) for (let i = 0; i < plane.length; i++) plane[i] += delta;
    }
    if (factor !== 1) {
      let mean = 0;
      for (let i = 0; i < image.length; i++) mean += image[i];
      mean /= image.length;
      for (let i = 0; i < image.length; i++) image[i] = mean + (image[i] - mean) * factor;
    }
  }
}

describe('augmentBatch', () => {
  it('equals the per-pixel definition bitwise', () => {
    fc.assert(
      fc.property(
        fc.record({
          batch: fc.integer({ min: 1, max: 4 }),
          channels: fc.integer({ min: 1, max: 3 }),
          height: fc.integer({ min: 1, max: 12 }),
          width: fc.integer({ min: 1, max: 12 }),
          flipHorizontal: fc.boolean(),
          maxShift: fc.integer({ min: 0, max: 14 }),
          brightness: fc.constantFrom(0, 0.1, 0.5),
          contrast: fc.constantFrom(0, 0.3),
          seed: fc.integer({ min: 0, max: 1e6 }),
        }),
        ({ batch, seed, channels, height, width, ...config }) => {
          const shape = { channels, height, width };
          const pixels = new Rng(seed + 1);
          const x = Float32Array.from({ length: batch * channels * height * width }, () => pixels.uniform());
          const expected = x.slice();
          oracle(expected, batch, shape, config, new Rng(seed));
          augmentBatch(x, batch, shape, config, new Rng(seed));
          expect(Buffer.from(x.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
