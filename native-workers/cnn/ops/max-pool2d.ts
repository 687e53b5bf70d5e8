/**
 * Max pooling over each channel, no padding.
 *
 *   inp    [N, C, H, W]
 *   out    [N, C, OH, OW]
 *   argmax [N, C, OH, OW]  flat index into inp of each window's max (ConvNetJS "switches")
 *   out[n, c, oy, ox] = max_{py, px} inp[n, c, oy·SH + py, ox·SW + px]
 *
 * Remembering the argmax makes backward a scatter, with no second search. On ties the first (top-left) wins.
 */
import type { Pool2dShape, Tensor } from '../kernel-set';

/** Forward pass; overwrites out and argmax. */
export function maxPool2dForward(s: Pool2dShape, inp: Tensor, out: Tensor, argmax: Int32Array): void {
  const { batch, channels, inHeight: H, inWidth: W, poolHeight: PH, poolWidth: PW } = s;
  const { strideH: SH, strideW: SW, outHeight: OH, outWidth: OW } = s;
  for (let nc = 0; nc < batch * channels; nc++) {
    const i0 = nc * H * W;
    const o0 = nc * OH * OW;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        let best = -Infinity;
        let bestIdx = i0 + oy * SH * W + ox * SW;
        for (let py = 0; py < PH; py++) {
          const row = i0 + (oy * SH + py) * W + ox * SW;
          for (let px = 0; px < PW; px++) {
            const v = inp[row + px];
            if (v > best) {
              best = v;
              bestIdx = row + px;
            }
          }
        }
        out[o0 + oy * OW + ox] = inp[bestIdx]; // not `best`: a NaN window must give NaN, not -Infinity
        argmax[o0 + oy * OW + ox] = bestIdx;
      }
    }
  }
}

/** Backward pass: dinp[argmax[j]] += dout[j]. */
export function maxPool2dBackward(s: Pool2dShape, dout: Tensor, argmax: Int32Array, dinp: Tensor): void {
  const count = s.batch * s.channels * s.outHeight * s.outWidth;
  for (let j = 0; j < count; j++) dinp[argmax[j]] += dout[j];
}
