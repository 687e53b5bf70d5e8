/**
 * Main's side of an inference worker used for "Look inside" (native-workers/inference-worker.ts): starts it over a
 * model file or a run's checkpoint, waits for `ready`, then sends `inspect`, `shift` and `convolve` requests
 * (transferring the pixel buffers). Its own workers, not the Predict view's (main/services/prediction/
 * model-cache.ts): that client handles only the prediction answers. A worker that dies fails every pending request.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ConvolveResult, Inspection, ShiftExperiment } from '../../../app/domain/inspect';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { AppFailure } from '../../../app/ipc/result';
import type { CnnModelMeta } from '../../../native-workers/cnn/model-file';
import {
  assertNever,
  type FromWorker,
  type InferenceWorkerData,
  type InspectAnswer,
  type ToInferenceWorker,
} from '../../../native-workers/inference/messages';

interface Pending {
  resolve(answer: InspectAnswer): void;
  reject(error: Error): void;
}

export class InspectClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    readonly spec: ModelSpec,
    readonly meta: CnnModelMeta,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (e) => this.die(e));
    worker.on('exit', (code) => this.die(new Error(`the inference worker exited (code ${code})`)));
  }

  /** Starts a worker; fails with `invalid-payload` when the file holds no usable model. */
  static open(workersDir: string, data: InferenceWorkerData): Promise<InspectClient> {
    const worker = new Worker(path.join(workersDir, 'inference-worker.js'), { workerData: data });
    const name = 'modelPath' in data ? data.modelPath : data.checkpointPath;
    return new Promise((resolve, reject) => {
      const onExit = (code: number) =>
        reject(new AppFailure('internal', `The inference worker exited while loading (code ${code}).`));
      const onError = (e: Error) => reject(new AppFailure('internal', `Inference worker: ${e.message}`));
      worker.once('exit', onExit);
      worker.once('error', onError);
      worker.once('message', (m: FromWorker) => {
        worker.off('exit', onExit);
        worker.off('error', onError);
        if (m.type === 'ready') resolve(new InspectClient(worker, m.spec, m.meta));
        else {
          void worker.terminate();
          const detail = m.type === 'failed' ? m.detail : `unexpected ${m.type}`;
          reject(new AppFailure('invalid-payload', `${name}: ${detail}`));
        }
      });
    });
  }

  get labels(): string[] {
    return this.meta.labels;
  }

  /** Every layer's output, the filters, the top classes and Grad-CAM; `pixels` [C, H, W] is transferred. */
  async inspect(
    pixels: Uint8Array,
    classIndex?: number,
  ): Promise<{ inspection: Omit<Inspection, 'runId' | 'epoch' | 'millis'>; millis: number }> {
    const id = this.nextId++;
    const message: ToInferenceWorker =
      classIndex === undefined
        ? { type: 'inspect', id, pixels }
        : { type: 'inspect', id, pixels, classIndex };
    const answer = await this.request(message, pixels);
    if (answer.type !== 'inspection')
      throw new AppFailure('internal', `Inspection failed: unexpected ${answer.type}`);
    return { inspection: answer.inspection, millis: answer.millis };
  }

  async shift(
    pixels: Uint8Array,
    offsets: { dx: number; dy: number }[],
    flip: boolean,
  ): Promise<ShiftExperiment> {
    const answer = await this.request({ type: 'shift', id: this.nextId++, pixels, offsets, flip }, pixels);
    if (answer.type !== 'shifted')
      throw new AppFailure('internal', `Shift failed: unexpected ${answer.type}`);
    return answer.experiment;
  }

  async convolve(pixels: Uint8Array, kernel: number[]): Promise<ConvolveResult> {
    const answer = await this.request({ type: 'convolve', id: this.nextId++, pixels, kernel }, pixels);
    if (answer.type !== 'convolved')
      throw new AppFailure('internal', `Convolve failed: unexpected ${answer.type}`);
    return answer.result;
  }

  private request(
    message: Extract<ToInferenceWorker, { type: 'inspect' | 'shift' | 'convolve' }>,
    pixels: Uint8Array,
  ): Promise<InspectAnswer> {
    if (this.dead)
      return Promise.reject(new AppFailure('internal', `Inspection failed: ${this.dead.message}`));
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.worker.postMessage(message, [pixels.buffer as ArrayBuffer]);
    });
  }

  /** Ends the worker (pending requests fail). */
  async close(): Promise<void> {
    if (!this.dead) {
      this.worker.postMessage({ type: 'close' } satisfies ToInferenceWorker);
      const timer = setTimeout(() => void this.worker.terminate(), 2000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'inspection':
      case 'shifted':
      case 'convolved':
        this.pending.get(m.id)?.resolve(m);
        this.pending.delete(m.id);
        break;
      case 'error':
        this.pending.get(m.id)?.reject(new AppFailure('internal', `Inspection failed: ${m.detail}`));
        this.pending.delete(m.id);
        break;
      case 'result':
      case 'explanation':
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
      p.reject(new AppFailure('internal', `Inspection failed: ${error.message}`));
    this.pending.clear();
  }
}

/**
 * Inspect workers kept per weights file: the same file (path, size, modification time) is loaded once; a rewritten
 * file (a live view's checkpoint after the next epoch) gets a new worker and the stale one is closed.
 */
export class InspectCache {
  private readonly clients = new Map<string, Promise<InspectClient>>();

  constructor(private readonly workersDir: string) {}

  /** The worker for `file` (whose size and mtime are `stat`), started from `data` on first use. */
  get(
    file: string,
    stat: { size: number; mtimeMs: number },
    data: InferenceWorkerData,
  ): Promise<InspectClient> {
    const key = `${file}\0${stat.size}\0${stat.mtimeMs}`;
    let client = this.clients.get(key);
    if (!client) {
      for (const [k, old] of this.clients)
        if (k.startsWith(`${file}\0`)) {
          this.clients.delete(k);
          void old.then((c) => c.close()).catch(() => undefined);
        }
      client = InspectClient.open(this.workersDir, data);
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client;
  }

  async dispose(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.then((x) => x.close()).catch(() => undefined)));
  }
}
