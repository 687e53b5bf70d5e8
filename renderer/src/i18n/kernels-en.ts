import type { NativeKernelsSource } from '../../../app/domain/app-info';

/**
 * English strings for "which kernels run" (`t.kernels`, shown in the Train section's header). Main sends
 * AppInfo.kernels (kind, instruction set, where the addon came from); every word is here. zh-CN: kernels-zh-CN.ts.
 */
export const kernelsEn = {
  native: (isa: string) => `Kernels: native ${isa}`,
  nativeTitle: (isa: string, source: string) =>
    `The native C kernels with ${isa} vectors, ${source}: the fastest this computer can run.`,
  isa: {
    avx512: 'AVX-512',
    avx2: 'AVX2',
    v4: '4-lane SIMD',
  } as Record<string, string>,
  source: {
    build: 'built on this computer by npm run build',
    prebuilt: 'the prebuilt addon that ships with CNN Studio',
    explicit: 'the addon named by CNN_STUDIO_NATIVE_KERNELS',
  } satisfies Record<NativeKernelsSource, string>,
  wasm: 'Kernels: WebAssembly (about 3× slower: see README)',
  wasmTitle:
    'No native kernels for this computer: there is no local build (that needs a C compiler) and no prebuilt addon for this platform. Training and prediction run the same kernels compiled to WebAssembly; the README says how to build the native ones.',
  reference: 'Kernels: reference JavaScript (the slowest)',
  referenceTitle:
    'CNN_STUDIO_KERNELS=reference: the readable reference operations, meant for checking results.',
};
