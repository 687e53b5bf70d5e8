import { describe, expect, it } from 'vitest';
import type { Conv2dShape, Pool2dShape } from '../../../native-workers/cnn/kernel-set';
import { avgPool2dBackward, avgPool2dForward } from '../../../native-workers/cnn/ops/avg-pool2d';
import {
  batchNormBackwardTrain,
  batchNormForwardTrain,
  type BatchNormShape,
} from '../../../native-workers/cnn/ops/batch-norm';
import { conv2dBackward, conv2dForward } from '../../../native-workers/cnn/ops/conv2d';
import { denseBackward, denseForward } from '../../../native-workers/cnn/ops/dense';
import { dropoutBackward, dropoutForward } from '../../../native-workers/cnn/ops/dropout';
import { flattenBackward, flattenForward } from '../../../native-workers/cnn/ops/flatten';
import { globalAvgPoolBackward, globalAvgPoolForward } from '../../../native-workers/cnn/ops/global-avg-pool';
import { leakyReluBackward, leakyReluForward } from '../../../native-workers/cnn/ops/leaky-relu';
import { maxPool2dBackward, maxPool2dForward } from '../../../native-workers/cnn/ops/max-pool2d';
import { reluBackward, reluForward } from '../../../native-workers/cnn/ops/relu';
import {
  softmaxCrossEntropyBackward,
  softmaxCrossEntropyForward,
} from '../../../native-workers/cnn/ops/softmax-cross-entropy';
import { Rng } from '../../../native-workers/cnn/rng';
import { convAxis, poolAxis } from '../../../native-workers/cnn/shape';
import { dot, maxGradError, randn } from './gradcheck';

const TOL = 1e-6;

function convShape(
  batch: number,
  inChannels: number,
  inHeight: number,
  inWidth: number,
  outChannels: number,
  kernelHeight: number,
  kernelWidth: number,
  strideH: number,
  strideW: number,
  padding: 'same' | 'valid' | number,
): Conv2dShape {
  const y = convAxis(inHeight, kernelHeight, strideH, padding);
  const x = convAxis(inWidth, kernelWidth, strideW, padding);
  return {
    batch,
    inChannels,
    inHeight,
    inWidth,
    outChannels,
    kernelHeight,
    kernelWidth,
    strideH,
    strideW,
    padTop: y.padBefore,
    padLeft: x.padBefore,
    outHeight: y.out,
    outWidth: x.out,
  };
}

