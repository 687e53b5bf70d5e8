/** Bit-for-bit comparison of float32 arrays (stronger and much faster than a deep toEqual). */
import { expect } from 'vitest';

/** Asserts that a and b hold the same float32 bit patterns, naming the first differing index. */
export function expectBitwiseEqual(actual: Float32Array, expected: Float32Array, what = 'array'): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      first = i;
      break;
    }
  }
  expect(first, `${what}: first difference at ${first}: ${actual[first]} vs ${expected[first]}`).toBe(-1);
}
