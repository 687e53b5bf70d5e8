/** Accuracy, loss, confusion matrix and per-class precision/recall/F1 from scored predictions. */
import type { EvaluationReport } from '../../../app/domain/training';

export interface Scored {
  trueClass: number;
  predicted: number;
  /** The probability the model gave the true class. */
  labelProbability: number;
}

export function reportFrom(
  runId: string,
  split: EvaluationReport['split'],
  labels: string[],
  scored: Scored[],
  unknownLabelCount: number,
): EvaluationReport {
  const k = labels.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  let lossSum = 0;
  for (const s of scored) {
    matrix[s.trueClass][s.predicted]++;
    if (s.trueClass === s.predicted) correct++;
    lossSum += -Math.log(Math.max(s.labelProbability, 1e-12));
  }
  const perClass = labels.map((label, c) => {
    const tp = matrix[c][c];
    const support = matrix[c].reduce((a, b) => a + b, 0);
    const predictedAs = matrix.reduce((a, row) => a + row[c], 0);
    const precision = predictedAs ? tp / predictedAs : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const n = scored.length;
  return {
    runId,
    split,
    accuracy: n ? correct / n : 0,
    loss: n ? lossSum / n : 0,
    count: n,
    perClass,
    confusion: { labels: [...labels], matrix },
    macroF1: k ? perClass.reduce((a, c) => a + c.f1, 0) / k : 0,
    unknownLabelCount,
  };
}
