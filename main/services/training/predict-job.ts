/**
 * Predictions of a saved model in a training worker (never on the main thread): for images of the project's tensor
 * cache, or for raw pixels decoded elsewhere (a folder being evaluated).
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppFailure } from '../../../app/ipc/result';
import {
  assertNever,
  type FromTrainingWorker,
  type PredictJob,
  type PredictionBatch,
} from '../../../native-workers/training/messages';

export function runPredictJob(workersDir: string, job: PredictJob): Promise<PredictionBatch> {
  return new Promise((resolve, reject) => {
    const transfer = job.input.kind === 'pixels' ? [job.input.pixels.buffer as ArrayBuffer] : [];
    const worker = new Worker(path.join(workersDir, 'training-worker.js'), {
      workerData: job,
      transferList: transfer,
    });
    let result: PredictionBatch | null = null;
    let failure: string | null = null;
    worker.on('message', (m: FromTrainingWorker) => {
      switch (m.type) {
        case 'predictions':
          result = m.batch;
          break;
        case 'failed':
          failure = `${m.code}: ${m.detail}`;
          break;
        case 'done':
        case 'started':
        case 'progress':
        case 'epoch':
        case 'paused':
        case 'resumed':
        case 'finished':
          break;
        default:
          assertNever(m);
      }
    });
    worker.on('error', (e) => (failure ??= e.message));
    worker.on('exit', (code) => {
      if (result && !failure) resolve(result);
      else
        reject(
          new AppFailure('internal', `Prediction failed: ${failure ?? `worker exit code ${code}`}`, {
            code: 'prediction-failed',
            detail: failure ?? `worker exit code ${code}`,
          }),
        );
    });
  });
}
