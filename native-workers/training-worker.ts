/**
 * Worker entry of a training job (main/services/training/run-supervisor.ts), bundled by scripts/build-node.mjs to
 * out/workers/training-worker.js. The job comes in workerData (TrainingJob); messages are the typed unions of
 * training/messages.ts, handled in exhaustive switches.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { deserializeModel } from './cnn/serialize';
import {
  assertNever,
  type FromTrainingWorker,
  type PredictJob,
  type ToTrainingWorker,
  type TrainingJob,
} from './training/messages';
import { predictWithModel } from './training/predict';
import { readTensors } from './training/tensor-source';
import { CheckpointError, RunControl, runTrainJob } from './training/training-loop';
import { SpecError } from './cnn/spec-error';

if (!parentPort) throw new Error('training-worker must run as a worker thread');
const port = parentPort;
const job = workerData as TrainingJob;
const control = new RunControl();

function post(message: FromTrainingWorker): void {
  const transfer: ArrayBuffer[] = [];
  if (message.type === 'predictions') {
    const b = message.batch;
    for (const a of [b.predicted, b.confidence, b.probabilities]) transfer.push(a.buffer as ArrayBuffer);
  }
  port.postMessage(message, transfer);
}

port.on('message', (message: ToTrainingWorker) => {
  switch (message.type) {
    case 'pause':
      control.pause();
      break;
    case 'resume':
      control.resume();
      break;
    case 'stop':
      control.stop();
      break;
    default:
      assertNever(message);
  }
});

async function runPredictJob(j: PredictJob): Promise<void> {
  const { model } = deserializeModel(new Uint8Array(fs.readFileSync(j.modelPath)), { batchSize: 1 });
  const size = model.inputSize;
  const images = j.input.kind === 'pixels' ? j.input.pixels : readTensors(j.input.source, size);
  const batch = await predictWithModel(model.spec, model.params, model.state, images);
  post({ type: 'predictions', imageIds: j.input.kind === 'tensors' ? j.input.source.imageIds : null, batch });
}

function failureOf(error: unknown): FromTrainingWorker & { type: 'failed' } {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof CheckpointError) return { type: 'failed', code: 'checkpoint', detail };
  if (error instanceof SpecError) return { type: 'failed', code: 'invalid-model', detail };
  if (error instanceof RangeError && /memory|allocation|Array buffer/i.test(detail))
    return { type: 'failed', code: 'out-of-memory', detail };
  return { type: 'failed', code: 'worker-error', detail };
}

async function main(): Promise<void> {
  try {
    switch (job.kind) {
      case 'train':
        await runTrainJob(job, post, control);
        break;
      case 'predict':
        await runPredictJob(job);
        break;
      default:
        assertNever(job);
    }
    post({ type: 'done' });
  } catch (error) {
    post(failureOf(error));
  }
  port.close();
}

void main();
