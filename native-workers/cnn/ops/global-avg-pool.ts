/**
 * Global average pooling: the mean of each channel over all positions.
 *
 *   inp [N, C, H, W]
 *   out [N, C]   (= [N, C, 1, 1])
 */
import type { Tensor } from '../kernel-set';

/** Geometry of a global average pool. */
export interface GlobalPoolShape {
  batch: number;
  channels: number;
  /** H·W. */
  spatial: number;
}

/** Forward pass; overwrites out. */
export function globalAvgPoolForward(s: GlobalPoolShape, inp: Tensor, out: Tensor): void {
  const { batch, channels, spatial } = s;
  for (let nc = 0; nc < batch * channels; nc++) {
    let sum = 0;
    for (let i = nc * spatial; i < (nc + 1) * spatial; i++) sum += inp[i];
    out[nc] = sum / spatial;
  }
}

/** Backward pass: every position receives dout / (H·W). */
export function globalAvgPoolBackward(s: GlobalPoolShape, dout: Tensor, dinp: Tensor): void {
  const { batch, channels, spatial } = s;
  for (let nc = 0; nc < batch * channels; nc++) {
    const g = dout[nc] / spatial;
    for (let i = nc * spatial; i < (nc + 1) * spatial; i++) dinp[i] += g;
  }
}
