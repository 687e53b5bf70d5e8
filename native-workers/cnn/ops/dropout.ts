/**
 * Inverted dropout, elementwise over a tensor of any shape.
 *
 *   inp, out, mask [any], same length
 *   training: mask[i] = (u_i < rate) ? 0 : 1 / (1 − rate);  out = inp · mask
 *
 * Scaling the kept values by 1 / (1 − rate) at training time keeps the expected activation unchanged, so
 * inference is the identity and needs no rescaling. The mask stores the scale so backward is one multiply.
 */
import type { Tensor } from '../kernel-set';
import type { Rng } from '../rng';

/** Draws a fresh mask from rng and writes out = inp · mask (training only; at inference do not call). */
export function dropoutForward(inp: Tensor, out: Tensor, mask: Tensor, rate: number, rng: Rng): void {
  const keep = 1 / (1 - rate);
  for (let i = 0; i < inp.length; i++) {
    mask[i] = rng.uniform() < rate ? 0 : keep;
    out[i] = inp[i] * mask[i];
  }
}

/** dinp += dout · mask. */
export function dropoutBackward(dout: Tensor, mask: Tensor, dinp: Tensor): void {
  for (let i = 0; i < dout.length; i++) dinp[i] += dout[i] * mask[i];
}
