/**
 * The messages between main (main/services/prediction/inference-client.ts) and a persistent inference worker
 * (native-workers/inference-worker.ts). The worker loads one model file once (its workerData), reports `ready`,
 * then answers `predict` requests until `close`. Both directions are discriminated unions handled in exhaustive
 * switches (assertNever): a new kind is a compile error until both sides handle it.
 */
import type { ModelSpec } from '../../app/domain/model-spec';
import type { CnnModelMeta } from '../cnn/model-file';

/** workerData of an inference worker. */
export interface InferenceWorkerData {
  /** A `.cnnmodel` or a run's final.model. */
  modelPath: string;
}

/** Main → worker. */
export type ToInferenceWorker =
  /** Softmax probabilities for `count` uint8 images [count, C, H, W] (the buffer is transferred). */
  | { type: 'predict'; id: number; pixels: Uint8Array; count: number }
  /** Finish and exit. */
  | { type: 'close' };

/** Worker → main. */
export type FromInferenceWorker =
  /** The model is loaded (backend: the kernels that run it). */
  | { type: 'ready'; spec: ModelSpec; meta: CnnModelMeta; source: 'cnnmodel' | 'run'; backend: string }
  /** The answer to `predict` id: probabilities [count, classes] (transferred). */
  | { type: 'result'; id: number; probabilities: Float32Array; classes: number; millis: number }
  /** `predict` id failed (the worker keeps serving). */
  | { type: 'error'; id: number; detail: string }
  /** The model could not be loaded; the worker exits after this. */
  | { type: 'failed'; detail: string };

/** For exhaustive switches: a compile error when a case is missing. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
