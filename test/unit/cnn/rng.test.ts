import { describe, expect, it } from 'vitest';
import { deriveSeed, Rng } from '../../../native-workers/cnn/rng';

describe('Rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(42)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(42)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(43)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
  });

  it('saves and restores its state exactly', () => {
    const r = new Rng(7);
    for (let i = 0; i < 10; i++) r.normal();
    const state = r.getState();
    const expected = [r.uniform(), r.normal(), r.int(1000)];
    const r2 = Rng.fromState(JSON.parse(JSON.stringify(state)));
    expect([r2.uniform(), r2.normal(), r2.int(1000)]).toEqual(expected);
  });

  it('samples uniform in [0, 1) and standard normals', () => {
    const r = new Rng(1);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
  });

  it('shuffles into a permutation; deriveSeed separates streams', () => {
    const p = new Rng(3).shuffle(Int32Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(1, 1));
    expect(deriveSeed(1, 5)).toBe(deriveSeed(1, 5));
  });
});
