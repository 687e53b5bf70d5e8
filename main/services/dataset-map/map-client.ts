/**
 * One projection in a dataset-map worker (native-workers/dataset-map-worker.ts): start, send the embeddings
 * (transferred), forward progress, resolve with the projection. cancel() terminates the thread, which rejects the
 * promise with a `cancelled` failure.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DatasetMapMethod } from '../../../app/domain/dataset-map';
import { AppFailure } from '../../../app/ipc/result';
import {
  assertNever,
  type FromMapWorker,
  type ToMapWorker,
} from '../../../native-workers/dataset-map/messages';

export type Projected = Omit<Extract<FromMapWorker, { type: 'projected' }>, 'type'>;

export interface ProjectionJob {
  promise: Promise<Projected>;
  cancel(): void;
}

export function startProjection(
  workersDir: string,
  input: {
    embeddings: Float32Array;
    count: number;
    dims: number;
    method: DatasetMapMethod;
    seed: number;
    k: number;
  },
  onProgress: (phase: 'projecting' | 'neighbours', done: number, total: number) => void,
): ProjectionJob {
  const worker = new Worker(path.join(workersDir, 'dataset-map-worker.js'));
  let cancelled = false;
  const promise = new Promise<Projected>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (!settled) {
        settled = true;
        f();
      }
    };
    worker.on('message', (m: FromMapWorker) => {
      switch (m.type) {
        case 'progress':
          onProgress(m.phase, m.done, m.total);
          break;
        case 'projected': {
          const { type: _type, ...projected } = m;
          settle(() => resolve(projected));
          break;
        }
        case 'failed':
          settle(() =>
            reject(
              new AppFailure('internal', `The dataset map failed: ${m.detail}`, {
                code: 'map-failed',
                detail: m.detail,
              }),
            ),
          );
          break;
        default:
          assertNever(m);
      }
    });
    worker.on('error', (e) =>
      settle(() =>
        reject(
          new AppFailure('internal', `Dataset map worker: ${e.message}`, {
            code: 'map-worker-failed',
            detail: e.message,
          }),
        ),
      ),
    );
    worker.on('exit', (code) =>
      settle(() =>
        reject(
          cancelled
            ? new AppFailure('cancelled', 'The dataset map was cancelled.', { code: 'cancelled' })
            : new AppFailure('internal', `The dataset map worker exited (code ${code}).`, {
                code: 'map-worker-exited',
                exitCode: code,
              }),
        ),
      ),
    );
  });
  const message: ToMapWorker = { type: 'project', ...input };
  worker.postMessage(message, [input.embeddings.buffer as ArrayBuffer]);
  return {
    promise,
    cancel() {
      cancelled = true;
      void worker.terminate();
    },
  };
}
