/**
 * A KernelSet against the readable reference ops on many random shapes (strides 1..3, padding, non-square, odd
 * sizes, batch 1..5, channel counts that are not multiples of 4). No test framework: each check throws on a
 * mismatch, so that wasm-kernels.test.ts runs them in vitest and relaxed-simd-child.ts runs them in a child Node
 * started with --experimental-wasm-relaxed-simd (see relaxed-simd.test.ts). Dense, pooling, ReLU and batch norm
 * are checked here; convolutions in conv-checks.ts, the fused conv + ReLU + max pool ops in conv-pool-checks.ts;
 * ALL_KERNEL_CHECKS below collects them all.
 */
import type {
  BatchNormShape,
  DenseShape,
  KernelSet,
  Pool2dShape,
} from '../../../native-workers/cnn/kernel-set';
import {
  batchNormBackwardTrain,
  batchNormForwardEval,
  batchNormForwardTrain,
} from '../../../native-workers/cnn/ops/batch-norm';
import { referenceKernels as ref } from '../../../native-workers/cnn/reference-kernels';
import { checkConvReluMaxPoolBackwardParams } from './conv-pool-backward-checks';
import { checkConvReluMaxPoolShapes, checkConvReluMaxPoolTrain } from './conv-pool-checks';
import {
  checkConv,
  checkConv1x1,
  checkConvDeepSmallMaps,
  checkConvManyTapsRandomShapes,
  checkConvRandomShapes,
  checkConvReferenceCnnShapes,
  checkConvReluShapes,
  checkConvStride1RandomShapes,
  checkConvStride2Stem,
  sameConv3x3,
} from './conv-checks';
import { expectClose, expectSame, lcg, randArray } from './kernel-check-support';

export function checkDenseRandomShapes(k: KernelSet): void {
  const rand = lcg(42);
  const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  for (let t = 0; t < 200; t++) {
    const s: DenseShape = { batch: ri(1, 9), inFeatures: ri(1, 300), outFeatures: ri(1, 40) };
    if (t === 0) Object.assign(s, { batch: 64, inFeatures: 1568, outFeatures: 128 });
    // a worker's half of the reference batch, and a dW wider than one column block of gemm_rows_tall8
    // (gemm-tall8-impl.h: 256 columns, then 2 vectors, 1 vector and 3 scalar columns; 13 rows = tiles of 5, 4, 4)
    if (t === 1) Object.assign(s, { batch: 32, inFeatures: 1568, outFeatures: 128 });
    if (t === 3) Object.assign(s, { batch: 7, inFeatures: 291, outFeatures: 13 });
    // batches and widths where the forward is a GEMM over the batch (dense-impl.h): every tile size and tail
    if (t % 4 === 2) Object.assign(s, { batch: ri(14, 70), outFeatures: ri(12, 70) });
    const bias = t % 3 !== 0;
    const withDinp = t % 4 !== 1;
    const inp = randArray(rand, s.batch * s.inFeatures);
    const w = randArray(rand, s.outFeatures * s.inFeatures);
    const b = bias ? randArray(rand, s.outFeatures) : null;
    const outR = new Float32Array(s.batch * s.outFeatures);
    const outF = randArray(rand, s.batch * s.outFeatures);
    ref.denseForward(s, inp, w, b, outR);
    k.denseForward(s, inp, w, b, outF);
    const tag = JSON.stringify(s);
    expectClose(outF, outR, `denseForward ${tag}`);
    const dout = randArray(rand, s.batch * s.outFeatures);
    const dinp0 = randArray(rand, inp.length);
    const dw0 = randArray(rand, w.length);
    const db0 = randArray(rand, s.outFeatures);
    const [dinpR, dwR, dbR] = [dinp0.slice(), dw0.slice(), db0.slice()];
    const [dinpF, dwF, dbF] = [dinp0.slice(), dw0.slice(), db0.slice()];
    ref.denseBackward(s, inp, w, dout, withDinp ? dinpR : null, dwR, bias ? dbR : null);
    k.denseBackward(s, inp, w, dout, withDinp ? dinpF : null, dwF, bias ? dbF : null);
    expectClose(dinpF, dinpR, `denseBackward dinp ${tag}`);
    expectClose(dwF, dwR, `denseBackward dweight ${tag}`);
    expectClose(dbF, dbR, `denseBackward dbias ${tag}`);
  }
}

