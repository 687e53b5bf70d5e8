/**
 * A KernelSet against the readable reference ops on many random shapes (strides 1..3, padding, non-square, odd
 * sizes, batch 1..5, channel counts that are not multiples of 4). No test framework: each check throws on a
 * mismatch, so that wasm-kernels.test.ts runs them in vitest and relaxed-simd-child.ts runs them in a child Node
 * started with --experimental-wasm-relaxed-simd (see relaxed-simd.test.ts).
 */
import type {
  BatchNormShape,
  Conv2dShape,
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

/** Small deterministic generator so failures reproduce. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function randArray(rand: () => number, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rand() * 2 - 1;
  return a;
}

/** Element-wise identical (Object.is: NaN equals NaN, 0 and −0 differ). */
export function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`${what}: ${actual[i]} at ${i}, expected ${expected[i]}`);
    }
  }
}

/** The relative tolerance of every float comparison (fused multiply-adds round differently, well within it). */
export const RTOL = 1e-4;

export function expectClose(actual: Float32Array, expected: Float32Array, what: string, rtol = RTOL): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  }
  // Relative to the tensor's scale: the reference sums in float64, so a float32 sum of many terms that cancels can
  // differ by more than 1e-4 of its own (small) value while being exact to 1e-6 of the terms' scale.
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / scale;
    if (!(err <= worst)) {
      worst = err;
      worstAt = i;
    }
  }
  if (!(worst <= rtol)) {
    throw new Error(
      `${what}: relative error ${worst} at ${worstAt} (${actual[worstAt]} vs ${expected[worstAt]})`,
    );
  }
}

export function randomConvShape(rand: () => number): Conv2dShape {
  const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const kernelHeight = ri(1, 5);
  const kernelWidth = ri(1, 5);
  const strideH = ri(1, 3);
  const strideW = ri(1, 3);
  const padTop = ri(0, kernelHeight - 1);
  const padLeft = ri(0, kernelWidth - 1);
  const padBottom = ri(0, kernelHeight - 1);
  const padRight = ri(0, kernelWidth - 1);
  const inHeight = ri(Math.max(1, kernelHeight - padTop - padBottom), 17);
  const inWidth = ri(Math.max(1, kernelWidth - padLeft - padRight), 19);
  return {
    batch: ri(1, 5),
    inChannels: ri(1, 7),
    inHeight,
    inWidth,
    outChannels: ri(1, 21),
    kernelHeight,
    kernelWidth,
    strideH,
    strideW,
    padTop,
    padLeft,
    outHeight: Math.floor((inHeight + padTop + padBottom - kernelHeight) / strideH) + 1,
    outWidth: Math.floor((inWidth + padLeft + padRight - kernelWidth) / strideW) + 1,
  };
}

export function checkConv(
  k: KernelSet,
  s: Conv2dShape,
  rand: () => number,
  withBias: boolean,
  withDinp: boolean,
): void {
  const nIn = s.batch * s.inChannels * s.inHeight * s.inWidth;
  const nW = s.outChannels * s.inChannels * s.kernelHeight * s.kernelWidth;
  const nOut = s.batch * s.outChannels * s.outHeight * s.outWidth;
  const inp = randArray(rand, nIn);
  const w = randArray(rand, nW);
  const b = withBias ? randArray(rand, s.outChannels) : null;
  const outRef = new Float32Array(nOut);
  const out = randArray(rand, nOut); // garbage: forward must overwrite
  ref.conv2dForward(s, inp, w, b, outRef);
  k.conv2dForward(s, inp, w, b, out);
  const tag = JSON.stringify(s);
  expectClose(out, outRef, `conv2dForward ${tag}`);

  const dout = randArray(rand, nOut);
  // gradient buffers start non-zero: backward must accumulate
  const dinp0 = randArray(rand, nIn);
  const dw0 = randArray(rand, nW);
  const db0 = randArray(rand, s.outChannels);
  const [dinpR, dwR, dbR] = [dinp0.slice(), dw0.slice(), db0.slice()];
  const [dinpF, dwF, dbF] = [dinp0.slice(), dw0.slice(), db0.slice()];
  ref.conv2dBackward(s, inp, w, dout, withDinp ? dinpR : null, dwR, withBias ? dbR : null);
  k.conv2dBackward(s, inp, w, dout, withDinp ? dinpF : null, dwF, withBias ? dbF : null);
  expectClose(dinpF, dinpR, `conv2dBackward dinp ${tag}`);
  expectClose(dwF, dwR, `conv2dBackward dweight ${tag}`);
  expectClose(dbF, dbR, `conv2dBackward dbias ${tag}`);
}

