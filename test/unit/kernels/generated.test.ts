/** The committed wasm binary must be built from the current kernels.c (run `node scripts/build-kernels.mjs`). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KERNELS_BUILD_FLAGS,
  KERNELS_RELAXED_BUILD_FLAGS,
  KERNELS_RELAXED_WASM_BASE64,
  KERNELS_SOURCE_SHA256,
  KERNELS_WASM_BASE64,
} from '../../../native-workers/kernels/generated/kernels-wasm';

describe('generated kernels-wasm.ts', () => {
  it('matches the sha256 of native-workers/kernels/src/kernels.c (rebuild with node scripts/build-kernels.mjs)', () => {
    const src = readFileSync(
      join(__dirname, '../../../native-workers/kernels/src/kernels.c'),
      'utf8',
    ).replace(/\r\n/g, '\n');
    expect(KERNELS_SOURCE_SHA256).toBe(createHash('sha256').update(src).digest('hex'));
  });

  it('is a valid WebAssembly module', () => {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64');
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  it('also holds the relaxed-SIMD build: the same flags + -mrelaxed-simd (validated in relaxed-simd.test.ts)', () => {
    expect(KERNELS_RELAXED_BUILD_FLAGS.replace(' -mrelaxed-simd', '')).toBe(KERNELS_BUILD_FLAGS);
    expect(KERNELS_BUILD_FLAGS).not.toContain('relaxed');
    const bytes = Buffer.from(KERNELS_RELAXED_WASM_BASE64, 'base64');
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('\0asm');
  });
});
