/**
 * Main's side of a persistent inference worker (native-workers/inference-worker.ts): starts it over one model
 * file, waits for `ready`, then sends `predict` and `explain` requests (transferring the pixel buffers) and resolves
 * each with its answer. A worker that dies fails every pending request.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { AppFailure } from '../../../app/ipc/result';
import type { CnnModelMeta } from '../../../native-workers/cnn/model-file';
import {
  assertNever,
  type FromInferenceWorker,
  type HeatmapData,
  type InferenceWorkerData,
  type ToInferenceWorker,
} from '../../../native-workers/inference/messages';

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

type Answer = Extract<FromInferenceWorker, { type: 'result' | 'explanation' }>;

interface Pending {
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

export class InferenceClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    readonly modelPath: string,
    readonly spec: ModelSpec,
    readonly meta: CnnModelMeta,
    readonly source: 'cnnmodel' | 'run',
    readonly backend: string,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: FromInferenceWorker) => this.onMessage(m));
    worker.on('error', (e) => this.die(e));
    worker.on('exit', (code) => this.die(new Error(`the inference worker exited (code ${code})`)));
  }

  /** Starts a worker over `modelPath`; fails with `invalid-payload` when the file is not a usable model. */
  static open(workersDir: string, modelPath: string): Promise<InferenceClient> {
    const data: InferenceWorkerData = { modelPath };
    const worker = new Worker(path.join(workersDir, 'inference-worker.js'), { workerData: data });
    return new Promise((resolve, reject) => {
      const onExit = (code: number) =>
        reject(new AppFailure('internal', `The inference worker exited while loading (code ${code}).`));
      const onError = (e: Error) => reject(new AppFailure('internal', `Inference worker: ${e.message}`));
      worker.once('exit', onExit);
      worker.once('error', onError);
      worker.once('message', (m: FromInferenceWorker) => {
        worker.off('exit', onExit);
        worker.off('error', onError);
        if (m.type === 'ready') {
          resolve(new InferenceClient(worker, modelPath, m.spec, m.meta, m.source, m.backend));
        } else {
          void worker.terminate();
          const detail = m.type === 'failed' ? m.detail : `unexpected ${m.type}`;
          reject(new AppFailure('invalid-payload', `${modelPath}: ${detail}`));
        }
      });
    });
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
    const id = this.nextId++;
    const answer = await this.request({ type: 'predict', id, pixels, count }, [pixels.buffer as ArrayBuffer]);
    if (answer.type !== 'result')
      throw new AppFailure('internal', `Prediction failed: unexpected ${answer.type}`);
    return answer.probabilities;
  }

  /**
   * Grad-CAM of one uint8 image [C, H, W] (`pixels` is transferred) for `classIndex` (default: the predicted
   * class), with the image's probabilities. Slower than predict (unfused forward + one backward pass).
   */
  async explain(pixels: Uint8Array, classIndex?: number): Promise<WorkerExplanation> {
    const id = this.nextId++;
    const message: ToInferenceWorker =
      classIndex === undefined
        ? { type: 'explain', id, pixels }
        : { type: 'explain', id, pixels, classIndex };
    const answer = await this.request(message, [pixels.buffer as ArrayBuffer]);
    if (answer.type !== 'explanation')
      throw new AppFailure('internal', `Explanation failed: unexpected ${answer.type}`);
    const { probabilities, heatmap, millis } = answer;
    return { probabilities, heatmap, classIndex: answer.classIndex, millis };
  }

  private request(message: ToInferenceWorker & { id: number }, transfer: ArrayBuffer[]): Promise<Answer> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.send(message, transfer);
    });
  }

  /** Ends the worker (pending requests fail). */
  async close(): Promise<void> {
    if (!this.dead) {
      this.send({ type: 'close' });
      const timer = setTimeout(() => void this.worker.terminate(), 2000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private send(message: ToInferenceWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private onMessage(m: FromInferenceWorker): void {
    switch (m.type) {
      case 'result':
      case 'explanation':
        this.pending.get(m.id)?.resolve(m);
        this.pending.delete(m.id);
        break;
      case 'error':
        this.pending.get(m.id)?.reject(new AppFailure('internal', `Prediction failed: ${m.detail}`));
        this.pending.delete(m.id);
        break;
      case 'ready':
      case 'failed':
        break;
      default:
        assertNever(m);
    }
  }

  private die(error: Error): void {
    this.dead ??= error;
    for (const p of this.pending.values())
      p.reject(new AppFailure('internal', `Prediction failed: ${error.message}`));
    this.pending.clear();
  }
}