/** The fused op against the reference conv then relu; out is larger than the shape (only the head is written). */
export function checkConvRelu(k: KernelSet, s: Conv2dShape, rand: () => number, withBias: boolean): void {
  const nIn = s.batch * s.inChannels * s.inHeight * s.inWidth;
  const nW = s.outChannels * s.inChannels * s.kernelHeight * s.kernelWidth;
  const nOut = s.batch * s.outChannels * s.outHeight * s.outWidth;
  const inp = randArray(rand, nIn);
  const w = randArray(rand, nW);
  const b = withBias ? randArray(rand, s.outChannels) : null;
  const outRef = new Float32Array(nOut);
  ref.conv2dForward(s, inp, w, b, outRef);
  ref.reluForward(outRef, outRef);
  const out = randArray(rand, nOut + 7); // garbage: forward must overwrite the head, keep the tail
  const tail = out.slice(nOut);
  k.conv2dReluForward!(s, inp, w, b, out);
  const tag = JSON.stringify(s);
  expectClose(out.subarray(0, nOut), outRef, `conv2dReluForward ${tag}`);
  expectSame(out.subarray(nOut), tail, `conv2dReluForward tail ${tag}`);
  for (let i = 0; i < nOut; i++) if (!(out[i] >= 0)) throw new Error(`negative or NaN output at ${i}`);
}

/** A 3×3 stride-1 "same" convolution (padding 1) of a batch of inC×h×w images into outC channels. */
export function sameConv3x3(batch: number, inC: number, h: number, w: number, outC: number): Conv2dShape {
  return {
    batch,
    inChannels: inC,
    inHeight: h,
    inWidth: w,
    outChannels: outC,
    kernelHeight: 3,
    kernelWidth: 3,
    strideH: 1,
    strideW: 1,
    padTop: 1,
    padLeft: 1,
    outHeight: h,
    outWidth: w,
  };
}

/** The reference CNN's two convolutions at batch 64. */
const refCnnConvShapes = (): Conv2dShape[] => [
  sameConv3x3(64, 1, 28, 28, 16),
  sameConv3x3(64, 16, 14, 14, 32),
];

export function checkConvRandomShapes(k: KernelSet): void {
  const rand = lcg(1234);
  for (let t = 0; t < 300; t++) checkConv(k, randomConvShape(rand), rand, t % 3 !== 0, t % 4 !== 1);
}

export function checkConvReferenceCnnShapes(k: KernelSet): void {
  const rand = lcg(7);
  const [conv1, conv2] = refCnnConvShapes();
  checkConv(k, conv1, rand, true, false);
  checkConv(k, conv2, rand, true, true);
}

export function checkConvStride1RandomShapes(k: KernelSet): void {
  const rand = lcg(4321);
  for (let t = 0; t < 300; t++) {
    const s = { ...randomConvShape(rand), strideH: 1, strideW: 1 };
    // recompute the output size for stride 1 with random bottom/right padding (possibly negative: rows unused)
    const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    s.outHeight = Math.max(1, s.inHeight + s.padTop + ri(-2, s.kernelHeight - 1) - s.kernelHeight + 1);
    s.outWidth = Math.max(1, s.inWidth + s.padLeft + ri(-2, s.kernelWidth - 1) - s.kernelWidth + 1);
    checkConv(k, s, rand, t % 3 !== 0, t % 4 !== 1);
    checkConvRelu(k, s, rand, t % 3 !== 0);
  }
}

