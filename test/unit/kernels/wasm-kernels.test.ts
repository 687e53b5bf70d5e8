/**
 * The wasm SIMD kernels against the readable reference ops, on many random shapes (strides 1..3, padding,
 * non-square, odd sizes, batch 1..5, channel counts that are not multiples of 4). The checks live in
 * ./kernel-checks.ts; this file runs them on the module this Node picks (the plain SIMD one under Node 20 without
 * flags), relaxed-simd.test.ts on the relaxed-SIMD module in a child Node.
 */
import { describe, expect, it } from 'vitest';
import type { Conv2dShape, DenseShape, KernelSet } from '../../../native-workers/cnn/kernel-set';
import { referenceKernels as ref } from '../../../native-workers/cnn/reference-kernels';
import { fastKernels, kernelsBackend, mergeKernels } from '../../../native-workers/kernels/fast-kernels';
import {
  loadWasmKernels,
  wasmKernelsVariant,
  wasmSimdSupported,
} from '../../../native-workers/kernels/wasm-kernels';
import { KERNELS_RELAXED_WASM_BASE64 } from '../../../native-workers/kernels/generated/kernels-wasm';
import {
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
import { checkConvReluMaxPoolBackwardParams } from './conv-pool-backward-checks';
import { checkConvReluMaxPoolShapes, checkConvReluMaxPoolTrain } from './conv-pool-checks';
import { expectClose, lcg, randArray } from './kernel-check-support';
import {
  checkBatchNormShapes,
  checkDenseRandomShapes,
  checkMaxPoolRandomShapes,
  checkMaxPoolReluBackward,
  checkMemoryGrowth,
  checkRelu,
} from './kernel-checks';

describe.skipIf(!wasmSimdSupported())('wasm SIMD kernels vs reference ops', () => {
  const wasm = loadWasmKernels()!;

  it('loads', () => {
    expect(wasm).not.toBeNull();
  });

  it('uses the relaxed-SIMD module exactly when this runtime validates it, else the plain one', () => {
    const relaxedOk = WebAssembly.validate(Buffer.from(KERNELS_RELAXED_WASM_BASE64, 'base64'));
    expect(wasmKernelsVariant()).toBe(relaxedOk ? 'relaxed-simd' : 'simd');
    expect(kernelsBackend('wasm')).toBe(relaxedOk ? 'wasm-relaxed-simd' : 'wasm-simd');
  });

  it('conv2d forward/backward on 300 random shapes', () => {
    checkConvRandomShapes(wasm);
  });

  it('conv2d on the reference CNN shapes (3×3 same, batch 64)', () => {
    checkConvReferenceCnnShapes(wasm);
  });

  it('conv2d stride 1 (shifted-planes path, no im2col) on 300 random shapes, also with fused relu', () => {
    checkConvStride1RandomShapes(wasm);
  });

  it('fused conv2d + relu forward on 300 random shapes (every stride) and the reference CNN shapes', () => {
    checkConvReluShapes(wasm);
  });

  it('conv2d (plain and fused with relu) with many taps on 120 random shapes (pixel-major forward)', () => {
    checkConvManyTapsRandomShapes(wasm);
  });

  it('conv2d on deep inputs with small maps, whole and partial batches (batch-interleaved path)', () => {
    checkConvDeepSmallMaps(wasm);
  });

  it('conv2d 3×3 stride 2 over 3 channels with same padding (the photo stem)', () => {
    checkConvStride2Stem(wasm);
  });

  it('inference-only conv2d + relu + max pool on 300 random shapes and the reference CNN shapes', () => {
    checkConvReluMaxPoolShapes(wasm);
  });

  it('conv2d 1×1 stride 1 (no im2col path)', () => {
    checkConv1x1(wasm);
  });

  it('dense forward/backward on 200 random shapes', () => {
    checkDenseRandomShapes(wasm);
  });

  it('maxpool forward/backward on 100 random shapes, including ties', () => {
    checkMaxPoolRandomShapes(wasm);
  });

  it('relu forward (also in place) and backward', () => {
    checkRelu(wasm);
  });

  it('batch norm: training forward and backward, eval forward (also fused with relu) on 150 random shapes', () => {
    checkBatchNormShapes(wasm);
  });

  it('handles inputs larger than the initial wasm memory (memory.grow re-creates views)', () => {
    checkMemoryGrowth(wasm);
  });

  it('training conv2d + relu + max pool with switches on random shapes and the reference CNN shapes', () => {
    checkConvReluMaxPoolTrain(wasm);
  });

  it('fused max pool + relu backward (accumulating and zeroFirst, tiling 2×2 and general windows)', () => {
    checkMaxPoolReluBackward(wasm);
  });

  it('first conv dW/db straight from the pool switches (and the unfused path where it declines)', () => {
    checkConvReluMaxPoolBackwardParams(wasm);
  });

  it('rejects a max-pool + relu gradient switch outside dinp before writing anything', () => {
    const s = { batch: 1, channels: 1, inHeight: 4, inWidth: 8, poolHeight: 2, poolWidth: 2 } as const;
    const p = { ...s, strideH: 2, strideW: 2, outHeight: 2, outWidth: 4 };
    const argmax = Int32Array.from({ length: 8 }, (_, j) => 2 * (j >> 2) * 8 + 2 * (j & 3));
    argmax[5] = 32; // one past dinp
    for (const zeroFirst of [false, true]) {
      const dinp = new Float32Array(32).fill(7);
      expect(() =>
        wasm.maxPool2dReluBackward!(
          p,
          new Float32Array(8).fill(1),
          argmax,
          new Float32Array(8).fill(1),
          dinp,
          zeroFirst,
        ),
      ).toThrow(RangeError);
      expect(Array.from(dinp)).toEqual(new Array(32).fill(7));
    }
  });
});

describe('fastKernels', () => {
  it('fused conv2d + relu: float64 calls fall back to the reference conv then relu', () => {
    const k = fastKernels();
    if (!k.conv2dReluForward) return; // no wasm SIMD: the reference set has no fused op
    const s = sameConv3x3(2, 3, 6, 5, 4);
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
