/**
 * Run by relaxed-simd.test.ts (bundled with esbuild) in a child Node started with --experimental-wasm-relaxed-simd:
 * runs every check of ./kernel-checks.ts on the kernels this process picked and prints one JSON line with the
 * variant in use, the checks that passed and the first failure.
 */
import { kernelsBackend } from '../../../native-workers/kernels/fast-kernels';
import { loadWasmKernels, wasmKernelsVariant } from '../../../native-workers/kernels/wasm-kernels';
import { ALL_KERNEL_CHECKS } from './kernel-checks';

const kernels = loadWasmKernels();
const result = {
  variant: wasmKernelsVariant(),
  backend: kernelsBackend('wasm'),
  passed: [] as string[],
  error: null as string | null,
};
if (kernels) {
  for (const [name, check] of Object.entries(ALL_KERNEL_CHECKS)) {
    try {
      check(kernels);
      result.passed.push(name);
    } catch (e) {
      result.error = `${name}: ${e instanceof Error ? e.message : String(e)}`;
      break;
    }
  }
}
process.stdout.write(`${JSON.stringify(result)}\n`);
