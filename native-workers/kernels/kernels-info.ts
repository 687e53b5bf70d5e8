/** Which kernels this runtime trains and predicts with, for the app to say (AppInfo.kernels). */
import type { KernelsInfo } from '../../app/domain/app-info';
import { fastKernelsBackend } from './fast-kernels';
import { nativeAddonSource } from './native-kernels';

let cached: KernelsInfo | undefined;

/** What fastKernels() picks in this process (the workers pick the same: same files, CPU and environment). */
export function kernelsInfo(): KernelsInfo {
  if (cached) return cached;
  const backend = fastKernelsBackend();
  const source = nativeAddonSource();
  if (backend.startsWith('native-') && source)
    cached = { kind: 'native', isa: backend.slice('native-'.length), source };
  else if (backend.startsWith('wasm-'))
    cached = { kind: 'wasm', relaxedSimd: backend === 'wasm-relaxed-simd' };
  else cached = { kind: 'reference' };
  return cached;
}
