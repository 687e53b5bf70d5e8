/**
 * Prediction of new images with a project's model (or one of its runs): the Predict view, the window drop and
 * `cnn-studio predict` share these shapes. Main sends data (codes, numbers, labels); the page words it.
 */

/** One class and its softmax probability. */
export interface ClassProbability {
  label: string;
  probability: number;
}

/** The model a prediction uses, as `prediction:model` describes it. */
export interface PredictionModelInfo {
  /** Its classes, in output order. */
  labels: string[];
  /** Input size in pixels (square) and colour. */
  inputSize: number;
  color: 'gray' | 'rgb';
  /** 'run': a run's weights (of this project or a run's model file); 'cnnmodel': a `.cnnmodel` export. */
  source: 'run' | 'cnnmodel';
  /** The model file used (absolute). */
  file: string;
  /** The kernels that run it, e.g. "native avx512" or "wasm simd". */
  backend: string;
}

/** Why one image could not be predicted (the page words the code; `detail` is the technical reason). */
export type PredictionFailureCode =
  'not-found' | 'unreadable' | 'not-an-image' | 'too-large' | 'decode-failed' | 'inference-failed';

/** One image of a prediction batch: its best classes (best first), or why it failed. */
export type PredictionItem = {
  /** Position in the batch (stable key; the order files were found in). */
  index: number;
  /** Absolute path of the image file. */
  file: string;
  /** The file's name, for display. */
  name: string;
} & ({ ok: true; top: ClassProbability[] } | { ok: false; code: PredictionFailureCode; detail: string });

/** A Grad-CAM map: how much each region of the image raised the class's score, [0, 1], row-major. */
export interface HeatMap {
  width: number;
  height: number;
  values: number[];
  /** The class the map explains. */
  label: string;
  /** The layer whose activations it weighs (a conv block's output), by index in the model. */
  layerIndex: number;
}

/** What `prediction:explain` answers for one image: the top classes, a preview and the Grad-CAM overlay. */
export interface ImageExplanation {
  file: string;
  top: ClassProbability[];
  /** A small preview of the image as the model saw it framed (data:image/webp;base64,…, longest side ≤ 256 px). */
  thumbnail: string;
  /** Width / height of the original image. */
  width: number;
  height: number;
  /** Grad-CAM of `top[0]` (or of the class asked for). */
  heatmap: HeatMap;
  /** Milliseconds spent decoding and in the network (worker time), for the latency report. */
  millis: { decode: number; network: number };
}

/** Progress of a running batch (sent at most ~10×/s), with the items finished since the last event. */
export interface PredictionProgress {
  projectId: string;
  batchId: string;
  done: number;
  total: number;
  items: PredictionItem[];
}

export type PredictionBatchStatus = 'completed' | 'cancelled' | 'failed';

/** A batch ended (its last items came in the progress events before this). */
export interface PredictionFinished {
  projectId: string;
  batchId: string;
  status: PredictionBatchStatus;
  total: number;
  predicted: number;
  failed: number;
  /** Images per second over the whole batch (decode included). */
  imagesPerSecond: number;
  /** When status is 'failed': why (e.g. no model). */
  error?: { code: string; detail: string };
}

/** What adding a predicted image to the dataset did (through the import path). */
export interface AddToDatasetResult {
  /** added: a new image; duplicate: already in the project (its label is set); failed: see reason. */
  outcome: 'added' | 'duplicate' | 'failed';
  label: string;
  imageId: number | null;
  reason?: string;
}
