/**
 * A persistent inference worker (bundled by scripts/build-node.mjs to out/workers/inference-worker.js): loads one
 * model file once, on the fastest kernels of this thread (fastKernels: the native addon, else wasm SIMD), then
 * answers `predict` requests with softmax probabilities (and `embed` with penultimate embeddings for the dataset
 * map) until `close`. One thread is plenty for single images and
 * small batches (≈20,000 img/s at 28 px); messages are the typed unions of inference/messages.ts. It also answers
 * "Look inside" (`inspect`, `shift`, `convolve`: native-workers/inspect/inspect.ts), and can load a run's
 * checkpoint.bin instead of a model file (a live view of a running run).
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { embeddingDims, embeddings } from './cnn/explain/embeddings';
import { gradCam } from './cnn/explain/grad-cam';
import { preprocessingFor, readModelFile, type CnnModelMeta, type ModelFileContents } from './cnn/model-file';
import { buildModel, type Model } from './cnn/model';
import { bytesToFloats } from './cnn/train/dataset';
import { fastKernels, fastKernelsBackend } from './kernels/fast-kernels';
import {
  assertNever,
  type FromInferenceWorker,
  type FromWorker,
  type InferenceWorkerData,
  type ToInferenceWorker,
} from './inference/messages';
import { convolveImage, inspectModel, shiftExperiment } from './inspect/inspect';
import { decodeRunCheckpoint } from './training/run-checkpoint';

if (!parentPort) throw new Error('inference-worker must run as a worker thread');
const port = parentPort;
const data = workerData as InferenceWorkerData;
/** Images per forward pass (buffers are sized for it). */
const MAX_BATCH = 32;

function post(message: FromWorker): void {
  port.postMessage(message, transferables(message));
}

function transferables(message: FromWorker): ArrayBuffer[] {
  switch (message.type) {
    case 'result':
      return [message.probabilities.buffer as ArrayBuffer];
    case 'embeddings':
      return [message.values.buffer as ArrayBuffer];
    case 'explanation':
      return [message.probabilities.buffer as ArrayBuffer, message.heatmap.values.buffer as ArrayBuffer];
    case 'ready':
    case 'error':
    case 'failed':
    case 'inspection':
    case 'shifted':
    case 'convolved':
      return [];
    default:
      return assertNever(message);
  }
}

/** The weights of a run's checkpoint as a model file's contents (meta derived like a run's final.model's). */
function readCheckpointFile(checkpointPath: string, labels: string[], runId: string): ModelFileContents {
  const cp = decodeRunCheckpoint(new Uint8Array(fs.readFileSync(checkpointPath)));
  const { spec } = cp;
  if (labels.length !== spec.numClasses)
    throw new Error(`${labels.length} class names for a model with ${spec.numClasses} outputs`);
  const meta: CnnModelMeta = {
    kind: 'cnnmodel',
    version: 1,
    labels,
    preprocessing: preprocessingFor(spec),
    metrics: {
      accuracy: { train: null, val: null, test: null },
      epochs: cp.loop.epochs.length,
      bestEpoch: cp.loop.bestEpoch,
    },
    appVersion: 'unknown',
    run: { id: runId, name: '', project: '' },
    createdAt: '',
  };
  return { spec, params: cp.trainer.params, state: cp.trainer.modelState, meta, source: 'run' };
}

function load(): Model | null {
  try {
    const file =
      'checkpointPath' in data
        ? readCheckpointFile(data.checkpointPath, data.labels, data.runId)
        : readModelFile(new Uint8Array(fs.readFileSync(data.modelPath)));
    const model = buildModel(file.spec, {
      seed: 0,
      batchSize: MAX_BATCH,
      kernels: fastKernels(),
      skipInit: true,
    });
    model.loadParams(file.params, file.state);
    labels = file.meta.labels;
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

/** Penultimate embeddings [count, dims] of uint8 images, converted a batch at a time (no full float copy). */
function embed(model: Model, pixels: Uint8Array, count: number): Float32Array {
  const size = model.inputSize;
  if (!Number.isInteger(count) || count < 0 || pixels.length !== count * size)
    throw new Error(`expected ${count} images of ${size} bytes, got ${pixels.length} bytes`);
  const dims = embeddingDims(model);
  const out = new Float32Array(count * dims);
  const x = new Float32Array(Math.min(count, MAX_BATCH) * size);
  for (let from = 0; from < count; from += MAX_BATCH) {
    const n = Math.min(MAX_BATCH, count - from);
    const input = x.subarray(0, n * size);
    bytesToFloats(pixels, from * size, n * size, input); // as training saw them
    out.set(embeddings(model, input, n), from * dims);
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

/** One uint8 image [C, H, W] as the network takes it. */
function imageOf(model: Model, pixels: Uint8Array): Float32Array {
  if (pixels.length !== model.inputSize)
    throw new Error(`expected one image of ${model.inputSize} bytes, got ${pixels.length} bytes`);
  const x = new Float32Array(model.inputSize);
  bytesToFloats(pixels, 0, model.inputSize, x); // as training saw them
  return x;
}

function checkClass(model: Model, classIndex: number | undefined): void {
  if (
    classIndex !== undefined &&
    !(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < model.numClasses)
  )
    throw new Error(`classIndex must be 0..${model.numClasses - 1}, got ${classIndex}`);
}

/** Answers a "Look inside" request. */
function inspectRequest(
  model: Model,
  labels: string[],
  message: Extract<ToInferenceWorker, { type: 'inspect' | 'shift' | 'convolve' }>,
): FromWorker {
  const started = performance.now();
  const image = imageOf(model, message.pixels);
  const millis = () => performance.now() - started;
  switch (message.type) {
    case 'inspect': {
      checkClass(model, message.classIndex);
      const found = inspectModel(model, image, labels, message.classIndex);
      const { heatmap } = found;
      return {
        type: 'inspection',
        id: message.id,
        inspection: {
          input: found.input,
          top: found.top,
          layers: found.layers,
          filters: found.filters,
          heatmap: {
            width: heatmap.width,
            height: heatmap.height,
            // 4 decimals are plenty for an 8-bit overlay, and keep the IPC payload short
            values: Array.from(heatmap.values, (v) => Math.round(v * 1e4) / 1e4),
            label: labels[heatmap.classIndex],
            layerIndex: heatmap.layerIndex,
          },
        },
        millis: millis(),
      };
    }
    case 'shift': {
      const { originalLabel, points } = shiftExperiment(model, image, labels, message.offsets, message.flip);
      return { type: 'shifted', id: message.id, experiment: { originalLabel, points }, millis: millis() };
    }
    case 'convolve':
      return {
        type: 'convolved',
        id: message.id,
        result: convolveImage(model, image, message.kernel),
        millis: millis(),
      };
    default:
      return assertNever(message);
  }
}

function failure(id: number, error: unknown): FromInferenceWorker {
  return { type: 'error', id, detail: error instanceof Error ? error.message : String(error) };
}

let labels: string[] = [];
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
      case 'embed': {
        const started = performance.now();
        try {
          const values = embed(model, message.pixels, message.count);
          const dims = embeddingDims(model);
          post({ type: 'embeddings', id: message.id, values, dims, millis: performance.now() - started });
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
      case 'inspect':
      case 'shift':
      case 'convolve':
        try {
          post(inspectRequest(model, labels, message));
        } catch (error) {
          post(failure(message.id, error));
        }
        break;
      case 'close':
        port.close();
        break;
      default:
        assertNever(message);
    }
  });
