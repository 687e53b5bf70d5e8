/**
 * maxPool2dReluBackward with zeroFirst (what a Model's fused conv + relu + max pool backward calls): it writes the
 * live part of dinp, bit for bit what the definition (dinp[argmax[j]] += dout[j] where out[j] > 0) adds into a
 * zeroed one; native kernels, through the addon's one-pass 2×2 op (maxPoolReluBackward2x2) where the
 * windows tile the input and through a zero-fill and the scatter elsewhere (or with a prebuild that lacks it);
 * float64 through the merged KernelSet's fallback. And a Model on tiling 2×2 pools trains bit for bit like the
 * same model with the relu and the pool apart.
 */
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { KernelSet, Pool2dShape } from '../../../native-workers/cnn/kernel-set';
import { buildModel } from '../../../native-workers/cnn/model';
import { referenceKernels as ref } from '../../../native-workers/cnn/reference-kernels';
import { Rng } from '../../../native-workers/cnn/rng';
import { kernelsFor } from '../../../native-workers/kernels/fast-kernels';
import { createNativeKernelSet, loadNativeAddon } from '../../../native-workers/kernels/native-kernels';
import { expectBitwiseEqual } from '../cnn/bitwise';
import { expectSame, lcg, randArray } from './kernel-check-support';

const addon = loadNativeAddon();

/** [pool, stride, inHeight, inWidth]: tiling 2×2 (the one-pass op: output width ≥ 4), then every other case. */
const GEOMETRIES: [number, number, number, number][] = [
  [2, 2, 2, 8],
  [2, 2, 6, 10],
  [2, 2, 14, 14],
  [2, 2, 28, 28],
  [2, 2, 4, 6], // 3 windows per row: zero-fill and scatter
  [2, 2, 7, 10], // an odd row left out of every window
  [2, 2, 8, 9],
  [3, 2, 9, 11], // overlapping windows
  [2, 1, 5, 6],
];

function shapeOf(
  size: number,
  stride: number,
  inHeight: number,
  inWidth: number,
  planes: number,
): Pool2dShape {
  return {
    batch: planes % 2 ? 1 : 2,
    channels: planes % 2 ? planes : planes / 2,
    inHeight,
    inWidth,
    poolHeight: size,
    poolWidth: size,
    strideH: stride,
    strideW: stride,
    outHeight: Math.floor((inHeight - size) / stride) + 1,
    outWidth: Math.floor((inWidth - size) / stride) + 1,
  };
}

/** The definition into a zeroed buffer, over a dinp full of NaN (so that any position left unwritten shows). */
function checkZeroFirst(k: KernelSet, moveSwitch: boolean): void {
  const rand = lcg(21);
  for (const [size, stride, H, W] of GEOMETRIES) {
    for (const planes of [1, 3, 6]) {
      const s = shapeOf(size, stride, H, W, planes);
      const nIn = s.batch * s.channels * H * W;
      const nOut = s.batch * s.channels * s.outHeight * s.outWidth;
      const pre = randArray(rand, nIn).map((v, i) => (i % 3 ? v : Math.round(v * 2))); // ties, zero windows
      const reluOut = new Float32Array(nIn);
      ref.reluForward(pre, reluOut);
      const out = new Float32Array(nOut);
      const argmax = new Int32Array(nOut);
      ref.maxPool2dForward(s, reluOut, out, argmax);
      // a switch moved into another window (still inside dinp): the scatter's result, not a dropped gradient
      if (moveSwitch) argmax[nOut - 1] = argmax[0];
      const dout = randArray(rand, nOut).map((v, j) => (j % 5 === 1 ? -0 : j % 11 === 4 ? NaN : v));
      // maxPool2dReluBackward's definition (with switches from the forward, the reference ops': kernel-checks.ts)
      const expected = new Float32Array(nIn + 3).fill(NaN); // + 3: a tail to leave alone
      expected.fill(0, 0, nIn);
      for (let j = 0; j < nOut; j++) if (out[j] > 0) expected[argmax[j]] += dout[j];
      const dinp = new Float32Array(nIn + 3).fill(NaN);
      k.maxPool2dReluBackward!(s, dout, argmax, out, dinp, true);
      expectSame(dinp, expected, `zeroFirst ${JSON.stringify(s)}${moveSwitch ? ', a switch moved' : ''}`);
    }
  }
}

