/**
 * Classification metrics from a confusion matrix: accuracy, per-class precision / recall / F1, macro F1.
 */
import type { ClassMetrics, EvalMetrics } from '../../../app/domain/model-spec';

/** A K×K confusion matrix (rows: true class, columns: predicted class) being filled. */
export class ConfusionMatrix {
  readonly counts: Int32Array;

  /** An all-zero matrix for numClasses classes. */
  constructor(readonly numClasses: number) {
    this.counts = new Int32Array(numClasses * numClasses);
  }

  /** Counts one example. */
  add(trueClass: number, predicted: number): void {
    this.counts[trueClass * this.numClasses + predicted]++;
  }

  /** The matrix as nested arrays (JSON-able). */
  toArray(): number[][] {
    const K = this.numClasses;
    return Array.from({ length: K }, (_, r) => Array.from(this.counts.subarray(r * K, (r + 1) * K)));
  }
}

/** Accuracy, per-class metrics and macro F1 from a confusion matrix and the summed loss. */
export function metricsFromConfusion(cm: ConfusionMatrix, lossSum: number): EvalMetrics {
  const K = cm.numClasses;
  const c = cm.counts;
  let count = 0;
  let correct = 0;
  const perClass: ClassMetrics[] = [];
  for (let k = 0; k < K; k++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < K; j++) {
      support += c[k * K + j];
      predicted += c[j * K + k];
    }
    const tp = c[k * K + k];
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ classIndex: k, support, correct: tp, precision, recall, f1 });
    count += support;
    correct += tp;
  }
  return {
    count,
    loss: count > 0 ? lossSum / count : 0,
    accuracy: count > 0 ? correct / count : 0,
    confusion: cm.toArray(),
    perClass,
    macroF1: perClass.reduce((s, m) => s + m.f1, 0) / K,
  };
}
