/**
 * Average pooling over each channel, no padding.
 *
 *   inp [N, C, H, W]
 *   out [N, C, OH, OW]
 *   out[n, c, oy, ox] = mean_{py < PH, px < PW} inp[n, c, oy·SH + py, ox·SW + px]
 */
import type { Pool2dShape, Tensor } from '../kernel-set';

/** Forward pass; overwrites out. */
export function avgPool2dForward(s: Pool2dShape, inp: Tensor, out: Tensor): void {
  const { batch, channels, inHeight: H, inWidth: W, poolHeight: PH, poolWidth: PW } = s;
  const { strideH: SH, strideW: SW, outHeight: OH, outWidth: OW } = s;
  const scale = 1 / (PH * PW);
  for (let nc = 0; nc < batch * channels; nc++) {
    const i0 = nc * H * W;
    const o0 = nc * OH * OW;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        let sum = 0;
        for (let py = 0; py < PH; py++) {
          const row = i0 + (oy * SH + py) * W + ox * SW;
          for (let px = 0; px < PW; px++) sum += inp[row + px];
        }
        out[o0 + oy * OW + ox] = sum * scale;
      }
    }
  }
}

/** Backward pass: each input in a window receives dout / (PH·PW), accumulated over overlapping windows. */
export function avgPool2dBackward(s: Pool2dShape, dout: Tensor, dinp: Tensor): void {
  const { batch, channels, inHeight: H, inWidth: W, poolHeight: PH, poolWidth: PW } = s;
  const { strideH: SH, strideW: SW, outHeight: OH, outWidth: OW } = s;
  const scale = 1 / (PH * PW);
  for (let nc = 0; nc < batch * channels; nc++) {
    const i0 = nc * H * W;
    const o0 = nc * OH * OW;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const g = dout[o0 + oy * OW + ox] * scale;
        for (let py = 0; py < PH; py++) {
          const row = i0 + (oy * SH + py) * W + ox * SW;
          for (let px = 0; px < PW; px++) dinp[row + px] += g;
        }
      }
    }
  }
}
