/**
 * A persistent inference worker (bundled by scripts/build-node.mjs to out/workers/inference-worker.js): loads one
 * model file once, on the fastest kernels of this thread (fastKernels: the native addon, else wasm SIMD), then
 * answers `predict` requests with softmax probabilities until `close`. One thread is plenty for single images and
 * small batches (≈20,000 img/s at 28 px); messages are the typed unions of inference/messages.ts.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { gradCam } from './cnn/explain/grad-cam';
import { readModelFile } from './cnn/model-file';
import { buildModel, type Model } from './cnn/model';
import { bytesToFloats } from './cnn/train/dataset';
import { fastKernels, fastKernelsBackend } from './kernels/fast-kernels';
import {
  assertNever,
  type FromInferenceWorker,
  type InferenceWorkerData,
  type ToInferenceWorker,
} from './inference/messages';

if (!parentPort) throw new Error('inference-worker must run as a worker thread');
const port = parentPort;
const { modelPath } = workerData as InferenceWorkerData;
/** Images per forward pass (buffers are sized for it). */
const MAX_BATCH = 32;

function post(message: FromInferenceWorker): void {
  port.postMessage(message, transferables(message));
}

function transferables(message: FromInferenceWorker): ArrayBuffer[] {
  switch (message.type) {
    case 'result':
      return [message.probabilities.buffer as ArrayBuffer];
    case 'explanation':
      return [message.probabilities.buffer as ArrayBuffer, message.heatmap.values.buffer as ArrayBuffer];
    case 'ready':
    case 'error':
    case 'failed':
      return [];
    default:
      return assertNever(message);
  }
}

function load(): Model | null {
  try {
    const file = readModelFile(new Uint8Array(fs.readFileSync(modelPath)));
    const model = buildModel(file.spec, {
      seed: 0,
      batchSize: MAX_BATCH,
      kernels: fastKernels(),
      skipInit: true,
    });
    model.loadParams(file.params, file.state);
    post({
      type: 'ready',
      spec: file.spec,
      meta: file.meta,
      source: file.source,
      backend: fastKernelsBackend(),
    });
    return model;
  } catch (error) {
    post({ type: 'failed', detail: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

function predict(model: Model, pixels: Uint8Array, count: number): Float32Array {
  const size = model.inputSize;
  const classes = model.numClasses;
  if (!Number.isInteger(count) || count < 0 || pixels.length !== count * size)
    throw new Error(`expected ${count} images of ${size} bytes, got ${pixels.length} bytes`);
  const out = new Float32Array(count * classes);
  const x = new Float32Array(Math.min(count, MAX_BATCH) * size);
  for (let from = 0; from < count; from += MAX_BATCH) {
    const n = Math.min(MAX_BATCH, count - from);
    const input = x.subarray(0, n * size);
    bytesToFloats(pixels, from * size, n * size, input); // as training saw them
    out.set(model.predict(input), from * classes);
  }
  return out;
}

/** Grad-CAM of one uint8 image for classIndex (default: the predicted class). */
function explain(
  model: Model,
  pixels: Uint8Array,
  classIndex: number | undefined,
): Omit<Extract<FromInferenceWorker, { type: 'explanation' }>, 'id' | 'millis'> {
  const size = model.inputSize;
  if (pixels.length !== size)
    throw new Error(`expected one image of ${size} bytes, got ${pixels.length} bytes`);
  if (
    classIndex !== undefined &&
    !(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < model.numClasses)
  )
    throw new Error(`classIndex must be 0..${model.numClasses - 1}, got ${classIndex}`);
  const x = new Float32Array(size);
  bytesToFloats(pixels, 0, size, x); // as training saw them
  const cam = gradCam(model, x, { classIndex });
  return {
    type: 'explanation',
    probabilities: cam.probabilities,
    heatmap: { width: cam.width, height: cam.height, values: cam.values, layerIndex: cam.layerIndex },
    classIndex: cam.classIndex,
  };
}

function failure(id: number, error: unknown): FromInferenceWorker {
  return { type: 'error', id, detail: error instanceof Error ? error.message : String(error) };
}

const model = load();
if (!model) port.close();
else
  port.on('message', (message: ToInferenceWorker) => {
    switch (message.type) {
      case 'predict': {
        const started = performance.now();
        try {
          const probabilities = predict(model, message.pixels, message.count);
          post({
            type: 'result',
            id: message.id,
            probabilities,
            classes: model.numClasses,
            millis: performance.now() - started,
          });
        } catch (error) {
          post(failure(message.id, error));
        }
        break;
      }
      case 'explain': {
        const started = performance.now();
        try {
          const answer = explain(model, message.pixels, message.classIndex);
          post({ ...answer, id: message.id, millis: performance.now() - started });
        } catch (error) {
          post(failure(message.id, error));
        }
        break;
      }
      case 'close':
        port.close();
        break;
      default:
        assertNever(message);
    }
  });
