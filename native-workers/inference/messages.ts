/**
 * The messages between main (main/services/prediction/inference-client.ts) and a persistent inference worker
 * (native-workers/inference-worker.ts). The worker loads one model file once (its workerData), reports `ready`,
 * then answers `predict` and `explain` requests until `close`. Both directions are discriminated unions handled in exhaustive
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
  /**
   * Grad-CAM of one uint8 image [C, H, W] (transferred) for `classIndex` (default: the predicted class), from an
   * unfused eval-mode forward and one backward pass (native-workers/cnn/explain/grad-cam.ts).
   */
  | { type: 'explain'; id: number; pixels: Uint8Array; classIndex?: number }
  /** Finish and exit. */
  | { type: 'close' };

/** A Grad-CAM map as it crosses the thread boundary: the target layer's resolution, values in [0, 1]. */
export interface HeatmapData {
  width: number;
  height: number;
  /** [height, width] row-major (transferred). */
  values: Float32Array;
  /** The layer whose activations it weighs (−1: the input, for a model without spatial layers). */
  layerIndex: number;
}

/** Worker → main. */
export type FromInferenceWorker =
  /** The model is loaded (backend: the kernels that run it). */
  | { type: 'ready'; spec: ModelSpec; meta: CnnModelMeta; source: 'cnnmodel' | 'run'; backend: string }
  /** The answer to `predict` id: probabilities [count, classes] (transferred). */
  | { type: 'result'; id: number; probabilities: Float32Array; classes: number; millis: number }
  /** The answer to `explain` id: the image's probabilities [classes] and the map of class `classIndex`. */
  | {
      type: 'explanation';
      id: number;
      probabilities: Float32Array;
      heatmap: HeatmapData;
      classIndex: number;
      millis: number;
    }
  /** `predict` or `explain` id failed (the worker keeps serving). */
  | { type: 'error'; id: number; detail: string }
  /** The model could not be loaded; the worker exits after this. */
  | { type: 'failed'; detail: string };

/** For exhaustive switches: a compile error when a case is missing. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
