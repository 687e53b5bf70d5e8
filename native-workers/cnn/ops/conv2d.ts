/**
 * 2-D convolution (cross-correlation, like PyTorch) with zero padding, stride and bias.
 *
 *   inp    [N, C, H, W]
 *   weight [OC, C, KH, KW]
 *   bias   [OC] or null
 *   out    [N, OC, OH, OW]
 *   out[n, oc, oy, ox] = bias[oc] + Σ_{c, ky, kx} inp[n, c, oy·SH − padTop + ky, ox·SW − padLeft + kx] · weight[oc, c, ky, kx]
 *
 * Positions outside the input read as zero. Instead of testing each one, the loops below compute, per kernel
 * offset, the range of output columns whose input column is inside the image (see `validRange`), so the inner
 * loop is a plain multiply-add over a row.
 */
import type { Conv2dShape, Tensor } from '../kernel-set';

/** The output indices o in [lo, hi) whose input index o·stride − pad + k lies in [0, inSize). */
export function validRange(
  outSize: number,
  inSize: number,
  stride: number,
  pad: number,
  k: number,
): [number, number] {
  // o·stride − pad + k ≥ 0  ⇔  o ≥ (pad − k) / stride;   o·stride − pad + k ≤ inSize − 1  ⇔  o ≤ (inSize − 1 + pad − k) / stride
  const lo = Math.max(0, Math.ceil((pad - k) / stride));
  const hi = Math.min(outSize, Math.floor((inSize - 1 + pad - k) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/** Forward convolution; overwrites out. */
export function conv2dForward(
  s: Conv2dShape,
  inp: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  out: Tensor,
): void {
  const {
    batch,
    inChannels: C,
    inHeight: H,
    inWidth: W,
    outChannels: OC,
    kernelHeight: KH,
    kernelWidth: KW,
  } = s;
  const { strideH: SH, strideW: SW, padTop, padLeft, outHeight: OH, outWidth: OW } = s;
  const inPlane = H * W;
  const outPlane = OH * OW;
  for (let n = 0; n < batch; n++) {
    for (let oc = 0; oc < OC; oc++) {
      const o0 = (n * OC + oc) * outPlane;
      out.fill(bias ? bias[oc] : 0, o0, o0 + outPlane);
      for (let c = 0; c < C; c++) {
        const i0 = (n * C + c) * inPlane;
        const w0 = (oc * C + c) * KH * KW;
        for (let ky = 0; ky < KH; ky++) {
          const [oyLo, oyHi] = validRange(OH, H, SH, padTop, ky);
          for (let kx = 0; kx < KW; kx++) {
            const [oxLo, oxHi] = validRange(OW, W, SW, padLeft, kx);
            const w = weight[w0 + ky * KW + kx];
            for (let oy = oyLo; oy < oyHi; oy++) {
              const orow = o0 + oy * OW;
              const irow = i0 + (oy * SH - padTop + ky) * W - padLeft + kx;
              for (let ox = oxLo; ox < oxHi; ox++) out[orow + ox] += w * inp[irow + ox * SW];
            }
          }
        }
      }
    }
  }
}

/** Backward convolution: accumulates dinp (unless null), dweight and dbias (unless null). */
export function conv2dBackward(
  s: Conv2dShape,
  inp: Tensor,
  weight: Tensor,
  dout: Tensor,
  dinp: Tensor | null,
  dweight: Tensor,
  dbias: Tensor | null,
): void {
  const {
    batch,
    inChannels: C,
    inHeight: H,
    inWidth: W,
    outChannels: OC,
    kernelHeight: KH,
    kernelWidth: KW,
  } = s;
  const { strideH: SH, strideW: SW, padTop, padLeft, outHeight: OH, outWidth: OW } = s;
  const inPlane = H * W;
  const outPlane = OH * OW;
  for (let n = 0; n < batch; n++) {
    for (let oc = 0; oc < OC; oc++) {
      const o0 = (n * OC + oc) * outPlane;
      if (dbias) {
        let sum = 0;
        for (let i = o0; i < o0 + outPlane; i++) sum += dout[i];
        dbias[oc] += sum;
      }
      for (let c = 0; c < C; c++) {
        const i0 = (n * C + c) * inPlane;
        const w0 = (oc * C + c) * KH * KW;
        for (let ky = 0; ky < KH; ky++) {
          const [oyLo, oyHi] = validRange(OH, H, SH, padTop, ky);
          for (let kx = 0; kx < KW; kx++) {
            const [oxLo, oxHi] = validRange(OW, W, SW, padLeft, kx);
            const w = weight[w0 + ky * KW + kx];
            let dw = 0;
            for (let oy = oyLo; oy < oyHi; oy++) {
              const orow = o0 + oy * OW;
              const irow = i0 + (oy * SH - padTop + ky) * W - padLeft + kx;
              for (let ox = oxLo; ox < oxHi; ox++) {
                const g = dout[orow + ox];
                dw += g * inp[irow + ox * SW];
                if (dinp) dinp[irow + ox * SW] += w * g;
              }
            }
            dweight[w0 + ky * KW + kx] += dw;
          }
        }
      }
    }
  }
}
