/**
 * Main's side of the export parity worker (native-workers/export-parity-worker.ts): starts one worker per check,
 * sends the request (transferring the images) and resolves with its ExportParity. The main process only waits.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ExportParity } from '../../../app/domain/model-export';
import { AppFailure } from '../../../app/ipc/result';
import {
  assertNever,
  type ExportParityRequest,
  type FromExportParityWorker,
  type ToExportParityWorker,
} from '../../../native-workers/export/messages';

export const PARITY_WORKER_FILE = 'export-parity-worker.js';

/** Runs the parity check of one export in a worker thread. */
export function checkExportInWorker(workersDir: string, request: ExportParityRequest): Promise<ExportParity> {
  const worker = new Worker(path.join(workersDir, PARITY_WORKER_FILE));
  const failed = (detail: string) =>
    new AppFailure('internal', `The exported model could not be checked: ${detail}`, {
      code: 'check-failed',
    });
  return new Promise<ExportParity>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: FromExportParityWorker) => {
      switch (m.type) {
        case 'result':
          settle(() => resolve(m.parity));
          break;
        case 'failed':
          settle(() => reject(failed(m.detail)));
          break;
        default:
          assertNever(m);
      }
    });
    worker.once('error', (e) => settle(() => reject(failed(e.message))));
    worker.once('exit', (code) => settle(() => reject(failed(`the worker exited (code ${code})`))));
    const message: ToExportParityWorker = { type: 'check', request };
    worker.postMessage(message, [request.x.buffer as ArrayBuffer]);
  });
}
