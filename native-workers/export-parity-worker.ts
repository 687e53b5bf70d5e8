/**
 * The export parity check, off the main thread (bundled by scripts/build-node.mjs to out/workers/
 * export-parity-worker.js). It answers one `check` (export/messages.ts): the exported model in the export folder
 * runs in onnxruntime-web (WebAssembly, no native runtime), @tensorflow/tfjs's cpu backend, or our own model
 * reader, and is compared with the app's own model (the CNN core on the run's weights) at batch sizes 1, 3 and
 * 32 (export/compare.ts). onnxruntime-web and tfjs stay in node_modules (build externals), so
 * their .wasm files are found next to their own entry points.
 */
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { ExportParity } from '../app/domain/model-export';
import {
  assertNever,
  type ExportParityRequest,
  type FromExportParityWorker,
  type ToExportParityWorker,
} from './export/messages';
import { readModelFile } from './cnn/model-file';
import { checkExport } from './export/parity-check';

if (!parentPort) throw new Error('export-parity-worker must run as a worker thread');
const port = parentPort;

function post(message: FromExportParityWorker): void {
  port.postMessage(message);
}

async function check(request: ExportParityRequest): Promise<ExportParity> {
  const own = readModelFile(new Uint8Array(fs.readFileSync(request.modelPath)));
  return checkExport(request, own);
}

port.on('message', (message: ToExportParityWorker) => {
  switch (message.type) {
    case 'check': {
      const started = performance.now();
      check(message.request).then(
        (parity) => {
          post({ type: 'result', parity, millis: performance.now() - started });
          port.close();
        },
        (error: unknown) => {
          post({ type: 'failed', detail: error instanceof Error ? error.message : String(error) });
          port.close();
        },
      );
      break;
    }
    default:
      assertNever(message.type);
  }
});
