import { describe, expect, it } from 'vitest';
import { referenceKernels } from '../../../native-workers/cnn/reference-kernels';
import { batchNormForwardEval } from '../../../native-workers/cnn/ops/batch-norm';
import { profileKernels } from '../../../native-workers/kernels/profile-kernels';

describe('profileKernels', () => {
  it('counts calls per op and geometry and passes results through', () => {
    let now = 0;
    const k = profileKernels(referenceKernels, () => (now += 2));
    const out = new Float32Array(3);
    k.reluForward(new Float32Array([-1, 2, -3]), out);
    k.reluForward(new Float32Array([1, 1, 1]), out);
    k.denseForward(
      { batch: 1, inFeatures: 2, outFeatures: 1 },
      new Float32Array([1, 2]),
      new Float32Array([3, 4]),
      null,
      out.subarray(0, 1),
    );
    expect(out[0]).toBe(11);
    expect(k.times.get('reluForward 3')).toEqual([2, 4]);
    expect(k.times.get('denseForward 2→1')).toEqual([1, 2]);
    k.reset();
    expect(k.times.size).toBe(0);
  });

  it('keeps the optional batch-norm ops of the set it wraps (and only those it has)', () => {
    const k = profileKernels({ ...referenceKernels, batchNormForwardEval }, () => 0);
    expect(k.batchNormForwardTrain).toBeUndefined();
    const out = new Float32Array(2);
    const one = new Float32Array([1]);
    const s = { batch: 2, channels: 1, spatial: 1, epsilon: 0, momentum: 0.1 };
    k.batchNormForwardEval!(s, new Float32Array([3, 5]), one, one, out, new Float32Array([1]), one);
    expect(Array.from(out)).toEqual([3, 5]);
    expect(k.times.get('batchNormForwardEval 1×1')?.[0]).toBe(1);
  });
});