describe('conv2d gradients (float64 central differences)', () => {
  const cases: [string, Conv2dShape][] = [
    ['3x3 stride 1 same', convShape(2, 2, 5, 6, 3, 3, 3, 1, 1, 'same')],
    ['non-square 2x3 kernel, stride 2x1, pad 1, non-square input', convShape(2, 3, 7, 5, 2, 2, 3, 2, 1, 1)],
    ['asymmetric same padding (even kernel, stride 2)', convShape(1, 2, 6, 7, 2, 4, 2, 2, 2, 'same')],
    ['valid 1x1', convShape(3, 4, 3, 3, 5, 1, 1, 1, 1, 'valid')],
    ['stride 3 valid 5x5 on 9x11', convShape(2, 1, 9, 11, 2, 5, 5, 3, 3, 'valid')],
  ];
  for (const [name, s] of cases) {
    it(name, () => {
      const rng = new Rng(1);
      const inp = randn(s.batch * s.inChannels * s.inHeight * s.inWidth, rng);
      const w = randn(s.outChannels * s.inChannels * s.kernelHeight * s.kernelWidth, rng);
      const b = randn(s.outChannels, rng);
      const outLen = s.batch * s.outChannels * s.outHeight * s.outWidth;
      const R = randn(outLen, rng);
      const out = new Float64Array(outLen);
      const loss = () => {
        conv2dForward(s, inp, w, b, out);
        return dot(out, R);
      };
      const dinp = new Float64Array(inp.length);
      const dw = new Float64Array(w.length);
      const db = new Float64Array(b.length);
      loss();
      conv2dBackward(s, inp, w, R, dinp, dw, db);
      expect(maxGradError(inp, dinp, loss)).toBeLessThan(TOL);
      expect(maxGradError(w, dw, loss)).toBeLessThan(TOL);
      expect(maxGradError(b, db, loss)).toBeLessThan(TOL);
    });
  }

  it('same padding keeps ceil(in / stride) and puts the odd zero after (SAME_UPPER)', () => {
    expect(convAxis(5, 3, 1, 'same')).toEqual({ padBefore: 1, padAfter: 1, out: 5 });
    expect(convAxis(6, 4, 1, 'same')).toEqual({ padBefore: 1, padAfter: 2, out: 6 });
    expect(convAxis(7, 3, 2, 'same')).toEqual({ padBefore: 1, padAfter: 1, out: 4 });
    expect(convAxis(6, 3, 2, 'same')).toEqual({ padBefore: 0, padAfter: 1, out: 3 });
  });

  it('accumulates into gradients instead of overwriting', () => {
    const s = convShape(1, 1, 4, 4, 1, 3, 3, 1, 1, 'same');
    const rng = new Rng(2);
    const inp = randn(16, rng);
    const w = randn(9, rng);
    const R = randn(16, rng);
    const once = { dinp: new Float64Array(16), dw: new Float64Array(9), db: new Float64Array(1) };
    const twice = { dinp: new Float64Array(16), dw: new Float64Array(9), db: new Float64Array(1) };
    conv2dBackward(s, inp, w, R, once.dinp, once.dw, once.db);
    conv2dBackward(s, inp, w, R, twice.dinp, twice.dw, twice.db);
    conv2dBackward(s, inp, w, R, twice.dinp, twice.dw, twice.db);
    for (let i = 0; i < 9; i++) expect(twice.dw[i]).toBeCloseTo(2 * once.dw[i], 12);
    expect(twice.db[0]).toBeCloseTo(2 * once.db[0], 12);
  });
});

describe('dense gradients', () => {
  it('batch 3, 7 → 4', () => {
    const s = { batch: 3, inFeatures: 7, outFeatures: 4 };
    const rng = new Rng(3);
    const inp = randn(21, rng);
    const w = randn(28, rng);
    const b = randn(4, rng);
    const R = randn(12, rng);
    const out = new Float64Array(12);
    const loss = () => {
      denseForward(s, inp, w, b, out);
      return dot(out, R);
    };
    const dinp = new Float64Array(21);
    const dw = new Float64Array(28);
    const db = new Float64Array(4);
    denseBackward(s, inp, w, R, dinp, dw, db);
    expect(maxGradError(inp, dinp, loss)).toBeLessThan(TOL);
    expect(maxGradError(w, dw, loss)).toBeLessThan(TOL);
    expect(maxGradError(b, db, loss)).toBeLessThan(TOL);
  });
});

function poolShape(
  batch: number,
  channels: number,
  inHeight: number,
  inWidth: number,
  poolHeight: number,
  poolWidth: number,
  strideH: number,
  strideW: number,
): Pool2dShape {
  return {
    batch,
    channels,
    inHeight,
    inWidth,
    poolHeight,
    poolWidth,
    strideH,
    strideW,
    outHeight: poolAxis(inHeight, poolHeight, strideH),
    outWidth: poolAxis(inWidth, poolWidth, strideW),
  };
}

/** Distinct values spaced ≥ 0.01 apart (shuffled), so a ±1e-6 nudge never changes which element is the max. */
function noTies(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = (i - n / 2) * 0.01;
  return rng.shuffle(a);
}

