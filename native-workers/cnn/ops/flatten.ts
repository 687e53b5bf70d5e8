/**
 * Flatten: [N, C, H, W] → [N, C·H·W]. In NCHW the memory order is already the flattened order (the same as
 * PyTorch's x.flatten(1)), so forward is a copy and backward an accumulate; `count` is N·C·H·W.
 */
import type { Tensor } from '../kernel-set';

/** out[0..count) = inp[0..count). */
export function flattenForward(inp: Tensor, out: Tensor, count: number): void {
  for (let i = 0; i < count; i++) out[i] = inp[i];
}

/** dinp[0..count) += dout[0..count). */
export function flattenBackward(dout: Tensor, dinp: Tensor, count: number): void {
  for (let i = 0; i < count; i++) dinp[i] += dout[i];
}
