/**
 * The messages between main (main/services/prediction/inference-client.ts) and a persistent inference worker
 * (native-workers/inference-worker.ts). The worker loads one model file once (its workerData), reports `ready`,
 * then answers `predict` and `explain` requests until `close`. Both directions are discriminated unions handled in exhaustive
 * switches (assertNever): a new kind is a compile error until both sides handle it.
 *
 * "Look inside" (issue 10) adds `inspect`, `shift` and `convolve` requests; their answers are a union of their own
 * (InspectAnswer), so that the prediction client (main/services/prediction/inference-client.ts), which never sends
 * them, stays exhaustive over FromInferenceWorker; the inspect client (main/services/inspect/inspect-client.ts)
 * handles FromWorker, both. A live view loads a run's checkpoint.bin instead of a model file (workerData
 * `checkpointPath`): the weights of the newest epoch of a running or paused run.
 */
import type { ConvolveResult, Inspection, ShiftExperiment } from '../../app/domain/inspect';
import type { ModelSpec } from '../../app/domain/model-spec';
import type { CnnModelMeta } from '../cnn/model-file';

/** workerData of an inference worker. */
export type InferenceWorkerData =
  /** A `.cnnmodel` or a run's final.model. */
  | { modelPath: string }
  /**
   * A run's checkpoint.bin (its weights and batchnorm statistics; the optimizer state is ignored), with the run's
   * class names; `ready` reports meta.metrics.epochs = the epochs it has finished.
   */
  | { checkpointPath: string; labels: string[]; runId: string };

/** Main → worker. */
export type ToInferenceWorker =
  /** Softmax probabilities for `count` uint8 images [count, C, H, W] (the buffer is transferred). */
  | { type: 'predict'; id: number; pixels: Uint8Array; count: number }
  /**
   * Grad-CAM of one uint8 image [C, H, W] (transferred) for `classIndex` (default: the predicted class), from an
   * unfused eval-mode forward and one backward pass (native-workers/cnn/explain/grad-cam.ts).
   */
  | { type: 'explain'; id: number; pixels: Uint8Array; classIndex?: number }
  /**
   * Penultimate-layer embeddings (the final dense layer's input, eval mode) of `count` uint8 images
   * [count, C, H, W] (transferred), for the dataset map (native-workers/cnn/explain/embeddings.ts).
   */
  | { type: 'embed'; id: number; pixels: Uint8Array; count: number }
  /**
   * "Look inside" one uint8 image [C, H, W] (transferred): every layer's output, the filters, the top classes and
   * Grad-CAM of `classIndex` (default: the predicted class); native-workers/inspect/inspect.ts.
   */
  | { type: 'inspect'; id: number; pixels: Uint8Array; classIndex?: number }
  /** The translation experiment on one uint8 image (transferred): each offset, flipped first when `flip`. */
  | { type: 'shift'; id: number; pixels: Uint8Array; offsets: { dx: number; dy: number }[]; flip: boolean }
  /** The filter playground: one uint8 image (transferred) convolved with a 3×3 kernel (row-major). */
  | { type: 'convolve'; id: number; pixels: Uint8Array; kernel: number[] }
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
  /** The answer to `embed` id: float32 [count, dims] (transferred). */
  | { type: 'embeddings'; id: number; values: Float32Array; dims: number; millis: number }
  /** `predict` or `explain` id failed (the worker keeps serving). */
  | { type: 'error'; id: number; detail: string }
  /** The model could not be loaded; the worker exits after this. */
  | { type: 'failed'; detail: string };

/** Worker → main: the answers to `inspect`, `shift` and `convolve` (failures are FromInferenceWorker `error`). */
export type InspectAnswer =
  /** What `inspect` found (main adds the run and epoch); heatmap.label is the class explained. */
  | {
      type: 'inspection';
      id: number;
      inspection: Omit<Inspection, 'runId' | 'epoch' | 'millis'>;
      millis: number;
    }
  | { type: 'shifted'; id: number; experiment: ShiftExperiment; millis: number }
  | { type: 'convolved'; id: number; result: ConvolveResult; millis: number };

/** Everything an inference worker sends. */
export type FromWorker = FromInferenceWorker | InspectAnswer;

/** For exhaustive switches: a compile error when a case is missing. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