describe('pooling gradients', () => {
  const cases: [string, Pool2dShape][] = [
    ['2x2 stride 2', poolShape(2, 2, 6, 6, 2, 2, 2, 2)],
    ['3x3 stride 2 overlapping, non-square input, ragged edge', poolShape(2, 3, 7, 8, 3, 3, 2, 2)],
    ['non-square 2x3 window, stride 1x2', poolShape(1, 2, 5, 7, 2, 3, 1, 2)],
  ];
  for (const [name, s] of cases) {
    it(`max pool ${name}`, () => {
      const rng = new Rng(4);
      const inp = noTies(s.batch * s.channels * s.inHeight * s.inWidth, rng);
      const outLen = s.batch * s.channels * s.outHeight * s.outWidth;
      const R = randn(outLen, rng);
      const out = new Float64Array(outLen);
      const argmax = new Int32Array(outLen);
      const loss = () => {
        maxPool2dForward(s, inp, out, argmax);
        return dot(out, R);
      };
      loss();
      const dinp = new Float64Array(inp.length);
      maxPool2dBackward(s, R, argmax, dinp);
      expect(maxGradError(inp, dinp, loss)).toBeLessThan(TOL);
    });
    it(`avg pool ${name}`, () => {
      const rng = new Rng(5);
      const inp = randn(s.batch * s.channels * s.inHeight * s.inWidth, rng);
      const outLen = s.batch * s.channels * s.outHeight * s.outWidth;
      const R = randn(outLen, rng);
      const out = new Float64Array(outLen);
      const loss = () => {
        avgPool2dForward(s, inp, out);
        return dot(out, R);
      };
      const dinp = new Float64Array(inp.length);
      avgPool2dBackward(s, R, dinp);
      expect(maxGradError(inp, dinp, loss)).toBeLessThan(TOL);
    });
  }

  it('global average pool, non-square', () => {
    const s = { batch: 2, channels: 3, spatial: 4 * 5 };
    const rng = new Rng(6);
    const inp = randn(2 * 3 * 20, rng);
    const R = randn(6, rng);
    const out = new Float64Array(6);
    const loss = () => {
      globalAvgPoolForward(s, inp, out);
      return dot(out, R);
    };
    const dinp = new Float64Array(inp.length);
    globalAvgPoolBackward(s, R, dinp);
    expect(maxGradError(inp, dinp, loss)).toBeLessThan(TOL);
  });
});

/** Values at least 0.01 away from 0, so the kink of (leaky) ReLU is never crossed by a nudge. */
function awayFromZero(n: number, rng: Rng): Float64Array {
  const a = randn(n, rng);
  for (let i = 0; i < n; i++) if (Math.abs(a[i]) < 0.01) a[i] = 0.5;
  return a;
}

describe('elementwise gradients', () => {
  it('relu', () => {
    const rng = new Rng(7);
    const inp = awayFromZero(40, rng);
    const R = randn(40, rng);
    const out = new Float64Array(40);
    const loss = () => {
      reluForward(inp, out);
      return dot(out, R);
    };
    loss();
    const dinp = new Float64Array(40);
    reluBackward(out, R, dinp);
    expect(maxGradError(inp, dinp, loss)).toBeLessThan(TOL);
  });

  it('leaky relu', () => {
    const rng = new Rng(8);
    const inp = awayFromZero(40, rng);
    const R = randn(40, rng);
    const out = new Float64Array(40);
    const loss = () => {
      leakyReluForward(inp, out, 0.1);
      return dot(out, R);
    };
    const dinp = new Float64Array(40);
    leakyReluBackward(inp, R, dinp, 0.1);
    expect(maxGradError(inp, dinp, loss)).toBeLessThan(TOL);
  });

  it('dropout (fixed mask), inverted scaling and seeded', () => {
    const rng = new Rng(9);
    const inp = randn(200, rng);
    const R = randn(200, rng);
    const out = new Float64Array(200);
    const mask = new Float64Array(200);
    dropoutForward(inp, out, mask, 0.3, new Rng(10));
    const kept = mask.filter((m) => m !== 0);
    expect(kept.every((m) => Math.abs(m - 1 / 0.7) < 1e-12)).toBe(true);
    expect(kept.length).toBeGreaterThan(110);
    expect(kept.length).toBeLessThan(170);
    const mask2 = new Float64Array(200);
    dropoutForward(inp, out, mask2, 0.3, new Rng(10));
    expect(mask2).toEqual(mask);
    const loss = () => {
      for (let i = 0; i < 200; i++) out[i] = inp[i] * mask[i]; // same mask as the analytic pass
      return dot(out, R);
    };
    const dinp = new Float64Array(200);
    dropoutBackward(R, mask, dinp);
    expect(maxGradError(inp, dinp, loss)).toBeLessThan(TOL);
  });

  it('flatten', () => {
    const rng = new Rng(11);
    const inp = randn(24, rng);
    const R = randn(24, rng);
    const out = new Float64Array(24);
    const loss = () => {
      flattenForward(inp, out, 24);
      return dot(out, R);
    };
    const dinp = new Float64Array(24);
    flattenBackward(R, dinp, 24);
    expect(maxGradError(inp, dinp, loss)).toBeLessThan(TOL);
  });
});