/**
 * Random kernels, strides, paddings and crops over 6..16 input channels (so that most shapes have 64+ taps) into
 * whole 4-lane vectors of output channels, odd and even counts of them, batches 1..5: the wasm pixel-major conv
 * forward (conv-forward-wasm-impl.h), with its last group of 1..3 pixels; plain and fused with relu.
 */
export function checkConvManyTapsRandomShapes(k: KernelSet): void {
  const rand = lcg(8642);
  for (let t = 0; t < 120; t++) {
    const s = randomConvShape(rand);
    s.inChannels = 6 + (t % 11);
    s.outChannels = 4 * (1 + (t % 5));
    if (t % 2 === 0) {
      // stride 1 with a random bottom/right crop (possibly unused input rows), as in checkConvStride1RandomShapes
      const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
      Object.assign(s, { strideH: 1, strideW: 1 });
      s.outHeight = Math.max(1, s.inHeight + s.padTop + ri(-2, s.kernelHeight - 1) - s.kernelHeight + 1);
      s.outWidth = Math.max(1, s.inWidth + s.padLeft + ri(-2, s.kernelWidth - 1) - s.kernelWidth + 1);
    }
    checkConv(k, s, rand, t % 3 !== 0, t % 4 !== 1);
    checkConvRelu(k, s, rand, t % 3 !== 1);
  }
}

/**
 * Whole batches of deep inputs on small maps (3×3 .. 9×9): the batch-interleaved path (chunks of as many images
 * as vector lanes: 4, 8 or 16) and its tail images, the batched-im2col backward (batches below a chunk, channel
 * counts that are not whole vectors), batch 1; random kernels, paddings and bottom/right crops.
 */
export function checkConvDeepSmallMaps(k: KernelSet): void {
  const rand = lcg(2468);
  const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const batches = [1, 3, 4, 9, 16, 17, 20];
  for (let t = 0; t < 14; t++) {
    const square = t % 2 === 0;
    const kernelHeight = square ? 3 : ri(1, 5);
    const kernelWidth = square ? 3 : ri(1, 5);
    const inHeight = ri(1, 9);
    const inWidth = square ? inHeight : ri(1, 9);
    const padTop = square ? 1 : ri(0, kernelHeight - 1);
    const padLeft = square ? 1 : ri(0, kernelWidth - 1);
    const s: Conv2dShape = {
      batch: batches[t % batches.length],
      inChannels: ri(16, 40),
      inHeight,
      inWidth,
      outChannels: [16, 32, 20, 8, 48][t % 5],
      kernelHeight,
      kernelWidth,
      strideH: 1,
      strideW: 1,
      padTop,
      padLeft,
      outHeight: square
        ? inHeight
        : Math.max(1, inHeight + padTop + ri(-1, kernelHeight - 1) - kernelHeight + 1),
      outWidth: square ? inWidth : Math.max(1, inWidth + padLeft + ri(-1, kernelWidth - 1) - kernelWidth + 1),
    };
    checkConv(k, s, rand, t % 3 !== 0, t % 4 !== 1);
    checkConvRelu(k, s, rand, t % 3 !== 1);
  }
  // whole chunks on a wider map: interleaved dW, shifted-planes dx
  checkConv(k, sameConv3x3(17, 16, 20, 20, 32), rand, true, true);
}

/** The photo presets' stem: 3×3 stride 2 over 3 channels, 'same' padding (asymmetric for even sizes: the extra
 * row and column at the bottom and right), with and without dx. */
