/**
 * Rectified linear unit, elementwise over a tensor of any shape.
 *
 *   inp, out [any], same length
 *   out = max(0, inp)
 */
import type { Tensor } from '../kernel-set';

/** out = max(0, inp); out may alias inp. */
export function reluForward(inp: Tensor, out: Tensor): void {
  for (let i = 0; i < inp.length; i++) out[i] = inp[i] > 0 ? inp[i] : 0;
}

/** dinp += dout where out > 0 (reads the output, so it also works when out aliased inp). */
export function reluBackward(out: Tensor, dout: Tensor, dinp: Tensor): void {
  for (let i = 0; i < out.length; i++) if (out[i] > 0) dinp[i] += dout[i];
}
