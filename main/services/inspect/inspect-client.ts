/**
 * The "Look inside" side of an inference worker (prediction/worker-connection.ts): `inspect`, `shift` and
 * `convolve` requests over a model file or a run's checkpoint. Its workers are kept apart from the Predict view's
 * (a live view's checkpoint changes every epoch; InspectCache replaces stale ones).
 */
import type { ConvolveResult, Inspection, ShiftExperiment } from '../../../app/domain/inspect';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { CnnModelMeta } from '../../../native-workers/cnn/model-file';
import type { InferenceWorkerData, ToInferenceWorker } from '../../../native-workers/inference/messages';
import { WorkerConnection } from '../prediction/worker-connection';

export class InspectClient {
  readonly spec: ModelSpec;
  readonly meta: CnnModelMeta;

  private constructor(private readonly connection: WorkerConnection) {
    ({ spec: this.spec, meta: this.meta } = connection.ready);
  }

  /** Starts a worker; fails with `invalid-payload` when the file holds no usable model. */
  static async open(workersDir: string, data: InferenceWorkerData): Promise<InspectClient> {
    const name = 'modelPath' in data ? data.modelPath : data.checkpointPath;
    return new InspectClient(await WorkerConnection.open(workersDir, data, name, 'Inspection failed'));
  }

  get labels(): string[] {
    return this.meta.labels;
  }

  /** Every layer's output, the filters, the top classes and Grad-CAM; `pixels` [C, H, W] is transferred. */
  async inspect(
    pixels: Uint8Array,
    classIndex?: number,
  ): Promise<{ inspection: Omit<Inspection, 'runId' | 'epoch' | 'millis'>; millis: number }> {
    const c = this.connection;
    const id = c.nextId();
    const message: ToInferenceWorker =
      classIndex === undefined
        ? { type: 'inspect', id, pixels }
        : { type: 'inspect', id, pixels, classIndex };
    const answer = await c.request(message, pixels);
    if (answer.type !== 'inspection') throw c.unexpected(answer);
    return { inspection: answer.inspection, millis: answer.millis };
  }

  async shift(
    pixels: Uint8Array,
    offsets: { dx: number; dy: number }[],
    flip: boolean,
  ): Promise<ShiftExperiment> {
    const c = this.connection;
    const answer = await c.request({ type: 'shift', id: c.nextId(), pixels, offsets, flip }, pixels);
    if (answer.type !== 'shifted') throw c.unexpected(answer);
    return answer.experiment;
  }

  async convolve(pixels: Uint8Array, kernel: number[]): Promise<ConvolveResult> {
    const c = this.connection;
    const answer = await c.request({ type: 'convolve', id: c.nextId(), pixels, kernel }, pixels);
    if (answer.type !== 'convolved') throw c.unexpected(answer);
    return answer.result;
  }

  /** Ends the worker (pending requests fail). */
  close(): Promise<void> {
    return this.connection.close();
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
