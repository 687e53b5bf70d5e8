/**
 * What the kernel checks share: a seeded generator, random arrays, and the exact and relative comparisons (each
 * throws on a mismatch; see kernel-checks.ts).
 */
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
