/** The KernelSet contract, checked on the reference kernels (the fast kernels are tested against these). */
import { describe, expect, it } from 'vitest';
import { referenceKernels as k } from '../../../native-workers/cnn/reference-kernels';
import { Rng } from '../../../native-workers/cnn/rng';
import { sameConv3x3 } from '../kernels/conv-checks';

const rand = (n: number, rng: Rng) => new Float32Array(n).map(() => rng.normal());

describe('referenceKernels honour the KernelSet contract', () => {
  it('relu may run in place; backward reads the output', () => {
    const rng = new Rng(1);
    const a = rand(50, rng);
    const expected = a.map((v) => Math.max(0, v));
    k.reluForward(a, a);
    expect(a).toEqual(expected);
    const dout = rand(50, rng);
    const dinp = new Float32Array(50).fill(1);
    k.reluBackward(a, dout, dinp);
    for (let i = 0; i < 50; i++) expect(dinp[i]).toBe(a[i] > 0 ? Math.fround(1 + dout[i]) : 1);
  });

  it('a null dinp / dbias skips that gradient and leaves the others unchanged', () => {
    const s = sameConv3x3(2, 2, 5, 4, 3);
    const rng = new Rng(2);
    const inp = rand(80, rng);
    const w = rand(54, rng);
    const dout = rand(120, rng);
    const full = { dinp: new Float32Array(80), dw: new Float32Array(54), db: new Float32Array(3) };
    k.conv2dBackward(s, inp, w, dout, full.dinp, full.dw, full.db);
    const dw = new Float32Array(54);
    k.conv2dBackward(s, inp, w, dout, null, dw, null);
    expect(dw).toEqual(full.dw);
    const ds = { batch: 2, inFeatures: 4, outFeatures: 3 };
    const dDense = new Float32Array(12);
    k.denseBackward(ds, rand(8, rng), rand(12, rng), rand(6, rng), null, dDense, null);
    expect(dDense.some((v) => v !== 0)).toBe(true);
  });

  it('max pool backward accumulates into dinp', () => {
    const s = {
      batch: 1,
      channels: 1,
      inHeight: 2,
      inWidth: 4,
      poolHeight: 2,
      poolWidth: 2,
      strideH: 2,
      strideW: 2,
      outHeight: 1,
      outWidth: 2,
    };
    const inp = new Float32Array([1, 5, 2, 0, 3, 4, 9, 1]);
    const out = new Float32Array(2);
    const argmax = new Int32Array(2);
    k.maxPool2dForward(s, inp, out, argmax);
    expect(Array.from(out)).toEqual([5, 9]);
    expect(Array.from(argmax)).toEqual([1, 6]);
    const dinp = new Float32Array(8).fill(1);
    k.maxPool2dBackward(s, new Float32Array([2, 3]), argmax, dinp);
    expect(Array.from(dinp)).toEqual([1, 3, 1, 1, 1, 1, 4, 1]);
  });
});
