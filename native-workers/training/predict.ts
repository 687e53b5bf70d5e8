/**
 * Softmax predictions of a model for uint8 images, computed by the data-parallel workers (every core), in batches
 * of the trainer's maxBatch.
 */
import type { ModelSpec } from '../../app/domain/model-spec';
import type { Model } from '../cnn/model';
import { bytesToFloats } from '../cnn/train/dataset';
import { DataParallelTrainer } from '../parallel/data-parallel-trainer';
import type { PredictionBatch } from './messages';

/** Predictions of `model` (whose params are `dp`'s) for images [count, C, H, W]; the replicas take its state. */
export async function predictWithTrainer(
  dp: DataParallelTrainer,
  model: Model,
  images: Uint8Array,
): Promise<PredictionBatch> {
  if (model.state.length) dp.writeState(model.state);
  return predictBatches(dp, images);
}

/** Predictions of a saved model (spec, params, state) with fresh workers. */
export async function predictWithModel(
  spec: ModelSpec,
  params: Float32Array,
  state: Float32Array,
  images: Uint8Array,
  workers?: number,
): Promise<PredictionBatch> {
  const maxBatch = 64;
  const dp = await DataParallelTrainer.create({
    spec,
    seed: 0,
    maxBatch,
    params,
    state,
    ...(workers ? { workers } : {}),
  });
  try {
    return await predictBatches(dp, images);
  } finally {
    await dp.close();
  }
}

async function predictBatches(dp: DataParallelTrainer, images: Uint8Array): Promise<PredictionBatch> {
  const { maxBatch, inputSize: size, classes } = dp;
  const count = images.length / size;
  const predicted = new Int32Array(count);
  const confidence = new Float32Array(count);
  const probabilities = new Float32Array(count * classes);
  // each batch is written straight into the workers' input buffer (no copy into it per call)
  const x = dp.inputBuffer();
  for (let from = 0; from < count; from += maxBatch) {
    const n = Math.min(maxBatch, count - from);
    bytesToFloats(images, from * size, n * size, x);
    const logits = await dp.infer(x, n);
    for (let i = 0; i < n; i++) {
      const row = logits.subarray(i * classes, (i + 1) * classes);
      let max = -Infinity;
      let arg = 0;
      for (let c = 0; c < classes; c++) if (row[c] > max) [max, arg] = [row[c], c];
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(row[c] - max);
      const out = probabilities.subarray((from + i) * classes, (from + i + 1) * classes);
      for (let c = 0; c < classes; c++) out[c] = Math.exp(row[c] - max) / sum;
      predicted[from + i] = arg;
      confidence[from + i] = out[arg];
    }
  }
  return { predicted, confidence, probabilities, classes };
}
