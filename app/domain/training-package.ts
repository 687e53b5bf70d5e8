/**
 * Training on a cluster (issue 15): a self-contained PyTorch training package exported from a project
 * (`cnn-studio export-training`), and a model trained elsewhere brought back as a run (`cnn-studio import-model`).
 * Plain data shared by the services, the CLI, the IPC contract and the UI.
 */
import type { ModelPresetName } from './model-description';
import type {
  AugmentationConfig,
  LayerSpec,
  LrScheduleConfig,
  ModelSpec,
  OptimizerConfig,
} from './model-spec';
import type { RunSummary, TrainingSettings } from './training';

/** What the package trains: the project's current training settings, one of its runs, a preset, or a spec. */
export type TrainingPackageSource =
  /** The settings the Train view shows now (the remembered ones, else the default preset's). */
  | { kind: 'settings' }
  | { kind: 'run'; runId: string }
  | { kind: 'preset'; preset: ModelPresetName }
  /** A spec file's contents: a whole ModelSpec (input and classes must fit the project) or custom layers. */
  | { kind: 'spec'; spec: ModelSpec | { layers: LayerSpec[] } };

/** Version of training.json; train.py refuses newer ones. */
export const TRAINING_PACKAGE_VERSION = 1;

/**
 * `training.json` at the package's root: everything train.py needs besides the images. Written by the app, read by
 * train.py (main/services/training-package/python/). Rows of `dataset/manifest.csv` and images of
 * `dataset/tensors.u8` are in the same order.
 */
export interface TrainingPackageFile {
  format: 'cnn-studio-training-package';
  version: typeof TRAINING_PACKAGE_VERSION;
  appVersion: string;
  createdAt: string;
  project: { id: string; name: string };
  source:
    | { kind: 'settings' }
    | { kind: 'run'; runId: string; runName: string }
    | { kind: 'preset'; preset: ModelPresetName }
    | { kind: 'spec' };
  /** A preset name, or 'custom'. */
  modelName: ModelPresetName | 'custom';
  /** The network, with the project's input and classes (numClasses = classNames.length). */
  spec: ModelSpec;
  /** Class names in output order (the model's outputs), as the app would train them. */
  classNames: string[];
  /** The app's settings as the user chose them (informational; `training` is what train.py follows). */
  settings: TrainingSettings;
  /** The resolved recipe, in the CNN core's terms (native-workers/cnn: TrainingConfig), plus early stopping. */
  training: {
    epochs: number;
    /** The app's batch size: one optimizer step sees this many images (train.py: the global batch by default). */
    batchSize: number;
    learningRate: number;
    optimizer: OptimizerConfig;
    schedule: LrScheduleConfig;
    /** Linear warm-up over this many optimizer steps at `batchSize` (0 = none). */
    warmupSteps: number;
    /** Global gradient L2 norm clip; null = off. */
    clipGradNorm: number | null;
    augmentation: AugmentationConfig;
    seed: number;
    /** Early stopping after this many epochs without a lower validation loss, keeping the best weights; 0 = off. */
    patience: number;
  };
  dataset: {
    /** Relative to the package root: `dataset/manifest.csv` (columns file,label,split,sha256; file relative to dataset/). */
    manifest: string;
    /**
     * Relative to the package root: `dataset/tensors.u8`, the app's decoded pixels (what the app trains on): one
     * uint8 C×H×W image per manifest row, in manifest order; the network input is value / 255.
     */
    tensors: string;
    input: { height: number; width: number; channels: number };
    counts: { train: number; val: number; test: number };
  };
}

/** What `export-training` answers (CLI --json and IPC). */
export interface TrainingPackageResult {
  /** Absolute folder written. */
  dir: string;
  /** Paths written, relative to dir, forward slashes (the image files are summarised as `dataset/<split>/…`). */
  files: string[];
  modelName: ModelPresetName | 'custom';
  classNames: string[];
  /** Labels not trained because they have no training images (as a run would leave them out). */
  leftOutLabels: string[];
  counts: { train: number; val: number; test: number };
  /** Learned parameters of the network. */
  totalParams: number;
  /** Bytes written in all. */
  bytes: number;
  /** The command that trains it from the package folder on one machine, e.g. `python3 train.py`. */
  command: string;
}

/** A training package export's progress (event `trainingPackage:progress`): images copied of the total. */
export interface TrainingPackageProgress {
  projectId: string;
  exportId: string;
  stage: 'dataset' | 'files' | 'done';
  done: number;
  total: number;
}

export const IMPORTED_MODEL_FORMATS = ['cnnmodel', 'onnx'] as const;
export type ImportedModelFormat = (typeof IMPORTED_MODEL_FORMATS)[number];

/** Where an imported run came from (null for runs trained in the app). */
export interface ImportedModelOrigin {
  format: ImportedModelFormat;
  /** Base name of the file imported. */
  fileName: string;
  importedAt: string;
}

/** What `import-model` answers (CLI --json and IPC). */
export interface ImportModelResult {
  run: RunSummary;
  format: ImportedModelFormat;
  /** Class names of the model, in output order. */
  labels: string[];
  /** Epoch records imported from the package's metrics.jsonl (0 when there was none). */
  epochs: number;
  /** Absolute path of the metrics file read, or null. */
  metricsFile: string | null;
}
