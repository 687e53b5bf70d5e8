/** Evaluation of a model on a dataset in inference mode (batchnorm running stats, no dropout). */
import type { EvalMetrics } from '../../../app/domain/model-spec';
import { argmaxRow, type Model } from '../model';
import { imageRange, type Dataset } from './dataset';
import { ConfusionMatrix, metricsFromConfusion } from './metrics';

/** Loss, accuracy, confusion matrix and per-class metrics of the model on the whole dataset. */
export function evaluate(model: Model, data: Dataset, batchSize = model.batchSize): EvalMetrics {
  const size = model.inputSize;
  const bs = Math.min(batchSize, model.batchSize);
  const labels = new Int32Array(bs);
  const cm = new ConfusionMatrix(model.numClasses);
  const scratch = data.images instanceof Float32Array ? new Float32Array(0) : new Float32Array(bs * size);
  let lossSum = 0;
  for (let from = 0; from < data.count; from += bs) {
    const n = Math.min(bs, data.count - from);
    // In order, so each batch of float images is a contiguous view: no copy.
    for (let i = 0; i < n; i++) labels[i] = data.labels[from + i];
    const logits = model.forward(imageRange(data, from, n, scratch), { training: false });
    lossSum += model.loss(labels) * n;
    for (let i = 0; i < n; i++) cm.add(labels[i], argmaxRow(logits, i, model.numClasses));
  }
  return metricsFromConfusion(cm, lossSum);
}
