/**
 * conv2dReluForwardWt (the inference conv + ReLU [+ max pool] given the weights also transposed, conv-wt-impl.h)
 * against the reference conv, relu and pool, on every instruction set of the native addon. Its AVX-512 paths:
 * the pixel-major pool at any batch (batch 1 with deep inputs included) and, without a pool, blocks of up to 12
 * pixels × 32 channels whose last block of a row or column overlaps the one before; the other instruction sets
 * fall back to the ops that take the weights as they are.
 */
import { describe, it } from 'vitest';
import type { Conv2dShape, KernelSet, Pool2dShape } from '../../../native-workers/cnn/kernel-set';
import { transposeConvWeight } from '../../../native-workers/cnn/inference-plan';
import { referenceKernels as ref } from '../../../native-workers/cnn/reference-kernels';
import { createNativeKernelSet, loadNativeAddon } from '../../../native-workers/kernels/native-kernels';
import { sameConv3x3 } from './conv-checks';
import { expectClose, expectSame, lcg, randArray } from './kernel-check-support';

const addon = loadNativeAddon();
const isas = addon?.isas() ?? [];

/** A size×size pool with stride 2 over the conv's output (2: the pixel-major path; 3: the fallback). */
function poolOver(s: Conv2dShape, size: number): Pool2dShape {
  return {
    batch: s.batch,
    channels: s.outChannels,
    inHeight: s.outHeight,
    inWidth: s.outWidth,
    poolHeight: size,
    poolWidth: size,
    strideH: 2,
    strideW: 2,
    outHeight: Math.floor((s.outHeight - size) / 2) + 1,
    outWidth: Math.floor((s.outWidth - size) / 2) + 1,
  };
}

function checkConvReluWt(
  k: KernelSet,
  s: Conv2dShape,
  p: Pool2dShape | null,
  rand: () => number,
  withBias: boolean,
): void {
  const nIn = s.batch * s.inChannels * s.inHeight * s.inWidth;
  const nW = s.outChannels * s.inChannels * s.kernelHeight * s.kernelWidth;
  const nConv = s.batch * s.outChannels * s.outHeight * s.outWidth;
  const nOut = p ? p.batch * p.channels * p.outHeight * p.outWidth : nConv;
  const inp = randArray(rand, nIn);
  const w = randArray(rand, nW);
  const wT = new Float32Array(nW);
  transposeConvWeight(w, s.outChannels, wT);
  const b = withBias ? randArray(rand, s.outChannels) : null;
  const act = new Float32Array(nConv);
  ref.conv2dForward(s, inp, w, b, act);
  ref.reluForward(act, act);
  let want = act;
  if (p) {
    want = new Float32Array(nOut);
    ref.maxPool2dForward(p, act, want, new Int32Array(nOut));
  }
  const out = randArray(rand, nOut + 5); // garbage: the head must be overwritten, the tail kept
  const tail = out.slice(nOut);
  k.conv2dReluForwardWt!(s, p, inp, w, wT, b, out);
  const tag = `${JSON.stringify(s)} ${p ? `pool ${p.poolHeight}×${p.poolWidth}` : 'no pool'}`;
  expectClose(out.subarray(0, nOut), want, `conv2dReluForwardWt ${tag}`);
  expectSame(out.subarray(nOut), tail, `conv2dReluForwardWt tail ${tag}`);
}

/** Shapes for the fast paths: 32·n channels, maps of 3 to 25 pixels a side, batch 1 to 17, deep and shallow inputs. */
function shapes(): Conv2dShape[] {
  const rand = lcg(21);
  const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const out: Conv2dShape[] = [
    sameConv3x3(1, 128, 6, 6, 128), // the medium preset's last conv at batch 1
    sameConv3x3(1, 256, 3, 3, 256), // the large preset's last conv at batch 1 (one 3×3 block)
    sameConv3x3(2, 64, 12, 12, 128), // the large preset's conv without a pool (rows of 12)
    sameConv3x3(17, 64, 6, 6, 64), // a whole chunk of 16 images + 1
    sameConv3x3(16, 32, 4, 10, 32), // a whole chunk, rows of ≥ 8 pixels: blocks stored transposed
    { ...sameConv3x3(3, 3, 21, 18, 32), strideH: 2, strideW: 2, outHeight: 11, outWidth: 9 }, // the stem
  ];
  for (let t = 0; t < 40; t++) {
    const h = ri(3, 25);
    const w = t % 3 === 0 ? h : ri(3, 25);
    const s = sameConv3x3(t % 4 === 0 ? 1 : ri(1, 5), ri(1, 40), h, w, 32 * ri(1, 3));
    // 'valid' padding now and then (no border of zeros in the padded planes)
    if (t % 5 === 2 && h > 3 && w > 3)
      Object.assign(s, { padTop: 0, padLeft: 0, outHeight: h - 2, outWidth: w - 2 });
    out.push(s);
  }
  // channels that are not a multiple of 32 (the fallbacks on every instruction set)
  out.push(sameConv3x3(2, 5, 8, 9, 16), sameConv3x3(1, 7, 6, 5, 48));
  return out;
}

describe.skipIf(!addon).each(isas)('native conv2dReluForwardWt (%s) vs reference ops', (isa) => {
  it('with and without a max pool (2×2 and 3×3, stride 2), with and without a bias', () => {
    addon!.useIsa(isa);
    try {
      const k = createNativeKernelSet(addon!);
      const rand = lcg(8);
      shapes().forEach((s, i) => {
        checkConvReluWt(k, s, null, rand, i % 3 !== 1);
        if (s.outHeight >= 2 && s.outWidth >= 2) checkConvReluWt(k, s, poolOver(s, 2), rand, i % 3 !== 2);
        if (i % 4 === 0 && s.outHeight >= 3 && s.outWidth >= 3)
          checkConvReluWt(k, s, poolOver(s, 3), rand, true);
      });
    } finally {
      addon!.useIsa(isas[0]);
    }
  });
});
