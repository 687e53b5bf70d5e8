/**
 * Weight initialisation. He (Kaiming) normal keeps the activation variance constant through ReLU layers;
 * Glorot (Xavier) uniform suits layers followed by no ReLU (the classifier).
 */
import type { Tensor } from './kernel-set';
import type { Rng } from './rng';

/** He normal: N(0, 2 / ((1 + slope²) · fanIn)), where slope is the leaky ReLU's negative slope (0 for ReLU). */
export function heNormal(w: Tensor, fanIn: number, rng: Rng, negativeSlope = 0): void {
  const std = Math.sqrt(2 / ((1 + negativeSlope * negativeSlope) * fanIn));
  for (let i = 0; i < w.length; i++) w[i] = rng.normal() * std;
}

/** Glorot uniform: U(-a, a) with a = sqrt(6 / (fanIn + fanOut)). */
export function glorotUniform(w: Tensor, fanIn: number, fanOut: number, rng: Rng): void {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * a;
}

/** Fan-in uniform: U(-a, a) with a = 1/sqrt(fanIn), for weights and biases alike (PyTorch's default for conv/linear). */
export function fanInUniform(w: Tensor, fanIn: number, rng: Rng): void {
  const a = 1 / Math.sqrt(fanIn);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * a;
}
