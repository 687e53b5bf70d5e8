/**
 * The relaxed-SIMD module (f32x4.relaxed_madd: fused multiply-adds) against the reference ops. Node 20 validates it
 * only with the V8 flag --experimental-wasm-relaxed-simd, which cannot be turned on from code, so the checks of
 * ./kernel-checks.ts run in a child Node started with that flag (without it where relaxed SIMD is on by default),
 * from ./relaxed-simd-child.ts bundled with esbuild. Same tolerances as for the plain module (kernel-checks.ts):
 * an FMA rounds once instead of twice, far inside them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundleForNode } from '../../support/bundle';
import { afterAll, describe, expect, it } from 'vitest';
import {
  KERNELS_RELAXED_WASM_BASE64,
  KERNELS_WASM_BASE64,
} from '../../../native-workers/kernels/generated/kernels-wasm';
import { wasmSimdSupported } from '../../../native-workers/kernels/wasm-kernels';
import { ALL_KERNEL_CHECKS } from './kernel-checks';

const relaxedBytes = Buffer.from(KERNELS_RELAXED_WASM_BASE64, 'base64');

describe.skipIf(!wasmSimdSupported())('relaxed-SIMD wasm kernels vs reference ops (child Node)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relaxed-simd-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the relaxed module is a different build of the same kernels', () => {
    expect(relaxedBytes.equals(Buffer.from(KERNELS_WASM_BASE64, 'base64'))).toBe(false);
  });

  it('runs every random-shape comparison with the relaxed-SIMD module in use', async () => {
    const script = join(dir, 'relaxed-simd-child.js');
    await bundleForNode(join(__dirname, 'relaxed-simd-child.ts'), script);
    // Node >= 22 and Electron validate relaxed SIMD by default (and may no longer know the flag)
    const flags = WebAssembly.validate(relaxedBytes) ? [] : ['--experimental-wasm-relaxed-simd'];
    const { stdout } = await promisify(execFile)(process.execPath, [...flags, script], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const result = JSON.parse(stdout) as {
      variant: string | null;
      backend: string;
      passed: string[];
      error: string | null;
    };
    expect(result.variant).toBe('relaxed-simd');
    expect(result.backend).toBe('wasm-relaxed-simd');
    expect(result.error).toBeNull();
    expect(result.passed).toEqual(Object.keys(ALL_KERNEL_CHECKS));
  });
});
