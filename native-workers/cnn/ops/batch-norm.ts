/**
 * Batch normalization per channel (per feature after a dense layer, where spatial = 1).
 *
 *   inp, out      [N, C, S]   (S = H·W)
 *   gamma, beta   [C]         learned scale and shift
 *   mean, invStd  [C]         the batch statistics used by forward, saved for backward (training mode)
 *   runningMean, runningVar [C]  updated in training mode, used in eval mode
 *   training: out = gamma · (inp − mean_batch) / sqrt(var_batch + eps) + beta
 *   eval:     out = gamma · (inp − runningMean) / sqrt(runningVar + eps) + beta
 *
 * Like PyTorch, normalisation uses the biased batch variance while the running variance is updated with the
 * unbiased one (× M / (M − 1), M = N·S), and running = (1 − momentum) · running + momentum · batch.
 */
import type { BatchNormShape, Tensor } from '../kernel-set';

export type { BatchNormShape };

/** Training-mode forward: normalises with batch statistics, saves mean/invStd, updates the running stats. */
export function batchNormForwardTrain(
  s: BatchNormShape,
  inp: Tensor,
  gamma: Tensor,
  beta: Tensor,
  out: Tensor,
  mean: Tensor,
  invStd: Tensor,
  runningMean: Tensor,
  runningVar: Tensor,
): void {
  const { batch: N, channels: C, spatial: S, epsilon, momentum } = s;
  const M = N * S;
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (let n = 0; n < N; n++) for (let i = (n * C + c) * S, e = i + S; i < e; i++) sum += inp[i];
    const mu = sum / M;
    // Two passes (mean, then squared deviations) rather than E[x²] − E[x]², which cancels badly.
    let sq = 0;
    for (let n = 0; n < N; n++) {
      for (let i = (n * C + c) * S, e = i + S; i < e; i++) {
        const d = inp[i] - mu;
        sq += d * d;
      }
    }
    const variance = sq / M;
    const is = 1 / Math.sqrt(variance + epsilon);
    mean[c] = mu;
    invStd[c] = is;
    const g = gamma[c] * is;
    const b = beta[c];
    for (let n = 0; n < N; n++)
      for (let i = (n * C + c) * S, e = i + S; i < e; i++) out[i] = (inp[i] - mu) * g + b;
    runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mu;
    const unbiased = M > 1 ? sq / (M - 1) : variance;
    runningVar[c] = (1 - momentum) * runningVar[c] + momentum * unbiased;
  }
}

/** Eval-mode forward: normalises with the running statistics. */
export function batchNormForwardEval(
  s: BatchNormShape,
  inp: Tensor,
  gamma: Tensor,
  beta: Tensor,
  out: Tensor,
  runningMean: Tensor,
  runningVar: Tensor,
): void {
  const { batch: N, channels: C, spatial: S, epsilon } = s;
  for (let c = 0; c < C; c++) {
    const g = gamma[c] / Math.sqrt(runningVar[c] + epsilon);
    const b = beta[c] - runningMean[c] * g;
    for (let n = 0; n < N; n++) for (let i = (n * C + c) * S, e = i + S; i < e; i++) out[i] = inp[i] * g + b;
  }
}

/**
 * Training-mode backward (the batch statistics depend on the input, hence the two correction sums):
 *   xhat = (x − mean) · invStd,  dxhat = dout · gamma
 *   dinp += invStd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat))
 *   dgamma += Σ dout · xhat,  dbeta += Σ dout
 */
export function batchNormBackwardTrain(
  s: BatchNormShape,
  inp: Tensor,
  gamma: Tensor,
  mean: Tensor,
  invStd: Tensor,
  dout: Tensor,
  dinp: Tensor | null,
  dgamma: Tensor,
  dbeta: Tensor,
): void {
  const { batch: N, channels: C, spatial: S } = s;
  const M = N * S;
  for (let c = 0; c < C; c++) {
    const mu = mean[c];
    const is = invStd[c];
    let sumDout = 0;
    let sumDoutXhat = 0;
    for (let n = 0; n < N; n++) {
      for (let i = (n * C + c) * S, e = i + S; i < e; i++) {
        sumDout += dout[i];
        sumDoutXhat += dout[i] * (inp[i] - mu) * is;
      }
    }
    dgamma[c] += sumDoutXhat;
    dbeta[c] += sumDout;
    if (!dinp) continue;
    const g = gamma[c] * is;
    const meanDout = sumDout / M;
    const meanDoutXhat = sumDoutXhat / M;
    for (let n = 0; n < N; n++) {
      for (let i = (n * C + c) * S, e = i + S; i < e; i++) {
        const xhat = (inp[i] - mu) * is;
        dinp[i] += g * (dout[i] - meanDout - xhat * meanDoutXhat);
      }
    }
  }
}

/** dinp += dout · γ / √(runningVar + ε), per channel (eval-mode batchnorm is affine). [C, S] for batch 1. */
export function batchNormBackwardEval(
  channels: number,
  spatial: number,
  epsilon: number,
  gamma: Tensor,
  runningVar: Tensor,
  dout: Tensor,
  dinp: Tensor,
): void {
  for (let c = 0; c < channels; c++) {
    const g = gamma[c] / Math.sqrt(runningVar[c] + epsilon);
    for (let i = c * spatial, e = i + spatial; i < e; i++) dinp[i] += dout[i] * g;
  }
}
