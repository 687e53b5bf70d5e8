import { describe, expect, it } from 'vitest';
import { referenceKernels } from '../../../native-workers/cnn/reference-kernels';
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
});
