/**
 * The wasm SIMD kernels against the readable reference ops, on many random shapes (strides 1..3, padding,
 * non-square, odd sizes, batch 1..5, channel counts that are not multiples of 4).
 */
import { describe, expect, it } from 'vitest';
import type { Conv2dShape, DenseShape, KernelSet, Pool2dShape } from '../../../native-workers/cnn/kernel-set';
import { referenceKernels as ref } from '../../../native-workers/cnn/reference-kernels';
import { fastKernels, mergeKernels } from '../../../native-workers/kernels/fast-kernels';
import { loadWasmKernels, wasmSimdSupported } from '../../../native-workers/kernels/wasm-kernels';

/** Small deterministic generator so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randArray(rand: () => number, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rand() * 2 - 1;
  return a;
}

function expectClose(actual: Float32Array, expected: Float32Array, what: string, rtol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
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

function randomConvShape(rand: () => number): Conv2dShape {
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

function checkConv(
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
function checkConvRelu(k: KernelSet, s: Conv2dShape, rand: () => number, withBias: boolean): void {
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
  expectClose(out.subarray(0, nOut), outRef, `conv2dReluForward ${JSON.stringify(s)}`);
  expect(Array.from(out.subarray(nOut))).toEqual(Array.from(tail));
  for (let i = 0; i < nOut; i++) if (!(out[i] >= 0)) throw new Error(`negative or NaN output at ${i}`);
}

describe.skipIf(!wasmSimdSupported())('wasm SIMD kernels vs reference ops', () => {
  const wasm = loadWasmKernels()!;

  it('loads', () => {
    expect(wasm).not.toBeNull();
  });

  it('conv2d forward/backward on 300 random shapes', () => {
    const rand = lcg(1234);
    for (let t = 0; t < 300; t++) checkConv(wasm, randomConvShape(rand), rand, t % 3 !== 0, t % 4 !== 1);
  });

  it('conv2d on the reference CNN shapes (3×3 same, batch 64)', () => {
    const rand = lcg(7);
    const base = { kernelHeight: 3, kernelWidth: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1 };
    checkConv(
      wasm,
      {
        ...base,
        batch: 64,
        inChannels: 1,
        inHeight: 28,
        inWidth: 28,
        outChannels: 16,
        outHeight: 28,
        outWidth: 28,
      },
      rand,
      true,
      false,
    );
    checkConv(
      wasm,
      {
        ...base,
        batch: 64,
        inChannels: 16,
        inHeight: 14,
        inWidth: 14,
        outChannels: 32,
        outHeight: 14,
        outWidth: 14,
      },
      rand,
      true,
      true,
    );
  });

  it('conv2d stride 1 (shifted-planes path, no im2col) on 300 random shapes, also with fused relu', () => {
    const rand = lcg(4321);
    for (let t = 0; t < 300; t++) {
      const s = { ...randomConvShape(rand), strideH: 1, strideW: 1 };
      // recompute the output size for stride 1 with random bottom/right padding (possibly negative: rows unused)
      const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
      s.outHeight = Math.max(1, s.inHeight + s.padTop + ri(-2, s.kernelHeight - 1) - s.kernelHeight + 1);
      s.outWidth = Math.max(1, s.inWidth + s.padLeft + ri(-2, s.kernelWidth - 1) - s.kernelWidth + 1);
      checkConv(wasm, s, rand, t % 3 !== 0, t % 4 !== 1);
      checkConvRelu(wasm, s, rand, t % 3 !== 0);
    }
  });

  it('fused conv2d + relu forward on 300 random shapes (every stride) and the reference CNN shapes', () => {
    const rand = lcg(99);
    for (let t = 0; t < 300; t++) checkConvRelu(wasm, randomConvShape(rand), rand, t % 3 !== 0);
    const base = { kernelHeight: 3, kernelWidth: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1 };
    checkConvRelu(
      wasm,
      {
        ...base,
        batch: 64,
        inChannels: 1,
        inHeight: 28,
        inWidth: 28,
        outChannels: 16,
        outHeight: 28,
        outWidth: 28,
      },
      rand,
      true,
    );
    checkConvRelu(
      wasm,
      {
        ...base,
        batch: 64,
        inChannels: 16,
        inHeight: 14,
        inWidth: 14,
        outChannels: 32,
        outHeight: 14,
        outWidth: 14,
      },
      rand,
      true,
    );
  });

  it('conv2d 1×1 stride 1 (no im2col path)', () => {
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
      checkConv(wasm, s, rand, true, true);
      checkConv(wasm, s, rand, false, false);
    }
  });

  it('dense forward/backward on 200 random shapes', () => {
    const rand = lcg(42);
    const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    for (let t = 0; t < 200; t++) {
      const s: DenseShape = { batch: ri(1, 9), inFeatures: ri(1, 300), outFeatures: ri(1, 40) };
      if (t === 0) Object.assign(s, { batch: 64, inFeatures: 1568, outFeatures: 128 });
      const bias = t % 3 !== 0;
      const withDinp = t % 4 !== 1;
      const inp = randArray(rand, s.batch * s.inFeatures);
      const w = randArray(rand, s.outFeatures * s.inFeatures);
      const b = bias ? randArray(rand, s.outFeatures) : null;
      const outR = new Float32Array(s.batch * s.outFeatures);
      const outF = randArray(rand, s.batch * s.outFeatures);
      ref.denseForward(s, inp, w, b, outR);
      wasm.denseForward(s, inp, w, b, outF);
      const tag = JSON.stringify(s);
      expectClose(outF, outR, `denseForward ${tag}`);
      const dout = randArray(rand, s.batch * s.outFeatures);
      const dinp0 = randArray(rand, inp.length);
      const dw0 = randArray(rand, w.length);
      const db0 = randArray(rand, s.outFeatures);
      const [dinpR, dwR, dbR] = [dinp0.slice(), dw0.slice(), db0.slice()];
      const [dinpF, dwF, dbF] = [dinp0.slice(), dw0.slice(), db0.slice()];
      ref.denseBackward(s, inp, w, dout, withDinp ? dinpR : null, dwR, bias ? dbR : null);
      wasm.denseBackward(s, inp, w, dout, withDinp ? dinpF : null, dwF, bias ? dbF : null);
      expectClose(dinpF, dinpR, `denseBackward dinp ${tag}`);
      expectClose(dwF, dwR, `denseBackward dweight ${tag}`);
      expectClose(dbF, dbR, `denseBackward dbias ${tag}`);
    }
  });

  it('maxpool forward/backward on 100 random shapes, including ties', () => {
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
      wasm.maxPool2dForward(s, inp, outF, amF);
      expect(Array.from(amF)).toEqual(Array.from(amR));
      expect(Array.from(outF)).toEqual(Array.from(outR)); // toEqual: NaN equals NaN
      const dout = randArray(rand, nOut);
      const dinpR = randArray(rand, nIn);
      const dinpF = dinpR.slice();
      ref.maxPool2dBackward(s, dout, amR, dinpR);
      wasm.maxPool2dBackward(s, dout, amF, dinpF);
      expectClose(dinpF, dinpR, `maxPool2dBackward ${JSON.stringify(s)}`, 1e-6);
    }
  });

  it('relu forward (also in place) and backward', () => {
    const rand = lcg(3);
    for (const n of [1, 3, 4, 7, 64, 1001]) {
      const inp = randArray(rand, n);
      const outR = new Float32Array(n);
      const outF = new Float32Array(n);
      ref.reluForward(inp, outR);
      wasm.reluForward(inp, outF);
      expect(Array.from(outF)).toEqual(Array.from(outR));
      const inPlace = inp.slice();
      wasm.reluForward(inPlace, inPlace);
      expect(Array.from(inPlace)).toEqual(Array.from(outR));
      const dout = randArray(rand, n);
      const dR = randArray(rand, n);
      const dF = dR.slice();
      ref.reluBackward(outR, dout, dR);
      wasm.reluBackward(outF, dout, dF);
      expect(Array.from(dF)).toEqual(Array.from(dR));
    }
  });

  it('handles inputs larger than the initial wasm memory (memory.grow re-creates views)', () => {
    const rand = lcg(11);
    const s: Conv2dShape = {
      batch: 5,
      inChannels: 24,
      inHeight: 64,
      inWidth: 64,
      outChannels: 16,
      kernelHeight: 3,
      kernelWidth: 3,
      strideH: 1,
      strideW: 1,
      padTop: 1,
      padLeft: 1,
      outHeight: 64,
      outWidth: 64,
    };
    checkConv(wasm, s, rand, true, true);
  });
});

describe('fastKernels', () => {
  it('fused conv2d + relu: float64 calls fall back to the reference conv then relu', () => {
    const k = fastKernels();
    if (!k.conv2dReluForward) return; // no wasm SIMD: the reference set has no fused op
    const s: Conv2dShape = {
      batch: 2,
      inChannels: 3,
      inHeight: 6,
      inWidth: 5,
      outChannels: 4,
      kernelHeight: 3,
      kernelWidth: 3,
      strideH: 1,
      strideW: 1,
      padTop: 1,
      padLeft: 1,
      outHeight: 6,
      outWidth: 5,
    };
    const rand = lcg(5);
    const inp = Float64Array.from(randArray(rand, 2 * 3 * 30));
    const w = Float64Array.from(randArray(rand, 4 * 27));
    const b = Float64Array.from(randArray(rand, 4));
    const nOut = 2 * 4 * 30;
    const expected = new Float64Array(nOut);
    ref.conv2dForward(s, inp, w, b, expected);
    ref.reluForward(expected, expected);
    const out = new Float64Array(nOut + 3).fill(-5);
    k.conv2dReluForward(s, inp, w, b, out);
    expect(Array.from(out.subarray(0, nOut))).toEqual(Array.from(expected));
    expect(Array.from(out.subarray(nOut))).toEqual([-5, -5, -5]);
  });

  it('falls back to the reference ops for float64 tensors', () => {
    const k = fastKernels();
    const s: DenseShape = { batch: 2, inFeatures: 3, outFeatures: 2 };
    const inp = new Float64Array([1, 2, 3, 4, 5, 6]);
    const w = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const out = new Float64Array(4);
    const expected = new Float64Array(4);
    k.denseForward(s, inp, w, null, out);
    ref.denseForward(s, inp, w, null, expected);
    expect(Array.from(out)).toEqual(Array.from(expected)); // bit-identical: float64 never reaches wasm
    expect(out[0]).not.toBe(Math.fround(out[0]));
  });

  it('mergeKernels routes float32 calls to the fast set', () => {
    const calls: string[] = [];
    const spy = {
      ...ref,
      reluForward: (a: Float32Array | Float64Array, b: Float32Array | Float64Array) => (
        calls.push('fast'),
        ref.reluForward(a, b)
      ),
    };
    const k = mergeKernels(spy as KernelSet, ref);
    k.reluForward(new Float32Array(2), new Float32Array(2));
    k.reluForward(new Float64Array(2), new Float64Array(2));
    expect(calls).toEqual(['fast']);
  });
});

describe.skipIf(!wasmSimdSupported())('zero-copy tensors (allocateKernelTensor)', () => {
  it('gives the same results as plain arrays, in place, and survives memory growth', async () => {
    const { allocateKernelTensor, wasmKernelInstance } =
      await import('../../../native-workers/kernels/wasm-kernels');
    const wasm = loadWasmKernels()!;
    const inst = wasmKernelInstance()!;
    const rand = lcg(77);
    const s: Conv2dShape = {
      batch: 3,
      inChannels: 5,
      inHeight: 9,
      inWidth: 11,
      outChannels: 6,
      kernelHeight: 3,
      kernelWidth: 3,
      strideH: 1,
      strideW: 2,
      padTop: 1,
      padLeft: 1,
      outHeight: 9,
      outWidth: 6,
    };
    const nIn = 3 * 5 * 9 * 11;
    const nOut = 3 * 6 * 9 * 6;
    const own = (a: Float32Array) => {
      const t = allocateKernelTensor(a.length);
      t.set(a);
      return t;
    };
    const inp = randArray(rand, nIn);
    const w = randArray(rand, 6 * 45);
    const b = randArray(rand, 6);
    const dout = randArray(rand, nOut);
    const outR = new Float32Array(nOut);
    ref.conv2dForward(s, inp, w, b, outR);
    const [inpO, wO, bO, doutO] = [own(inp), own(w), own(b), own(dout)];
    const outO = allocateKernelTensor(nOut);
    const copied0 = inst.copiedBytes;
    wasm.conv2dForward(s, inpO, wO, bO, outO);
    expect(inst.copiedBytes).toBe(copied0); // nothing copied
    expectClose(outO, outR, 'own conv2dForward');
    // grow the memory a lot: the views must stay valid (shared memory never detaches)
    const big = allocateKernelTensor(8 << 20);
    expect(big.length).toBe(8 << 20);
    expect(outO.length).toBe(nOut);
    expectClose(outO, outR, 'after growth');
    const dinpR = new Float32Array(nIn);
    const dwR = new Float32Array(w.length);
    const dbR = new Float32Array(6);
    ref.conv2dBackward(s, inp, w, dout, dinpR, dwR, dbR);
    const [dinpO, dwO, dbO] = [
      allocateKernelTensor(nIn),
      allocateKernelTensor(w.length),
      allocateKernelTensor(6),
    ];
    wasm.conv2dBackward(s, inpO, wO, doutO, dinpO, dwO, dbO);
    expectClose(dinpO, dinpR, 'own dinp');
    expectClose(dwO, dwR, 'own dweight');
    expectClose(dbO, dbR, 'own dbias');
    // relu: an own input is never overwritten when out is a plain array
    const r = own(randArray(rand, 100));
    const before = r.slice();
    const rOut = new Float32Array(100);
    wasm.reluForward(r, rOut);
    expect(Array.from(r)).toEqual(Array.from(before));
    const rRef = new Float32Array(100);
    ref.reluForward(before, rRef);
    expect(Array.from(rOut)).toEqual(Array.from(rRef));
  });
});
