/**
 * Softmax and cross-entropy fused, averaged over the batch.
 *
 *   logits [N, K]
 *   labels [N]     class indices in [0, K)
 *   probs  [N, K]  softmax(logits), written by forward and read by backward
 *   loss = −(1/N) Σ_n log probs[n, labels[n]]
 *
 * Fusing them is both cheaper and stabler: subtracting the row max before exp avoids overflow, the log of the
 * softmax is computed as (logit − max) − log Σ exp(logit − max) so it never takes log(0), and the gradient of
 * the pair is simply (probs − onehot) / N.
 */
import type { Tensor } from '../kernel-set';

/** Labels as any integer array. */
export type Labels = Int32Array | Uint8Array | Uint16Array | ArrayLike<number>;

/** Writes probs and returns the mean loss over the first `batch` rows. */
export function softmaxCrossEntropyForward(
  logits: Tensor,
  labels: Labels,
  probs: Tensor,
  batch: number,
  classes: number,
): number {
  let total = 0;
  for (let n = 0; n < batch; n++) {
    const r = n * classes;
    let max = -Infinity;
    for (let k = 0; k < classes; k++) if (logits[r + k] > max) max = logits[r + k];
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(logits[r + k] - max);
    const logSum = Math.log(sum);
    for (let k = 0; k < classes; k++) probs[r + k] = Math.exp(logits[r + k] - max - logSum);
    total -= logits[r + labels[n]] - max - logSum;
  }
  return total / batch;
}

/** dlogits += (probs − onehot(labels)) / batch. */
export function softmaxCrossEntropyBackward(
  probs: Tensor,
  labels: Labels,
  dlogits: Tensor,
  batch: number,
  classes: number,
): void {
  const scale = 1 / batch;
  for (let n = 0; n < batch; n++) {
    const r = n * classes;
    for (let k = 0; k < classes; k++) dlogits[r + k] += (probs[r + k] - (k === labels[n] ? 1 : 0)) * scale;
  }
}