export function checkMaxPoolRandomShapes(k: KernelSet): void {
  const rand = lcg(5);
  const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  for (let t = 0; t < 100; t++) {
    const poolHeight = ri(1, 3);
    const poolWidth = ri(1, 3);
    const strideH = t % 2 ? poolHeight : ri(1, 3);
    const strideW = t % 2 ? poolWidth : ri(1, 3);
    const inHeight = ri(poolHeight, 15);
    const inWidth = ri(poolWidth, 13);
    const s: Pool2dShape = {
      batch: ri(1, 5),
      channels: ri(1, 7),
      inHeight,
      inWidth,
      poolHeight,
      poolWidth,
      strideH,
      strideW,
      outHeight: Math.floor((inHeight - poolHeight) / strideH) + 1,
      outWidth: Math.floor((inWidth - poolWidth) / strideW) + 1,
    };
    if (t % 5 === 0)
      Object.assign(s, {
        poolHeight: 2,
        poolWidth: 2,
        strideH: 2,
        strideW: 2,
        outHeight: inHeight >> 1,
        outWidth: inWidth >> 1,
      });
    if (s.outHeight < 1 || s.outWidth < 1) continue;
    const nIn = s.batch * s.channels * s.inHeight * s.inWidth;
    const nOut = s.batch * s.channels * s.outHeight * s.outWidth;
    const inp = randArray(rand, nIn);
    if (t % 3 === 0) for (let i = 0; i < nIn; i++) inp[i] = Math.round(inp[i] * 2); // many ties
    if (t % 7 === 0) for (let i = 0; i < nIn; i += 3) inp[i] = i % 2 ? NaN : -Infinity; // NaN / −∞ windows
    const outR = new Float32Array(nOut);
    const outF = new Float32Array(nOut);
    const amR = new Int32Array(nOut);
    const amF = new Int32Array(nOut);
    ref.maxPool2dForward(s, inp, outR, amR);
    k.maxPool2dForward(s, inp, outF, amF);
    const tag = JSON.stringify(s);
    expectSame(amF, amR, `maxPool2dForward argmax ${tag}`);
    expectSame(outF, outR, `maxPool2dForward ${tag}`); // NaN equals NaN
    const dout = randArray(rand, nOut);
    const dinpR = randArray(rand, nIn);
    const dinpF = dinpR.slice();
    ref.maxPool2dBackward(s, dout, amR, dinpR);
    k.maxPool2dBackward(s, dout, amF, dinpF);
    expectClose(dinpF, dinpR, `maxPool2dBackward ${tag}`, 1e-6);
  }
}

/**
 * maxPool2dReluBackward against its definition in the reference ops: maxPool2dBackward into a zeroed buffer, then
 * reluBackward from the relu's output (the pool's input), on relu'd inputs (zeros, ties) over random pools,
 * overlapping windows included. Into a zeroed dinp bit for bit; into a nonzero one up to summation order.
 */
