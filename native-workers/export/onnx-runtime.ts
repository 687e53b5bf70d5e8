/**
 * Runs an exported ONNX model with onnxruntime-web's WebAssembly backend under Node (no native runtime, no
 * install script): the parity check after an export (in the parity worker), and the tests. The .wasm files are
 * looked up next to onnxruntime-web's entry point in node_modules (it is a build external, never bundled), which
 * works from out/workers as from the sources.
 */
import path from 'node:path';

/** The graph's input and output names (main/services/export/onnx/onnx-export.ts writes them). */
export const ONNX_INPUT_NAME = 'image';
export const ONNX_OUTPUT_NAME = 'probabilities';

type Ort = typeof import('onnxruntime-web');
let loaded: Ort | null = null;

/** onnxruntime-web, imported on first use (the CLI and the app start without it) and configured once. */
async function onnxRuntime(): Promise<Ort> {
  if (loaded) return loaded;
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  try {
    // the .wasm files sit next to the package's entry point in node_modules
    ort.env.wasm.wasmPaths = path.dirname(require.resolve('onnxruntime-web')) + path.sep;
  } catch {
    // leave onnxruntime-web's own lookup
  }
  loaded = ort;
  return ort;
}

/** A loaded ONNX classifier: `run` takes [n, C, H, W] floats and returns the probabilities [n, classes]. */
export interface OnnxClassifier {
  run(x: Float32Array, n: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Loads ONNX bytes into an onnxruntime-web session (wasm, one thread). */
export async function loadOnnxClassifier(
  bytes: Uint8Array,
  input: { channels: number; height: number; width: number },
): Promise<OnnxClassifier> {
  const ort = await onnxRuntime();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  return {
    async run(x, n) {
      const tensor = new ort.Tensor(
        'float32',
        x.subarray(0, n * input.channels * input.height * input.width),
        [n, input.channels, input.height, input.width],
      );
      const out = await session.run({ [ONNX_INPUT_NAME]: tensor });
      return Float32Array.from(out[ONNX_OUTPUT_NAME].data as Float32Array);
    },
    release: () => session.release(),
  };
}
