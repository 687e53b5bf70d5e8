/**
 * Runs a TF.js export (model.json + weights.bin in a folder) on @tensorflow/tfjs's cpu backend (pure JavaScript,
 * no tfjs-node): the parity worker's TF.js check. tfjs is imported on first use and stays in node_modules.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ModelSpec } from '../../app/domain/model-spec';

type Tf = typeof import('@tensorflow/tfjs');

interface ModelJson {
  modelTopology: object;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
}

/** A loaded TF.js classifier: `run` takes [n, C, H, W] floats (transposed to NHWC here) and returns [n, classes]. */
export interface TfjsClassifier {
  run(x: Float32Array, n: number): Promise<Float32Array>;
  release(): void;
}

/** [n, C, H, W] → [n, H, W, C]. */
function toNhwc(x: Float32Array, n: number, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(n * c * h * w);
  for (let b = 0; b < n; b++)
    for (let k = 0; k < c; k++)
      for (let i = 0; i < h * w; i++) out[(b * h * w + i) * c + k] = x[(b * c + k) * h * w + i];
  return out;
}

/** Loads `dir`/model.json and its weight files with tf.loadLayersModel on the cpu backend. */
export async function loadTfjsFolder(dir: string, spec: ModelSpec): Promise<TfjsClassifier> {
  const tf: Tf = await import('@tensorflow/tfjs');
  // production mode: no "install tfjs-node" banner on the CLI's stderr (tfjs-node cannot be used here)
  tf.env().set('PROD', true);
  if (tf.getBackend() !== 'cpu' && !(await tf.setBackend('cpu')))
    throw new Error('the tfjs cpu backend is not available');
  await tf.ready();
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as ModelJson;
  const weights = Buffer.concat(
    json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))),
  );
  const model = await tf.loadLayersModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as never,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  });
  const { channels: C, height: H, width: W } = spec.input;
  return {
    async run(x, n) {
      const input = tf.tensor4d(toNhwc(x, n, C, H, W), [n, H, W, C]);
      const output = model.predict(input) as import('@tensorflow/tfjs').Tensor;
      try {
        return Float32Array.from((await output.data()) as Float32Array);
      } finally {
        input.dispose();
        output.dispose();
      }
    },
    release: () => model.dispose(),
  };
}