export function checkMaxPoolReluBackward(k: KernelSet): void {
  if (!k.maxPool2dReluBackward) throw new Error('this KernelSet has no maxPool2dReluBackward');
  const rand = lcg(8);
  const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  for (let t = 0; t < 60; t++) {
    const poolHeight = t % 2 ? 2 : ri(1, 3);
    const poolWidth = t % 2 ? 2 : ri(1, 3);
    const strideH = t % 2 ? 2 : ri(1, 3);
    const strideW = t % 2 ? 2 : ri(1, 3);
    const inHeight = ri(poolHeight, 14);
    const inWidth = ri(poolWidth, 15);
    const s: Pool2dShape = {
      batch: ri(1, 4),
      channels: ri(1, 6),
      inHeight,
      inWidth,
      poolHeight,
      poolWidth,
      strideH,
      strideW,
      outHeight: Math.floor((inHeight - poolHeight) / strideH) + 1,
      outWidth: Math.floor((inWidth - poolWidth) / strideW) + 1,
    };
    const nIn = s.batch * s.channels * s.inHeight * s.inWidth;
    const nOut = s.batch * s.channels * s.outHeight * s.outWidth;
    const pre = randArray(rand, nIn);
    if (t % 3 === 0) for (let i = 0; i < nIn; i++) pre[i] = Math.round(pre[i] * 2); // ties, whole zero windows
    const reluOut = new Float32Array(nIn);
    ref.reluForward(pre, reluOut);
    const out = new Float32Array(nOut);
    const argmax = new Int32Array(nOut);
    ref.maxPool2dForward(s, reluOut, out, argmax);
    const dout = randArray(rand, nOut);
    const tag = JSON.stringify(s);
    for (const zeroed of [true, false]) {
      const dinpR = zeroed ? new Float32Array(nIn + 3) : randArray(rand, nIn + 3); // + 3: a tail to leave alone
      const dinpF = dinpR.slice();
      const routed = new Float32Array(nIn);
      ref.maxPool2dBackward(s, dout, argmax, routed);
      ref.reluBackward(reluOut, routed, dinpR.subarray(0, nIn));
      k.maxPool2dReluBackward(s, dout, argmax, out, dinpF);
      if (zeroed) expectSame(dinpF, dinpR, `maxPool2dReluBackward, zeroed dinp ${tag}`);
      else expectClose(dinpF, dinpR, `maxPool2dReluBackward ${tag}`, 1e-6);
      expectSame(dinpF.subarray(nIn), dinpR.subarray(nIn), `maxPool2dReluBackward tail ${tag}`);
    }
  }
}

export function checkRelu(k: KernelSet): void {
  const rand = lcg(3);
  for (const n of [1, 3, 4, 7, 64, 1001]) {
    const inp = randArray(rand, n);
    const outR = new Float32Array(n);
    const outF = new Float32Array(n);
    ref.reluForward(inp, outR);
    k.reluForward(inp, outF);
    expectSame(outF, outR, `reluForward n=${n}`);
    const inPlace = inp.slice();
    k.reluForward(inPlace, inPlace);
    expectSame(inPlace, outR, `reluForward in place n=${n}`);
    const dout = randArray(rand, n);
    const dR = randArray(rand, n);
    const dF = dR.slice();
    ref.reluBackward(outR, dout, dR);
    k.reluBackward(outF, dout, dF);
    expectSame(dF, dR, `reluBackward n=${n}`);
  }
}

/**
 * The batch-norm ops (training forward with the running-statistics update, eval forward, training backward with and
 * without dinp, each also fused with a following relu) against ./ops/batch-norm.ts and ./ops/relu.ts. Buffers are longer than the shape (a model's are
 * sized for its largest batch): only the head may change. Some inputs sit far from 0 (mean ≫ standard deviation).
 */
