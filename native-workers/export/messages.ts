/**
 * The messages between main (main/services/export/parity-client.ts) and the export parity worker
 * (native-workers/export-parity-worker.ts). Main sends one `check`; the worker loads the exported model from the
 * export folder (onnxruntime-web for ONNX, @tensorflow/tfjs's cpu backend for TF.js, our reader for .cnnmodel),
 * runs it and the app's own model on the same images and answers `result` (or `failed`), then exits. Both
 * directions are discriminated unions handled in exhaustive switches (assertNever).
 */
import type { ExportParity, ModelExportFormat } from '../../app/domain/model-export';

/** What the check needs: the export folder, the app's own model file and the images to compare on. */
export interface ExportParityRequest {
  format: ModelExportFormat;
  /** The export folder (model.onnx, model.json + weights.bin, or model.cnnmodel in it). */
  dir: string;
  /** The run's own model file (final.model): the app's predictions. */
  modelPath: string;
  /** [count, C, H, W] floats in [0, 1] (transferred). */
  x: Float32Array;
  count: number;
  /** Where the images came from ('val' | 'test' | 'train' | 'synthetic'). */
  source: string;
}

/** Main → worker. */
export type ToExportParityWorker = { type: 'check'; request: ExportParityRequest };

/** Worker → main. */
export type FromExportParityWorker =
  /** The check ran (parity.ok tells whether it passed); millis: time spent in the worker. */
  | { type: 'result'; parity: ExportParity; millis: number }
  /** The exported model could not be loaded or run. */
  | { type: 'failed'; detail: string };

/** For exhaustive switches: a compile error when a case is missing. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
