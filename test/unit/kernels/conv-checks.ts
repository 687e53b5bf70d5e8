/**
 * Convolution checks (conv2dForward, conv2dReluForward, conv2dBackward) against the reference ops on random and
 * preset shapes; part of kernel-checks.ts's ALL_KERNEL_CHECKS.
 */
import type { Conv2dShape, KernelSet } from '../../../native-workers/cnn/kernel-set';
import { referenceKernels as ref } from '../../../native-workers/cnn/reference-kernels';
import { expectClose, expectSame, lcg, randArray } from './kernel-check-support';

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
export const refCnnConvShapes = (): Conv2dShape[] => [
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