export function checkBatchNorm(k: KernelSet, s: BatchNormShape, rand: () => number, offset: number): void {
  const tag = JSON.stringify({ ...s, offset });
  const n = s.batch * s.channels * s.spatial;
  const C = s.channels;
  const extra = 5;
  const inp = randArray(rand, n + extra);
  for (let i = 0; i < n; i++) inp[i] += offset * (1 + (Math.floor(i / s.spatial) % C));
  const gamma = randArray(rand, C);
  const beta = randArray(rand, C);
  const positive = (m: number) => Float32Array.from(randArray(rand, m), (v) => 0.1 + Math.abs(v) * 2);

  // training forward: out, the saved statistics and the running statistics
  const rm0 = randArray(rand, C);
  const rv0 = positive(C);
  const outR = randArray(rand, n + extra);
  const outF = outR.slice();
  const [meanR, invStdR, meanF, invStdF] = [0, 0, 0, 0].map(() => new Float32Array(C));
  const [rmR, rvR, rmF, rvF] = [rm0.slice(), rv0.slice(), rm0.slice(), rv0.slice()];
  batchNormForwardTrain(s, inp, gamma, beta, outR, meanR, invStdR, rmR, rvR);
  k.batchNormForwardTrain!(s, inp, gamma, beta, outF, meanF, invStdF, rmF, rvF);
  expectClose(outF, outR, `batchNormForwardTrain out ${tag}`);
  expectSame(outF.subarray(n), outR.subarray(n), `batchNormForwardTrain tail ${tag}`);
  expectClose(meanF, meanR, `batchNormForwardTrain mean ${tag}`, 1e-6);
  expectClose(invStdF, invStdR, `batchNormForwardTrain invStd ${tag}`);
  expectClose(rmF, rmR, `batchNormForwardTrain runningMean ${tag}`, 1e-6);
  expectClose(rvF, rvR, `batchNormForwardTrain runningVar ${tag}`);

  // fused with a relu: the same statistics, out = max(0, ·)
  const trainReluF = randArray(rand, n + extra);
  const trainReluTail = trainReluF.slice(n);
  const [meanRelu, invStdRelu, rmRelu, rvRelu] = [
    new Float32Array(C),
    new Float32Array(C),
    rm0.slice(),
    rv0.slice(),
  ];
  k.batchNormReluForwardTrain!(s, inp, gamma, beta, trainReluF, meanRelu, invStdRelu, rmRelu, rvRelu);
  const reluOut = outR.subarray(0, n).slice();
  ref.reluForward(reluOut, reluOut);
  expectClose(trainReluF.subarray(0, n), reluOut, `batchNormReluForwardTrain out ${tag}`);
  expectSame(trainReluF.subarray(n), trainReluTail, `batchNormReluForwardTrain tail ${tag}`);
  expectSame(meanRelu, meanF, `batchNormReluForwardTrain mean ${tag}`);
  expectSame(invStdRelu, invStdF, `batchNormReluForwardTrain invStd ${tag}`);
  expectSame(rmRelu, rmF, `batchNormReluForwardTrain runningMean ${tag}`);
  expectSame(rvRelu, rvF, `batchNormReluForwardTrain runningVar ${tag}`);

  // eval forward on the running statistics, and fused with a relu
  const evalR = randArray(rand, n + extra);
  const evalF = evalR.slice();
  batchNormForwardEval(s, inp, gamma, beta, evalR, rm0, rv0);
  k.batchNormForwardEval!(s, inp, gamma, beta, evalF, rm0, rv0);
  expectClose(evalF, evalR, `batchNormForwardEval ${tag}`);
  expectSame(evalF.subarray(n), evalR.subarray(n), `batchNormForwardEval tail ${tag}`);
  const reluF = randArray(rand, n + extra);
  const tail = reluF.slice(n);
  k.batchNormReluForwardEval!(s, inp, gamma, beta, reluF, rm0, rv0);
  const reluR = evalR.subarray(0, n).slice();
  ref.reluForward(reluR, reluR);
  expectClose(reluF.subarray(0, n), reluR, `batchNormReluForwardEval ${tag}`);
  expectSame(reluF.subarray(n), tail, `batchNormReluForwardEval tail ${tag}`);
  for (let i = 0; i < n; i++) if (!(reluF[i] >= 0)) throw new Error(`negative or NaN output at ${i} ${tag}`);

  // training backward from the reference's saved statistics; the gradient buffers start non-zero (accumulate)
  const dout = randArray(rand, n + extra);
  const dinp0 = randArray(rand, n + extra);
  const dgamma0 = randArray(rand, C);
  const dbeta0 = randArray(rand, C);
  for (const withDinp of [true, false]) {
    const [dinpR, dgR, dbR] = [dinp0.slice(), dgamma0.slice(), dbeta0.slice()];
    const [dinpF, dgF, dbF] = [dinp0.slice(), dgamma0.slice(), dbeta0.slice()];
    batchNormBackwardTrain(s, inp, gamma, meanR, invStdR, dout, withDinp ? dinpR : null, dgR, dbR);
    k.batchNormBackwardTrain!(s, inp, gamma, meanR, invStdR, dout, withDinp ? dinpF : null, dgF, dbF);
    const t = `${tag} dinp ${withDinp}`;
    expectClose(dinpF, dinpR, `batchNormBackwardTrain dinp ${t}`);
    expectSame(dinpF.subarray(n), dinp0.subarray(n), `batchNormBackwardTrain dinp tail ${t}`);
    expectClose(dgF, dgR, `batchNormBackwardTrain dgamma ${t}`);
    expectClose(dbF, dbR, `batchNormBackwardTrain dbeta ${t}`);

    // through a relu: dout is the relu's output gradient, passed on where reluOut > 0 (about half the values)
    const masked = new Float32Array(n);
    ref.reluBackward(reluOut, dout.subarray(0, n), masked);
    const [dinpRR, dgRR, dbRR] = [dinp0.slice(), dgamma0.slice(), dbeta0.slice()];
    const [dinpRF, dgRF, dbRF] = [dinp0.slice(), dgamma0.slice(), dbeta0.slice()];
    batchNormBackwardTrain(s, inp, gamma, meanR, invStdR, masked, withDinp ? dinpRR : null, dgRR, dbRR);
    const reluOutLong = new Float32Array(n + extra).fill(1); // the tail must not count
    reluOutLong.set(reluOut);
    k.batchNormReluBackwardTrain!(
      s,
      inp,
      gamma,
      meanR,
      invStdR,
      reluOutLong,
      dout,
      withDinp ? dinpRF : null,
      dgRF,
      dbRF,
    );
    expectClose(dinpRF, dinpRR, `batchNormReluBackwardTrain dinp ${t}`);
    expectSame(dinpRF.subarray(n), dinp0.subarray(n), `batchNormReluBackwardTrain dinp tail ${t}`);
    expectClose(dgRF, dgRR, `batchNormReluBackwardTrain dgamma ${t}`);
    expectClose(dbRF, dbRR, `batchNormReluBackwardTrain dbeta ${t}`);
  }
}

