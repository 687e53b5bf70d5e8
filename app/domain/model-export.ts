/** Exporting a trained model for other apps (the Export view and `cnn-studio export`). */

export const MODEL_EXPORT_FORMATS = ['onnx', 'tfjs', 'native'] as const;
export type ModelExportFormat = (typeof MODEL_EXPORT_FORMATS)[number];

/**
 * The automatic check after an export: the exported model (onnxruntime-web, tfjs cpu, or our own reader) on up to
 * 32 validation images at batch sizes 1, 3 and all, against the app's own predictions.
 */
export interface ExportParity {
  /** Largest absolute difference of any probability. */
  maxAbsDiff: number;
  /** Fraction of images whose top-1 class agrees (1 = all). */
  top1Agreement: number;
  images: number;
  /** Where the images came from: 'val' | 'test' | 'train' | 'synthetic' (a project without images). */
  source: string;
  batchSizes: number[];
  /** maxAbsDiff ≤ 1e-4 and every top-1 agrees. */
  ok: boolean;
}

export interface ModelExportResult {
  format: ModelExportFormat;
  /** Absolute folder written. */
  dir: string;
  /** File names written into dir. */
  files: string[];
  parity: ExportParity;
  runId: string;
  runName: string;
}

/** Stages of a running export, for its progress line. */
export interface ModelExportProgress {
  projectId: string;
  exportId: string;
  stage: 'writing' | 'checking' | 'done';
}
