/**
 * The fused conv + ReLU + max pool ops (inference conv2dReluMaxPoolForward, training conv2dReluMaxPoolTrain)
 * against the reference conv, relu and pool; part of kernel-checks.ts's ALL_KERNEL_CHECKS.
 */
import type { Conv2dShape, KernelSet, Pool2dShape } from '../../../native-workers/cnn/kernel-set';
import { referenceKernels as ref } from '../../../native-workers/cnn/reference-kernels';
import { expectClose, expectSame, lcg, randArray } from './kernel-check-support';
import { randomConvShape, refCnnConvShapes, sameConv3x3 } from './conv-checks';

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
/** The 2×2, stride 2 max pool over a conv's output (the reference CNN's and the presets' pools). */
export function pool2x2Over(s: Conv2dShape): Pool2dShape {
  return {
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
}

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
    checkConvReluMaxPool(k, s, pool2x2Over(s), rand, true);
  }
  // few taps over rows of 20+ pixels (conv-pool-rows-impl.h on AVX-512, without switches)
  for (let t = 0; t < 8; t++) {
    const s = sameConv3x3(
      1 + (t % 3),
      1 + (t % 3),
      2 * (2 + (t % 5)),
      [20, 28, 40, 70][t % 4],
      1 + ((7 * t) % 19),
    );
    checkConvReluMaxPool(k, s, pool2x2Over(s), rand, t % 3 !== 0);
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
  for (const s of refCnnConvShapes()) one(s, pool2x2Over(s), true, true);
  // few taps over rows of 20+ pixels (conv-pool-rows-impl.h on AVX-512): 1–4 filters per pass, rows of 1–3 tiles of
  // 32, kernels 1×1 to 5×5 with padding; same-padded 3×3 ones bit for bit like the unfused ops
  for (let t = 0; t < 24; t++) {
    const width = [20, 28, 40, 64, 70, 96][t % 6];
    const s = sameConv3x3(1 + (t % 3), 1 + (t % 3), 2 * (2 + (t % 5)), width, 1 + ((5 * t) % 19));
    if (t % 4 === 3) {
      Object.assign(s, { kernelHeight: 1 + (t % 5), kernelWidth: 5 - (t % 5), padTop: t % 2, padLeft: 0 });
      s.inHeight = s.outHeight + s.kernelHeight - 1 - s.padTop;
      s.inWidth = s.outWidth + s.kernelWidth - 1;
    }
    one(s, pool2x2Over(s), t % 5 !== 0, t % 4 !== 3);
  }
}
