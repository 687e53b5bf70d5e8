/**
 * The shard workers' optimizer (FlatAdam on slices) against the Trainer's (createAdam): AdamW and Adam with L2
 * decay under a decay mask with zeros, with a learning rate that changes every step, stepped slice by slice.
 */
import { describe, expect, it } from 'vitest';
import type { AdamConfig } from '../../../app/domain/model-spec';
import { createAdam } from '../../../native-workers/cnn/optim/adam';
import { clipScale, globalNorm, scaleRange, sumOfSquares } from '../../../native-workers/cnn/optim/clip';
import { FlatAdam } from '../../../native-workers/parallel/adam';
import { lcg, randArray } from '../kernels/kernel-check-support';

/** Largest |a − b| in float32 ulps of b (createAdam and FlatAdam differ only in float64 rounding). */
function maxUlps(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const ulp = Math.max(Math.abs(b[i]) * 2 ** -23, 2 ** -149);
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / ulp);
  }
  return worst;
}

describe('FlatAdam on slices equals createAdam (the Trainer optimizer)', () => {
  const P = 1000;
  const slices = [
    [0, 332],
    [332, 700],
    [700, P],
  ];
  const cases: { name: string; config: AdamConfig; masked: boolean }[] = [
    { name: 'AdamW, masked', config: { type: 'adamw', weightDecay: 0.1 }, masked: true },
    { name: 'AdamW, no mask', config: { type: 'adamw', weightDecay: 0.1 }, masked: false },
    {
      name: 'Adam + L2, masked',
      config: { type: 'adam', weightDecay: 0.1, beta1: 0.8, epsilon: 1e-6 },
      masked: true,
    },
  ];

  it.for(cases)('$name', ({ config, masked }) => {
    const rand = lcg(5);
    const mask = masked ? Uint8Array.from({ length: P }, (_, i) => (i % 7 < 4 ? 1 : 0)) : undefined;
    const start = randArray(rand, P);
    const reference = createAdam(config, P, mask);
    const refParams = start.slice();
    const decoupled = config.type === 'adamw';
    const adam = new FlatAdam(P, {
      lr: 0,
      beta1: config.beta1,
      eps: config.epsilon,
      weightDecay: config.weightDecay,
      decoupled,
      decayMask: mask,
    });
    const params = start.slice();
    const grads = Array.from({ length: 6 }, () => randArray(rand, P).map((g) => g * 0.1));
    const lrAt = (t: number) => 0.02 / t; // a schedule: the workers read a new rate every step
    for (let t = 1; t <= grads.length; t++) {
      reference.step(refParams, grads[t - 1], lrAt(t));
      (adam as { lr: number }).lr = lrAt(t);
      for (const [from, to] of slices) adam.stepSlice(params, grads[t - 1], t, from, to);
    }
    expect(maxUlps(params, refParams)).toBeLessThanOrEqual(1);
    const state = reference.getState();
    expect(maxUlps(adam.m, state.buffers.m)).toBeLessThanOrEqual(1);
    expect(maxUlps(adam.v, state.buffers.v)).toBeLessThanOrEqual(1);
    // the decay is large enough that ignoring the mask (or decaying nothing) would show
    for (const other of [createAdam(config, P), createAdam({ ...config, weightDecay: 0 }, P)]) {
      if (!masked && other.config.weightDecay !== 0) continue;
      const p = start.slice();
      for (let t = 1; t <= grads.length; t++) other.step(p, grads[t - 1], lrAt(t));
      expect(maxUlps(p, refParams)).toBeGreaterThan(100);
    }
  });
});

describe('clipping split into ranges', () => {
  it('the partial sums added in order give clip.ts global norm (exactly with one range)', () => {
    const g = randArray(lcg(9), 777);
    expect(Math.sqrt(sumOfSquares(g, 0, g.length))).toBe(globalNorm(g));
    const split = Math.sqrt(sumOfSquares(g, 0, 300) + sumOfSquares(g, 300, 777));
    expect(split).toBeCloseTo(globalNorm(g), 12);
    expect(clipScale(2, 5)).toBe(1);
    expect(clipScale(10, 5)).toBe(0.5);
    expect(clipScale(0, 0)).toBe(1);
    const h = g.slice();
    scaleRange(h, 0.5, 10, 20);
    expect(h[9]).toBe(g[9]);
    expect(h[10]).toBe(Math.fround(g[10] * 0.5));
    expect(h[20]).toBe(g[20]);
  });
});
