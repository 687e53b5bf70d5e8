/**
 * A dataset-map worker (bundled by scripts/build-node.mjs to out/workers/dataset-map-worker.js): projects one set
 * of embeddings (dataset-map/project.ts) and exits. Messages are the typed unions of dataset-map/messages.ts;
 * progress is posted at most every 100 ms; main cancels by terminating the thread.
 */
import { parentPort } from 'node:worker_threads';
import { projectEmbeddings } from './dataset-map/project';
import { assertNever, type FromMapWorker, type ToMapWorker } from './dataset-map/messages';
import { fastKernels } from './kernels/fast-kernels';

if (!parentPort) throw new Error('dataset-map-worker must run as a worker thread');
const port = parentPort;

function post(message: FromMapWorker): void {
  switch (message.type) {
    case 'projected':
      port.postMessage(message, [
        message.x.buffer as ArrayBuffer,
        message.y.buffer as ArrayBuffer,
        message.neighbours.buffer as ArrayBuffer,
      ]);
      return;
    case 'progress':
    case 'failed':
      port.postMessage(message);
      return;
    default:
      assertNever(message);
  }
}

port.once('message', (message: ToMapWorker) => {
  switch (message.type) {
    case 'project': {
      let last = 0;
      try {
        const { embeddings, count, dims, method, seed, k } = message;
        const projection = projectEmbeddings(
          fastKernels(),
          embeddings,
          count,
          dims,
          { method, seed, k },
          (phase, done, total) => {
            const now = performance.now();
            if (now - last < 100 && done < total) return;
            last = now;
            post({ type: 'progress', phase, done, total });
          },
        );
        post({ type: 'projected', ...projection });
      } catch (error) {
        post({ type: 'failed', detail: error instanceof Error ? error.message : String(error) });
      }
      port.close();
      break;
    }
    default:
      assertNever(message.type);
  }
});