export function checkConvStride2Stem(k: KernelSet): void {
  const rand = lcg(1357);
  const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  for (let t = 0; t < 10; t++) {
    const inHeight = ri(4, 30);
    const inWidth = t % 3 === 0 ? inHeight : ri(4, 30);
    const outHeight = Math.ceil(inHeight / 2);
    const outWidth = Math.ceil(inWidth / 2);
    const s: Conv2dShape = {
      batch: [1, 2, 5, 16, 18][t % 5],
      inChannels: 3,
      inHeight,
      inWidth,
      outChannels: ri(1, 40),
      kernelHeight: 3,
      kernelWidth: 3,
      strideH: 2,
      strideW: 2,
      padTop: Math.floor(Math.max((outHeight - 1) * 2 + 3 - inHeight, 0) / 2),
      padLeft: Math.floor(Math.max((outWidth - 1) * 2 + 3 - inWidth, 0) / 2),
      outHeight,
      outWidth,
    };
    checkConv(k, s, rand, t % 2 === 0, t % 3 !== 0);
    checkConvRelu(k, s, rand, true);
  }
}

export function checkConvReluShapes(k: KernelSet): void {
  const rand = lcg(99);
  for (let t = 0; t < 300; t++) checkConvRelu(k, randomConvShape(rand), rand, t % 3 !== 0);
  for (const s of refCnnConvShapes()) checkConvRelu(k, s, rand, true);
}

export function checkConv1x1(k: KernelSet): void {
  const rand = lcg(99);
  for (const [c, oc, h, w] of [
    [3, 5, 7, 9],
    [8, 16, 4, 4],
    [1, 1, 1, 1],
  ]) {
    const s: Conv2dShape = {
      batch: 3,
      inChannels: c,
      inHeight: h,
      inWidth: w,
      outChannels: oc,
      kernelHeight: 1,
      kernelWidth: 1,
      strideH: 1,
      strideW: 1,
      padTop: 0,
      padLeft: 0,
      outHeight: h,
      outWidth: w,
    };
    checkConv(k, s, rand, true, true);
    checkConv(k, s, rand, false, false);
  }
}

