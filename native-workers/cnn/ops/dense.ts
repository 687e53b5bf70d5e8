/**
 * Fully connected layer (PyTorch's nn.Linear layout).
 *
 *   inp    [N, I]   (any [N, C, H, W] input is read as [N, C·H·W], which is exactly a flatten in NCHW)
 *   weight [O, I]
 *   bias   [O] or null
 *   out    [N, O]
 *   out[n, o] = bias[o] + Σ_i inp[n, i] · weight[o, i]
 */
import type { DenseShape, Tensor } from '../kernel-set';

/** Forward pass; overwrites out. */
export function denseForward(
  s: DenseShape,
  inp: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  out: Tensor,
): void {
  const { batch, inFeatures: I, outFeatures: O } = s;
  for (let n = 0; n < batch; n++) {
    const x0 = n * I;
    for (let o = 0; o < O; o++) {
      const w0 = o * I;
      let sum = bias ? bias[o] : 0;
      for (let i = 0; i < I; i++) sum += inp[x0 + i] * weight[w0 + i];
      out[n * O + o] = sum;
    }
  }
}

/** Backward pass: accumulates dinp (unless null), dweight and dbias (unless null). */
export function denseBackward(
  s: DenseShape,
  inp: Tensor,
  weight: Tensor,
  dout: Tensor,
  dinp: Tensor | null,
  dweight: Tensor,
  dbias: Tensor | null,
): void {
  const { batch, inFeatures: I, outFeatures: O } = s;
  for (let n = 0; n < batch; n++) {
    const x0 = n * I;
    for (let o = 0; o < O; o++) {
      const g = dout[n * O + o];
      if (g === 0) continue; // common after ReLU; skipping changes no result
      const w0 = o * I;
      if (dbias) dbias[o] += g;
      for (let i = 0; i < I; i++) dweight[w0 + i] += g * inp[x0 + i];
      if (dinp) for (let i = 0; i < I; i++) dinp[x0 + i] += g * weight[w0 + i];
    }
  }
}

/** dinp[i] += Σ_o dout[o] · weight[o, i] for one example; weight [O, I] (no parameter gradients). */
export function denseInputBackward(
  inFeatures: number,
  outFeatures: number,
  weight: Tensor,
  dout: Tensor,
  dinp: Tensor,
): void {
  for (let o = 0; o < outFeatures; o++) {
    const g = dout[o];
    if (g === 0) continue; // common after a ReLU
    const w0 = o * inFeatures;
    for (let i = 0; i < inFeatures; i++) dinp[i] += g * weight[w0 + i];
  }
}