/** Batch norm on random conv shapes, after a dense layer (spatial 1), at batch 1, and at a photo-sized plane. */
export function checkBatchNormShapes(k: KernelSet): void {
  if (!k.batchNormForwardTrain) throw new Error('this KernelSet has no batch-norm ops');
  const rand = lcg(77);
  const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const bn = (batch: number, channels: number, spatial: number): BatchNormShape => ({
    batch,
    channels,
    spatial,
    epsilon: [1e-5, 1e-3][ri(0, 1)],
    momentum: [0.1, 0.01, 1][ri(0, 2)],
  });
  for (let t = 0; t < 150; t++) {
    const s =
      t % 5 === 0
        ? bn(ri(1, 9), ri(1, 40), 1) // after a dense layer
        : bn(t % 7 === 0 ? 1 : ri(1, 5), ri(1, 9), ri(1, 17) * ri(1, 19));
    checkBatchNorm(k, s, rand, t % 3 === 0 ? 0 : t % 3 === 1 ? 1 : 300);
  }
  checkBatchNorm(k, bn(1, 3, 1), rand, 0); // one value per channel: variance 0, unbiased = biased
  checkBatchNorm(k, bn(4, 3, 96 * 96), rand, 2);
}

/** Inputs larger than the initial wasm memory (memory.grow re-creates the views). */
export function checkMemoryGrowth(k: KernelSet): void {
  const rand = lcg(11);
  const s = sameConv3x3(5, 24, 64, 64, 16);
  checkConv(k, s, rand, true, true);
}

/** Every check above, by name (what the child process of relaxed-simd.test.ts runs). */
export const ALL_KERNEL_CHECKS: Record<string, (k: KernelSet) => void> = {
  checkConvManyTapsRandomShapes,
  checkConvRandomShapes,
  checkConvReferenceCnnShapes,
  checkConvStride1RandomShapes,
  checkConvReluShapes,
  checkConvDeepSmallMaps,
  checkConvStride2Stem,
  checkConvReluMaxPoolShapes,
  checkConvReluMaxPoolTrain,
  checkMaxPoolReluBackward,
  checkConvReluMaxPoolBackwardParams,
  checkConv1x1,
  checkDenseRandomShapes,
  checkMaxPoolRandomShapes,
  checkRelu,
  checkBatchNormShapes,
  checkMemoryGrowth,
};
