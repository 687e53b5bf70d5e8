/**
 * The Predict side of a persistent inference worker (worker-connection.ts): `predict`, `explain` and `embed`
 * (the dataset map's embeddings) requests over one model file.
 */
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { CnnModelMeta } from '../../../native-workers/cnn/model-file';
import type { HeatmapData, ToInferenceWorker } from '../../../native-workers/inference/messages';
import { WorkerConnection } from './worker-connection';

/** What `explain` resolves to: the image's probabilities and the Grad-CAM map of class `classIndex`. */
export interface WorkerExplanation {
  /** Softmax probabilities [classes]. */
  probabilities: Float32Array;
  heatmap: HeatmapData;
  /** The class explained (the predicted one unless asked for another). */
  classIndex: number;
  /** Worker time: forward, backward and map. */
  millis: number;
}

export class InferenceClient {
  readonly spec: ModelSpec;
  readonly meta: CnnModelMeta;
  readonly source: 'cnnmodel' | 'run';
  /** The kernels that run it. */
  readonly backend: string;

  private constructor(
    private readonly connection: WorkerConnection,
    readonly modelPath: string,
  ) {
    ({ spec: this.spec, meta: this.meta, source: this.source, backend: this.backend } = connection.ready);
  }

  /** Starts a worker over `modelPath`; fails with `invalid-payload` when the file is not a usable model. */
  static async open(workersDir: string, modelPath: string): Promise<InferenceClient> {
    const connection = await WorkerConnection.open(workersDir, { modelPath }, modelPath, 'Prediction failed');
    return new InferenceClient(connection, modelPath);
  }

  /** Values per image (C×H×W). */
  get imageSize(): number {
    const { channels, height, width } = this.spec.input;
    return channels * height * width;
  }

  get classes(): number {
    return this.spec.numClasses;
  }

  /** Softmax probabilities [count, classes] for uint8 images [count, C, H, W]; `pixels` is transferred. */
  async predict(pixels: Uint8Array, count: number): Promise<Float32Array> {
    const c = this.connection;
    const answer = await c.request({ type: 'predict', id: c.nextId(), pixels, count }, pixels);
    if (answer.type !== 'result') throw c.unexpected(answer);
    return answer.probabilities;
  }

  /**
   * Penultimate-layer embeddings (the final dense layer's input, eval mode) of uint8 images [count, C, H, W]:
   * float32 [count, dims]; `pixels` is transferred.
   */
  async embed(
    pixels: Uint8Array,
    count: number,
  ): Promise<{ values: Float32Array; dims: number; millis: number }> {
    const c = this.connection;
    const answer = await c.request({ type: 'embed', id: c.nextId(), pixels, count }, pixels);
    if (answer.type !== 'embeddings') throw c.unexpected(answer);
    return { values: answer.values, dims: answer.dims, millis: answer.millis };
  }

  /**
   * Grad-CAM of one uint8 image [C, H, W] (`pixels` is transferred) for `classIndex` (default: the predicted
   * class), with the image's probabilities. Slower than predict (unfused forward + one backward pass).
   */
  async explain(pixels: Uint8Array, classIndex?: number): Promise<WorkerExplanation> {
    const c = this.connection;
    const id = c.nextId();
    const message: ToInferenceWorker =
      classIndex === undefined
        ? { type: 'explain', id, pixels }
        : { type: 'explain', id, pixels, classIndex };
    const answer = await c.request(message, pixels);
    if (answer.type !== 'explanation') throw c.unexpected(answer);
    const { probabilities, heatmap, millis } = answer;
    return { probabilities, heatmap, classIndex: answer.classIndex, millis };
  }

  /** Ends the worker (pending requests fail). */
  close(): Promise<void> {
    return this.connection.close();
  }
}
