/**
 * Loading and comparing the PyTorch fixtures (scripts/gen-torch-fixtures.py → test/fixtures/torch), shared by
 * torch-fixtures.test.ts (the readable reference ops) and torch-fixtures-kernels.test.ts (every kernel backend).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

const dir = join(__dirname, '../../fixtures/torch');

/** The cases of one fixture file (plain JSON written by the generator). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const loadFixtures = (name: string): any[] => JSON.parse(readFileSync(join(dir, name), 'utf8'));

export const f32 = (a: ArrayLike<number>): Float32Array => Float32Array.from(a);

/** Asserts |a − b| ≤ atol + rtol·|b| elementwise, reporting the worst element (like llm.c's test). */
export function expectClose(
  what: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol = 1e-4,
  rtol = 1e-4,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (!(excess <= worst)) [worst, at] = [excess, i]; // NaN counts as a mismatch
  }
  expect(at, `${what}: element ${at} is ${actual[at]}, torch says ${expected[at]}`).toBe(-1);
}
