/**
 * Leaky ReLU, elementwise over a tensor of any shape.
 *
 *   inp, out [any], same length
 *   out = inp > 0 ? inp : alpha · inp
 */
import type { Tensor } from '../kernel-set';

/** out = inp > 0 ? inp : alpha·inp. */
export function leakyReluForward(inp: Tensor, out: Tensor, alpha: number): void {
  for (let i = 0; i < inp.length; i++) out[i] = inp[i] > 0 ? inp[i] : alpha * inp[i];
}

/** dinp += dout · (inp > 0 ? 1 : alpha). */
export function leakyReluBackward(inp: Tensor, dout: Tensor, dinp: Tensor, alpha: number): void {
  for (let i = 0; i < inp.length; i++) dinp[i] += inp[i] > 0 ? dout[i] : alpha * dout[i];
}