export function checkDenseRandomShapes(k: KernelSet): void {
  const rand = lcg(42);
  const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  for (let t = 0; t < 200; t++) {
    const s: DenseShape = { batch: ri(1, 9), inFeatures: ri(1, 300), outFeatures: ri(1, 40) };
    if (t === 0) Object.assign(s, { batch: 64, inFeatures: 1568, outFeatures: 128 });
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

/**
 * The inference-only conv + relu + max pool against the reference conv, relu and pool, and (to float32 rounding)
 * against the same backend's own conv2dReluForward then maxPool2dForward; out is larger than the shape (only the
 * head is written).
 */
export function checkConvReluMaxPool(
  k: KernelSet,
  s: Conv2dShape,
  p: Pool2dShape,
  rand: () => number,
  withBias: boolean,
): void {
  const nIn = s.batch * s.inChannels * s.inHeight * s.inWidth;
  const nW = s.outChannels * s.inChannels * s.kernelHeight * s.kernelWidth;
  const nConv = s.batch * s.outChannels * s.outHeight * s.outWidth;
  const nOut = p.batch * p.channels * p.outHeight * p.outWidth;
  const inp = randArray(rand, nIn);
  const w = randArray(rand, nW);
  const b = withBias ? randArray(rand, s.outChannels) : null;
  const act = new Float32Array(nConv);
  const outRef = new Float32Array(nOut);
  ref.conv2dForward(s, inp, w, b, act);
  ref.reluForward(act, act);
  ref.maxPool2dForward(p, act, outRef, new Int32Array(nOut));
  const out = randArray(rand, nOut + 5); // garbage: the head must be overwritten, the tail kept
  const tail = out.slice(nOut);
  k.conv2dReluMaxPoolForward!(s, p, inp, w, b, out);
  const tag = `${JSON.stringify(s)} ${JSON.stringify(p)}`;
  expectClose(out.subarray(0, nOut), outRef, `conv2dReluMaxPoolForward ${tag}`);
  expectSame(out.subarray(nOut), tail, `conv2dReluMaxPoolForward tail ${tag}`);
  const unfused = new Float32Array(nConv);
  const pooled = new Float32Array(nOut);
  if (k.conv2dReluForward) k.conv2dReluForward(s, inp, w, b, unfused);
  else {
    k.conv2dForward(s, inp, w, b, unfused);
    k.reluForward(unfused, unfused);
  }
  k.maxPool2dForward(p, unfused, pooled, new Int32Array(nOut));
  expectClose(out.subarray(0, nOut), pooled, `conv2dReluMaxPoolForward vs unfused ${tag}`, 1e-6);
}

/** A random pooling of the conv's output planes (2×2/2 every other time: the vector path). */
function randomPoolOver(s: Conv2dShape, rand: () => number): Pool2dShape | null {
  const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const square = rand() < 0.5;
  const poolHeight = square ? 2 : ri(1, 3);
  const poolWidth = square ? 2 : ri(1, 3);
  const strideH = square ? 2 : ri(1, 3);
  const strideW = square ? 2 : ri(1, 3);
  if (poolHeight > s.outHeight || poolWidth > s.outWidth) return null;
  return {
    batch: s.batch,
    channels: s.outChannels,
    inHeight: s.outHeight,
    inWidth: s.outWidth,
    poolHeight,
    poolWidth,
    strideH,
    strideW,
    outHeight: Math.floor((s.outHeight - poolHeight) / strideH) + 1,
    outWidth: Math.floor((s.outWidth - poolWidth) / strideW) + 1,
  };
}

/** conv2dReluMaxPoolForward (when the backend has it) on 300 random shapes and the reference CNN's. */
export function checkConvReluMaxPoolShapes(k: KernelSet): void {
  if (!k.conv2dReluMaxPoolForward) throw new Error('this KernelSet has no conv2dReluMaxPoolForward');
  const rand = lcg(77);
  for (let t = 0; t < 300; t++) {
    const s = randomConvShape(rand);
    // larger planes now and then, so that 2×2 pools get rows of 4+ outputs
    if (t % 3 === 0)
      Object.assign(s, sameConv3x3(s.batch, s.inChannels, 8 + (t % 11), 9 + (t % 13), s.outChannels));
    // output channels in multiples of 16 and enough pixels per weight (conv-pool-impl.h's pixel-major path on
    // AVX-512)
    if (t % 4 === 1)
      Object.assign(s, sameConv3x3(4 + (t % 3), 1 + (t % 3), 12 + (t % 9), 13 + (t % 7), 16 * (1 + (t % 5))));
    // random kernels, strides and padding into whole 4-lane vectors of output channels, odd and even counts of
    // them (the wasm pixel-major path, conv-pool-wasm-impl.h: 2 vectors × 1 window or 1 vector × 2 windows)
    if (t % 4 === 3) s.outChannels = 4 * (1 + (t % 5));
    const p = randomPoolOver(s, rand);
    if (p) checkConvReluMaxPool(k, s, p, rand, t % 3 !== 0);
  }
  // the photo presets' stem: 3×3, stride 2, over RGB into 32 channels
  const stem = { ...sameConv3x3(3, 3, 21, 18, 32), strideH: 2, strideW: 2, outHeight: 11, outWidth: 9 };
  for (const s of [...refCnnConvShapes(), stem]) {
    const p: Pool2dShape = {
      batch: s.batch,
      channels: s.outChannels,
      inHeight: s.outHeight,
      inWidth: s.outWidth,
      poolHeight: 2,
      poolWidth: 2,
      strideH: 2,
      strideW: 2,
      outHeight: s.outHeight >> 1,
      outWidth: s.outWidth >> 1,
    };
    checkConvReluMaxPool(k, s, p, rand, true);
  }
}

/**
 * conv2dReluMaxPoolTrain against the reference ops (values within tolerance; the switches must point at the pooled
 * value in the reference relu output up to that tolerance) and against the same KernelSet's conv2dReluForward then
 * maxPool2dForward (what a Model trains with when the op is missing): random shapes and pools, and the reference
 * CNN's at batch 64, where the sums run in the same order on both paths, so values and switches agree bit for bit
 * (elsewhere, e.g. strided convs, the paths may round differently, and switches may then differ on near-ties).
 */
export function checkConvReluMaxPoolTrain(k: KernelSet): void {
  if (!k.conv2dReluMaxPoolTrain) throw new Error('this KernelSet has no conv2dReluMaxPoolTrain');
  const rand = lcg(31);
  const one = (s: Conv2dShape, p: Pool2dShape, withBias: boolean, bitwise = false) => {
    const nIn = s.batch * s.inChannels * s.inHeight * s.inWidth;
    const nConv = s.batch * s.outChannels * s.outHeight * s.outWidth;
    const nOut = p.batch * p.channels * p.outHeight * p.outWidth;
    const inp = randArray(rand, nIn);
    const w = randArray(rand, s.outChannels * s.inChannels * s.kernelHeight * s.kernelWidth);
    const b = withBias ? randArray(rand, s.outChannels) : null;
    const act = new Float32Array(nConv);
    const outRef = new Float32Array(nOut);
    ref.conv2dForward(s, inp, w, b, act);
    ref.reluForward(act, act);
    ref.maxPool2dForward(p, act, outRef, new Int32Array(nOut));
    const out = randArray(rand, nOut + 3);
    const tail = out.slice(nOut);
    const argmax = new Int32Array(nOut + 3).fill(-7);
    k.conv2dReluMaxPoolTrain!(s, p, inp, w, b, out, argmax);
    const tag = `${JSON.stringify(s)} ${JSON.stringify(p)}`;
    expectClose(out.subarray(0, nOut), outRef, `conv2dReluMaxPoolTrain ${tag}`);
    expectSame(out.subarray(nOut), tail, `conv2dReluMaxPoolTrain tail ${tag}`);
    expectSame(argmax.subarray(nOut), [-7, -7, -7], `conv2dReluMaxPoolTrain switches tail ${tag}`);
    const picked = Float32Array.from(argmax.subarray(0, nOut), (a) => act[a]);
    expectClose(picked, outRef, `conv2dReluMaxPoolTrain switches point at the maximum ${tag}`);
    const unfused = new Float32Array(nConv);
    const pooled = new Float32Array(nOut);
    const switches = new Int32Array(nOut);
    k.conv2dReluForward!(s, inp, w, b, unfused);
    k.maxPool2dForward(p, unfused, pooled, switches);
    expectClose(out.subarray(0, nOut), pooled, `conv2dReluMaxPoolTrain vs unfused ${tag}`, 1e-6);
    if (!bitwise) return;
    expectSame(out.subarray(0, nOut), pooled, `conv2dReluMaxPoolTrain vs unfused, bit for bit ${tag}`);
    expectSame(argmax.subarray(0, nOut), switches, `conv2dReluMaxPoolTrain switches vs unfused ${tag}`);
  };
  for (let t = 0; t < 150; t++) {
    const s = randomConvShape(rand);
    if (t % 3 === 0)
      Object.assign(s, sameConv3x3(s.batch, s.inChannels, 8 + (t % 11), 9 + (t % 13), s.outChannels));
    // the pixel-major path on AVX-512: output channels in multiples of 16, 2×2/2 pools
    if (t % 4 === 1)
      Object.assign(s, sameConv3x3(4 + (t % 3), 1 + (t % 3), 12 + (t % 9), 13 + (t % 7), 16 * (1 + (t % 5))));
    const p = randomPoolOver(s, rand);
    if (p) one(s, p, t % 3 !== 0);
  }
  for (const s of refCnnConvShapes())
    one(
      s,
      {
        batch: s.batch,
        channels: s.outChannels,
        inHeight: s.outHeight,
        inWidth: s.outWidth,
        poolHeight: 2,
        poolWidth: 2,
        strideH: 2,
        strideW: 2,
        outHeight: s.outHeight >> 1,
        outWidth: s.outWidth >> 1,
      },
      true,
      true,
    );
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
  checkConv1x1,
  checkDenseRandomShapes,
  checkMaxPoolRandomShapes,
  checkRelu,
  checkBatchNormShapes,
  checkMemoryGrowth,
};
