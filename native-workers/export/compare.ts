/**
 * The export's parity check: the exported model and the app's own (the CNN core on the run's weights) on the same
 * images at several batch sizes; `ok` when the largest absolute probability difference is at most 1e-4 and every
 * top-1 class agrees. Pure (no I/O): the parity worker and the tests use it.
 */
import type { ExportParity } from '../../app/domain/model-export';
import type { ModelSpec } from '../../app/domain/model-spec';
import { argmaxRow, buildModel } from '../cnn/model';

/** Largest absolute probability difference the parity check accepts. */
export const PARITY_TOLERANCE = 1e-4;
export const PARITY_IMAGES = 32;
export const PARITY_BATCHES = [1, 3, PARITY_IMAGES];

/** The images a check runs on: [count, C, H, W] floats in [0, 1], and where they came from. */
export interface ParityImages {
  x: Float32Array;
  count: number;
  source: string;
}

/** The app's own probabilities (the CNN core, eval mode) for n images. */
export function corePredictions(
  spec: ModelSpec,
  params: Float32Array,
  state: Float32Array,
  x: Float32Array,
  n: number,
): Float32Array {
  const model = buildModel(spec, { seed: 0, batchSize: Math.max(1, n), skipInit: true });
  model.loadParams(params, state);
  return model.predict(x.subarray(0, n * model.inputSize)).slice();
}

/**
 * Runs every image through `run` in chunks of each batch size (1, 3 and 32, capped at the image count) and compares
 * with `ours` ([count, classes]): the largest absolute difference and the share of (image, batch size) top-1 classes
 * that agree.
 */
export async function compare(
  inputs: ParityImages,
  ours: Float32Array,
  spec: ModelSpec,
  run: (x: Float32Array, n: number) => Promise<Float32Array>,
): Promise<ExportParity> {
  const K = spec.numClasses;
  const size = spec.input.channels * spec.input.height * spec.input.width;
  const batchSizes = [...new Set(PARITY_BATCHES.map((b) => Math.min(b, inputs.count)))];
  let maxAbsDiff = 0;
  let agree = 0;
  let total = 0;
  for (const batch of batchSizes) {
    for (let start = 0; start < inputs.count; start += batch) {
      const n = Math.min(batch, inputs.count - start);
      const theirs = await run(inputs.x.subarray(start * size, (start + n) * size), n);
      if (theirs.length !== n * K)
        throw new Error(`the exported model gave ${theirs.length} values for ${n} images`);
      const mine = ours.subarray(start * K, (start + n) * K);
      for (let i = 0; i < n * K; i++) {
        const d = Math.abs(theirs[i] - mine[i]);
        maxAbsDiff = Number.isNaN(d) ? Infinity : Math.max(maxAbsDiff, d);
      }
      for (let r = 0; r < n; r++) if (argmaxRow(theirs, r, K) === argmaxRow(mine, r, K)) agree++;
      total += n;
    }
  }
  return {
    maxAbsDiff,
    top1Agreement: total ? agree / total : 0,
    images: inputs.count,
    source: inputs.source,
    batchSizes,
    ok: total > 0 && maxAbsDiff <= PARITY_TOLERANCE && agree === total,
  };
}
