/**
 * Parity of a TF.js export with our own core: the same images through tfjs (`loadLayersModel` on the cpu backend,
 * input transposed NCHW → NHWC) and through buildModel + loadParams + predict (softmax of the eval-mode logits),
 * at several batch sizes (1, 3 and 32 by default), comparing the probabilities and the top-1 class.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../../../app/domain/model-spec';
import { argmaxRow, buildModel } from '../../../../native-workers/cnn/model';
import { tfjsIOHandler, type TfjsExport } from './tfjs-export';

/** The result at one batch size. */
export interface TfjsParityAtBatchSize {
  batchSize: number;
  maxAbsDiff: number;
  /** Fraction of the images whose top-1 class is the same in both. */
  top1Agreement: number;
}

/** What tfjsParity returns: the worst case over all batch sizes, and each batch size's own result. */
export interface TfjsParity {
  /** Largest |p_tfjs − p_ours| over every image, class and batch size. */
  maxAbsDiff: number;
  /** The lowest, over the batch sizes, fraction of images with the same top-1 class (1 = all agree). */
  top1Agreement: number;
  /** maxAbsDiff ≤ tolerance and every top-1 agrees. */
  ok: boolean;
  tolerance: number;
  count: number;
  perBatchSize: TfjsParityAtBatchSize[];
}

/** Options of tfjsParity. */
export interface TfjsParityOptions {
  /** Defaults to [1, 3, 32]. */
  batchSizes?: number[];
  /** Defaults to 1e-4. */
  tolerance?: number;
  /** The tfjs backend to run on; defaults to 'cpu' (pure JS, no native code). */
  backend?: string;
}

/** [n, C, H, W] → [n, H, W, C]. */
export function nchwToNhwc(x: Float32Array, n: number, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(n * c * h * w);
  for (let b = 0; b < n; b++)
    for (let k = 0; k < c; k++)
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++)
          out[((b * h + y) * w + xx) * c + k] = x[((b * c + k) * h + y) * w + xx];
  return out;
}

/**
 * Runs `count` images (imagesNCHW: [count, C, H, W] flat, values in [0, 1]) through the exported model in tfjs and
 * through our core (spec + params + state), in batches of each batch size, and compares the probabilities.
 */
export async function tfjsParity(
  exported: TfjsExport,
  spec: ModelSpec,
  params: Float32Array,
  state: Float32Array,
  imagesNCHW: Float32Array,
  count: number,
  options: TfjsParityOptions = {},
): Promise<TfjsParity> {
  const batchSizes = options.batchSizes ?? [1, 3, 32];
  const tolerance = options.tolerance ?? 1e-4;
  const { height: H, width: W, channels: C } = spec.input;
  const inputSize = C * H * W;
  if (!Number.isInteger(count) || count < 1 || imagesNCHW.length < count * inputSize)
    throw new Error(`need ${count} images of ${inputSize} values, got ${imagesNCHW.length} values`);
  const K = spec.numClasses;

  const backend = options.backend ?? 'cpu';
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend)))
    throw new Error(`tfjs backend ${backend} is not available`);
  await tf.ready();
  const tfModel = await tf.loadLayersModel(tfjsIOHandler(exported));
  const model = buildModel(spec, { seed: 0, batchSize: Math.max(...batchSizes), skipInit: true });
  model.loadParams(params, state);

  const perBatchSize: TfjsParityAtBatchSize[] = [];
  try {
    for (const batchSize of batchSizes) {
      let maxAbsDiff = 0;
      let agree = 0;
      for (let start = 0; start < count; start += batchSize) {
        const n = Math.min(batchSize, count - start);
        const x = imagesNCHW.subarray(start * inputSize, (start + n) * inputSize);
        const ours = model.predict(x);
        const input = tf.tensor4d(nchwToNhwc(x, n, C, H, W), [n, H, W, C]);
        const output = tfModel.predict(input) as tf.Tensor;
        const theirs = (await output.data()) as Float32Array;
        input.dispose();
        output.dispose();
        if (theirs.length !== n * K) throw new Error(`tfjs gave ${theirs.length} values, expected ${n * K}`);
        for (let i = 0; i < n * K; i++) {
          const d = Math.abs(theirs[i] - ours[i]);
          // NaN never passes.
          maxAbsDiff = d > maxAbsDiff || Number.isNaN(d) ? d : maxAbsDiff;
        }
        for (let b = 0; b < n; b++) if (argmaxRow(theirs, b, K) === argmaxRow(ours, b, K)) agree++;
      }
      perBatchSize.push({ batchSize, maxAbsDiff, top1Agreement: agree / count });
    }
  } finally {
    tfModel.dispose();
  }
  const maxAbsDiff = perBatchSize.some((r) => Number.isNaN(r.maxAbsDiff))
    ? NaN
    : Math.max(...perBatchSize.map((r) => r.maxAbsDiff));
  const top1Agreement = Math.min(...perBatchSize.map((r) => r.top1Agreement));
  return {
    maxAbsDiff,
    top1Agreement,
    ok: maxAbsDiff <= tolerance && top1Agreement === 1,
    tolerance,
    count,
    perBatchSize,
  };
}