describe.skipIf(!addon)('maxPool2dReluBackward with zeroFirst (native)', () => {
  for (const isa of addon?.isas() ?? []) {
    it.each([false, true])(`writes the definition's result (%s: a switch moved), ${isa}`, (moveSwitch) => {
      const best = addon!.useIsa();
      addon!.useIsa(isa);
      try {
        checkZeroFirst(createNativeKernelSet(addon!), moveSwitch);
      } finally {
        addon!.useIsa(best);
      }
    });
  }

  it('rejects a geometry the 2×2 op does not tile, and a switch outside dinp', () => {
    const f = new Float32Array(8);
    const shape = (H: number, W: number, oH: number, oW: number) =>
      Int32Array.from([1, 1, H, W, 2, 2, 2, 2, oH, oW]);
    expect(() =>
      addon!.maxPoolReluBackward2x2(shape(2, 6, 1, 3), f, new Int32Array(8), f, new Float32Array(12)),
    ).toThrow(/tiling/);
    expect(() =>
      addon!.maxPoolReluBackward2x2(shape(3, 8, 1, 4), f, new Int32Array(8), f, new Float32Array(24)),
    ).toThrow(/tiling/);
    const far = Int32Array.from([0, 2, 4, 99]);
    expect(() =>
      addon!.maxPoolReluBackward2x2(shape(2, 8, 1, 4), f.fill(1), far, f, new Float32Array(16)),
    ).toThrow(/outside dinp/);
  });

  it('float64 (the gradient checks) through the merged KernelSet: the definition too', () => {
    const k = kernelsFor('native');
    const s = shapeOf(2, 2, 2, 8, 1);
    const reluOut = Float64Array.from([0, 2, 1, 0, 0, 0, 5, 0, 3, 0, 0, 0, 0, 0, 0, 4]);
    const out = new Float64Array(4);
    const argmax = new Int32Array(4);
    k.maxPool2dForward(s, reluOut, out, argmax);
    const dinp = new Float64Array(17).fill(NaN);
    k.maxPool2dReluBackward!(s, Float64Array.from([0.5, 0.25, 0.125, 1]), argmax, out, dinp, true);
    // windows {0, 2, 3, 0} → 3 at 8; {1, 0, 0, 0} → 1 at 2; all 0 → no gradient; {5, 0, 0, 4} → 5 at 6
    expect(Array.from(dinp)).toEqual([0, 0, 0.25, 0, 0, 0, 1, 0, 0.5, 0, 0, 0, 0, 0, 0, 0, NaN]);
  });
});

const spec: ModelSpec = {
  input: { channels: 1, height: 16, width: 16 },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 }, // 16×16 → 8×8: the one-pass op
    { type: 'conv2d', filters: 8, kernelSize: 3, padding: 'same' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 }, // 8×8 → 4×4: the one-pass op
    { type: 'flatten' },
    { type: 'dense', units: 3 },
  ],
  numClasses: 3,
};

describe.skipIf(!addon)('a Model on tiling 2×2 pools (native)', () => {
  it('trains bit for bit like the relu and the pool apart', () => {
    const k = kernelsFor('native');
    const calls = { write: 0 };
    const counted: KernelSet = {
      ...k,
      maxPool2dReluBackward: (...a) => (a[5] && calls.write++, k.maxPool2dReluBackward!(...a)),
      // the first pool's backward through it too (not fused into the first conv's, which sums in another order)
      conv2dReluMaxPoolBackwardParams: undefined,
    };
    const a = buildModel(spec, { seed: 2, batchSize: 4, kernels: counted });
    const b = buildModel(spec, {
      seed: 2,
      batchSize: 4,
      kernels: { ...k, maxPool2dReluBackward: undefined },
    });
    const rng = new Rng(5);
    for (let step = 0; step < 3; step++) {
      const batch = [4, 1, 3][step];
      const x = new Float32Array(batch * a.inputSize).map(() => rng.normal());
      const labels = Array.from({ length: batch }, (_, n) => (n + step) % 3);
      expect(a.computeGradients(x, labels)).toEqual(b.computeGradients(x, labels));
      expectBitwiseEqual(a.grads, b.grads, `gradients, step ${step}`);
      for (const m of [a, b]) for (let j = 0; j < m.params.length; j++) m.params[j] -= 0.1 * m.grads[j];
    }
    expect(calls.write).toBe(6);
  });
});
