/** Facts about the running backend that the UI needs once at start. */
export interface AppInfo {
  version: string;
  dataDir: string;
  /** Base URL under which project media (thumbnails, originals) are served: `${base}/${projectId}/thumb/${sha}`. */
  mediaBaseUrl: string;
  platform: string;
  /** The kernels training and prediction run on this computer. */
  kernels: KernelsInfo;
}

/** Where the native kernels addon came from: built here (out/native), shipped prebuilt, or named by the environment. */
export type NativeKernelsSource = 'build' | 'prebuilt' | 'explicit';

/**
 * The kernels the workers pick (native-workers/kernels/fast-kernels.ts): the native addon with its instruction set
 * ('avx512', 'avx2' or the 4-lane 'v4'), else the WebAssembly SIMD build, else the reference ops.
 */
export type KernelsInfo =
  | { kind: 'native'; isa: string; source: NativeKernelsSource }
  | { kind: 'wasm'; relaxedSimd: boolean }
  | { kind: 'reference' };