describe('softmax cross-entropy', () => {
  it('gradient, batch 4, 5 classes', () => {
    const rng = new Rng(12);
    const logits = randn(20, rng, 2);
    const labels = new Int32Array([0, 3, 4, 3]);
    const probs = new Float64Array(20);
    const loss = () => softmaxCrossEntropyForward(logits, labels, probs, 4, 5);
    loss();
    const d = new Float64Array(20);
    softmaxCrossEntropyBackward(probs, labels, d, 4, 5);
    expect(maxGradError(logits, d, loss)).toBeLessThan(TOL);
  });

  it('is stable for huge logits and returns probabilities', () => {
    const logits = new Float64Array([1000, 0, -1000, 5000, 5000, 5000]);
    const probs = new Float64Array(6);
    const loss = softmaxCrossEntropyForward(logits, [0, 2], probs, 2, 3);
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeCloseTo((0 + Math.log(3)) / 2, 10);
    expect(probs[0]).toBeCloseTo(1, 12);
    expect(probs[4]).toBeCloseTo(1 / 3, 12);
  });
});

describe('batch norm (training mode)', () => {
  for (const [name, s] of [
    ['conv input [3, 2, 4x5]', { batch: 3, channels: 2, spatial: 20, epsilon: 1e-5, momentum: 0.1 }],
    ['dense input [5, 4]', { batch: 5, channels: 4, spatial: 1, epsilon: 1e-5, momentum: 0.1 }],
  ] as [string, BatchNormShape][]) {
    it(name, () => {
      const rng = new Rng(13);
      const n = s.batch * s.channels * s.spatial;
      const inp = randn(n, rng, 2);
      const gamma = randn(s.channels, rng);
      const beta = randn(s.channels, rng);
      const R = randn(n, rng);
      const out = new Float64Array(n);
      const mean = new Float64Array(s.channels);
      const invStd = new Float64Array(s.channels);
      const loss = () => {
        // fresh running buffers: they are side outputs, not part of the loss
        const rm = new Float64Array(s.channels);
        const rv = new Float64Array(s.channels).fill(1);
        batchNormForwardTrain(s, inp, gamma, beta, out, mean, invStd, rm, rv);
        return dot(out, R);
      };
      loss();
      const dinp = new Float64Array(n);
      const dgamma = new Float64Array(s.channels);
      const dbeta = new Float64Array(s.channels);
      batchNormBackwardTrain(s, inp, gamma, mean, invStd, R, dinp, dgamma, dbeta);
      expect(maxGradError(inp, dinp, loss, 1e-5)).toBeLessThan(1e-5);
      expect(maxGradError(gamma, dgamma, loss)).toBeLessThan(TOL);
      expect(maxGradError(beta, dbeta, loss)).toBeLessThan(TOL);
    });
  }
});
