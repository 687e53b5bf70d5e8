/**
 * One persistent inference worker (native-workers/inference-worker.ts) seen from main: started over a model file or
 * a run's checkpoint, `ready` awaited, then requests matched to their answers by id (pixel buffers transferred). A
 * worker that dies fails every pending request. InferenceClient (Predict) and InspectClient (Look inside) are thin
 * typed layers over it.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppFailure } from '../../../app/ipc/result';
import {
  assertNever,
  type FromWorker,
  type InferenceWorkerData,
  type ToInferenceWorker,
} from '../../../native-workers/inference/messages';

/** The worker's `ready` message: the model's spec, meta, source and kernels. */
export type WorkerReady = Extract<FromWorker, { type: 'ready' }>;
/** The answer to one request. */
export type WorkerAnswer = Exclude<FromWorker, { type: 'ready' | 'failed' | 'error' }>;

interface Pending {
  resolve(answer: WorkerAnswer): void;
  reject(error: Error): void;
}

export class WorkerConnection {
  private readonly pending = new Map<number, Pending>();
  private lastId = 0;
  private dead: Error | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    readonly ready: WorkerReady,
    /** How a failed request's message starts ("Prediction failed", "Inspection failed"). */
    private readonly failure: string,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (e) => this.die(e));
    worker.on('exit', (code) => this.die(new Error(`the inference worker exited (code ${code})`)));
  }

  /** Starts a worker; fails with `invalid-payload` (naming `name`) when it cannot load a usable model. */
  static open(
    workersDir: string,
    data: InferenceWorkerData,
    name: string,
    failure: string,
  ): Promise<WorkerConnection> {
    const worker = new Worker(path.join(workersDir, 'inference-worker.js'), { workerData: data });
    return new Promise((resolve, reject) => {
      const onExit = (code: number) =>
        reject(
          new AppFailure('internal', `The inference worker exited while loading (code ${code}).`, {
            code: 'worker-exit',
            exitCode: code,
          }),
        );
      const onError = (e: Error) =>
        reject(
          new AppFailure('internal', `Inference worker: ${e.message}`, {
            code: 'worker-error',
            detail: e.message,
          }),
        );
      worker.once('exit', onExit);
      worker.once('error', onError);
      worker.once('message', (m: FromWorker) => {
        worker.off('exit', onExit);
        worker.off('error', onError);
        if (m.type === 'ready') resolve(new WorkerConnection(worker, m, failure));
        else {
          void worker.terminate();
          const detail = m.type === 'failed' ? m.detail : `unexpected ${m.type}`;
          reject(new AppFailure('invalid-payload', `${name}: ${detail}`, { code: 'worker-refused', detail }));
        }
      });
    });
  }

  /** A fresh request id. */
  nextId(): number {
    return ++this.lastId;
  }

  /** Sends a request (`pixels` transferred) and resolves with its answer. */
  request(message: ToInferenceWorker & { id: number }, pixels: Uint8Array): Promise<WorkerAnswer> {
    if (this.dead) return Promise.reject(this.failed(this.dead.message));
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.worker.postMessage(message, [pixels.buffer as ArrayBuffer]);
    });
  }

  /** An unexpected answer type, as an error. */
  unexpected(answer: WorkerAnswer): AppFailure {
    return this.failed(`unexpected ${answer.type}`);
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

  private failed(detail: string): AppFailure {
    return new AppFailure('internal', `${this.failure}: ${detail}`, { code: 'worker-error', detail });
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'result':
      case 'embeddings':
      case 'explanation':
      case 'inspection':
      case 'shifted':
      case 'convolved':
        this.pending.get(m.id)?.resolve(m);
        this.pending.delete(m.id);
        break;
      case 'error':
        this.pending.get(m.id)?.reject(this.failed(m.detail));
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
    for (const p of this.pending.values()) p.reject(this.failed(error.message));
    this.pending.clear();
  }
}
