/** The committed wasm binaries must be built from the current C sources (run `node scripts/build-kernels.mjs`). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KERNELS_BUILD_FLAGS,
  KERNELS_RELAXED_BUILD_FLAGS,
  KERNELS_RELAXED_WASM_BASE64,
  KERNELS_WASM_BASE64,
} from '../../../native-workers/kernels/generated/kernels-wasm';

describe('generated kernels-wasm.ts', () => {
  it('matches the sha256 of native-workers/kernels/src/ (build-kernels.mjs --check; rebuild with the script)', () => {
    const script = join(__dirname, '../../../scripts/build-kernels.mjs');
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('kernels-wasm.ts is up to date');
    expect(r.status).toBe(0);
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
