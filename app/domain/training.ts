/**
 * Training, runs and evaluation: plain data shared by the training service, the CLI and the UI.
 *
 * Vocabulary (one name per concept): a **model** is an architecture (spec) with its weights; **training** is the
 * process; a **run** is one training of one model with its settings, metrics and checkpoints. The project's model
 * is the run `runs:use` picked, else the newest completed run.
 *
 * Main sends codes and numbers only; the renderer words them (i18n dictionaries).
 */
import type { LayerSpec, ModelDescription, ModelSpec } from './model-spec';
import type { ModelPresetName } from './model-description';
import type { ImportedModelOrigin } from './training-package';

export const OPTIMIZERS = ['adam', 'adamw', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const LR_SCHEDULES = ['constant', 'step', 'cosine'] as const;
export type LrScheduleName = (typeof LR_SCHEDULES)[number];

/** Which architecture a run trains: a preset built for the project, or the user's own layer list. */
export type ModelChoice =
  | { kind: 'preset'; preset: ModelPresetName }
  /** Layers from the editor; the input comes from the project and a final dense layer of numClasses is added. */
  | { kind: 'custom'; layers: LayerSpec[] };

/** Seeded augmentation of training batches (never of validation or test images). */
export interface AugmentationSettings {
  /** Mirror left-right with probability 0.5. */
  flip: boolean;
  /** Shift by up to this many pixels each way (a padded random crop); 0 = off. */
  shift: number;
  /** Add a random offset in ±brightness (pixels scaled to 0–1); 0 = off. */
  brightness: number;
  /** Scale the contrast around the image mean by a factor in 1 ± contrast; 0 = off. */
  contrast: number;
}

/**
 * Weights a run starts from instead of fresh ones: a finished run of the project, or a model file (`.cnnmodel`
 * export or a run's final.model). The run trains that model's architecture; its classes must be the project's.
 */
export type InitSource = { kind: 'run'; runId: string } | { kind: 'file'; file: string };

/** Everything the user chooses for a run (the project supplies the input size, colour and classes). */
export interface TrainingSettings {
  model: ModelChoice;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** SGD only. */
  momentum: number;
  weightDecay: number;
  schedule: LrScheduleName;
  /** cosine schedule: the rate it ends at (absent = 0). */
  minLearningRate?: number;
  /** step schedule: multiply the rate by `stepGamma` every `stepEvery` epochs. */
  stepEvery: number;
  stepGamma: number;
  /** Linear warm-up over this many epochs (fractions allowed); 0 = none. */
  warmupEpochs: number;
  /** Early stopping: stop after this many epochs without a lower validation loss, and keep the best epoch's weights. 0 = off. */
  patience: number;
  seed: number;
  augmentation: AugmentationSettings;
  /** Worker threads for the gradient computation; null = every core. */
  workers: number | null;
  /** Continue training from these weights (the model choice is then the source's architecture); absent = fresh. */
  initFrom?: InitSource | null;
}

export const RUN_STATUSES = [
  'queued',
  'running',
  'paused',
  'completed',
  'stopped',
  'failed',
  'interrupted',
] as const;
/**
 * queued → running ⇄ paused → completed | stopped | failed. `interrupted`: the process that ran it died (crash,
 * kill -9, power loss); it can be resumed from its last checkpoint.
 */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Why a run failed or cannot start (the renderer words the code; `detail` is technical, shown as is). */
export const TRAINING_FAILURES = [
  /** The training code threw (detail: the message). */
  'worker-error',
  /** A worker ran out of its memory limit. */
  'out-of-memory',
  /** A worker thread exited unexpectedly (detail: the exit code). */
  'worker-exit',
  /** Fewer than two classes have training images. */
  'too-few-classes',
  /** No labeled images in the train split. */
  'no-training-images',
  /** The model spec does not fit the project (detail: the spec error). */
  'invalid-model',
  /** The checkpoint could not be written or read. */
  'checkpoint',
  /** The weights to start from cannot be read (detail: why). */
  'init-unreadable',
  /** The weights to start from were trained on other classes or another input size (detail: which). */
  'init-mismatch',
  /** A write of the run (checkpoint, model, records) met a full disk; the run is interrupted, resumable. */
  'disk-full',
  /** A write of the run met a read-only data folder; the run is interrupted, resumable. */
  'storage-read-only',
] as const;
export type TrainingFailureCode = (typeof TRAINING_FAILURES)[number];

export interface TrainingFailure {
  code: TrainingFailureCode;
  detail: string;
}

/** One finished epoch (1-based). Validation figures are null when the project has no validation images. */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  /** Wall time of the epoch, training and validation. */
  seconds: number;
  /** Training images per second over the epoch (training steps, checkpoints and events; not validation). */
  imagesPerSecond: number;
  /** Learning rate at the end of the epoch. */
  learningRate: number;
}

/** The dataset a run used, frozen when it started. */
export interface RunDatasetSummary {
  /** Class names in class-index order (the model's outputs). */
  classNames: string[];
  train: number;
  val: number;
  test: number;
  /** Labels left out because they had no training images. */
  leftOutLabels: string[];
}

/** One run as lists show it. */
export interface RunSummary {
  id: string;
  /** Unique within the project; defaults to "run-N". */
  name: string;
  status: RunStatus;
  /** 'custom' for a layer-editor model. */
  preset: ModelPresetName | 'custom';
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  epochsPlanned: number;
  epochsDone: number;
  /** Epoch (1-based) with the lowest validation loss (the last one without validation); null before the first. */
  bestEpoch: number | null;
  bestValAccuracy: number | null;
  /** Validation accuracy of the weights the run keeps (the best epoch's with early stopping). */
  finalValAccuracy: number | null;
  /** Mean training images per second. */
  imagesPerSecond: number | null;
  failure: TrainingFailure | null;
  /** True when this run is the project's model. */
  isModel: boolean;
  /** True when `training:resume` / `train --resume` can continue it (paused or interrupted with a checkpoint). */
  resumable: boolean;
  /** Epoch of the newest checkpoint (0 = only a mid-epoch one; null = none yet). */
  checkpointEpoch: number | null;
  /** Where a run imported from a model file (`import-model`) came from; null for runs trained in the app. */
  imported: ImportedModelOrigin | null;
}

/** One run with everything it recorded. */
export interface RunDetail extends RunSummary {
  settings: TrainingSettings;
  spec: ModelSpec;
  description: ModelDescription;
  dataset: RunDatasetSummary;
  epochs: EpochMetrics[];
  /** The kernel backend that trained it (e.g. "native-avx512, zero-copy"); null before it started. */
  kernels: string | null;
}

/** Live progress of the running run (about 10 per second at most). */
export interface TrainingProgress {
  projectId: string;
  runId: string;
  /** 1-based epoch in progress. */
  epoch: number;
  epochs: number;
  /** Batches done in this epoch. */
  batch: number;
  batchesPerEpoch: number;
  /** Mean loss and accuracy of the batches since the last progress event. */
  loss: number;
  accuracy: number;
  /** Global step (batches since the run began). */
  step: number;
  totalSteps: number;
  learningRate: number;
  imagesPerSecond: number;
  /** Estimated seconds to the end of the run; null until measurable. */
  secondsLeft: number | null;
}

/** A run's status changed (started, paused, resumed, finished, failed, interrupted, queued). */
export interface TrainingStatusEvent {
  projectId: string;
  runId: string;
  status: RunStatus;
  failure: TrainingFailure | null;
  /** Completed by early stopping (patience reached). */
  earlyStopped?: boolean;
}

/** A run finished an epoch (its checkpoint is on disk by then). */
export interface TrainingEpochEvent {
  projectId: string;
  runId: string;
  metrics: EpochMetrics;
}

/** What `training:status` answers: the project's active run (running, paused or queued) and its last progress. */
export interface TrainingState {
  active: RunSummary | null;
  progress: TrainingProgress | null;
  /** Runs of other projects ahead in the queue (0 when this project's run is running). */
  queuePosition: number;
}

/** What `training:defaults` answers: the settings to show (the remembered ones, else the preset's). */
export interface TrainingDefaults {
  settings: TrainingSettings;
  /** Core count, for the workers setting. */
  cores: number;
  /** Labels that have no training images and would be left out. */
  leftOutLabels: string[];
  /** Labels that would be trained. */
  classNames: string[];
}

export const EVAL_SPLITS = ['train', 'val', 'test'] as const;
export type EvalSplit = (typeof EVAL_SPLITS)[number];

/** Precision, recall and F1 of one class. */
export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Images whose true label is this class. */
  support: number;
}

/** A model's results on one split (current labels), or on a folder. */
export interface EvaluationReport {
  runId: string;
  split: EvalSplit | 'folder';
  accuracy: number;
  loss: number;
  count: number;
  perClass: ClassReport[];
  /** matrix[true][predicted]; labels in the model's class order. */
  confusion: { labels: string[]; matrix: number[][] };
  macroF1: number;
  /** Labeled images of this split whose label is not one of the model's classes (not counted). */
  unknownLabelCount: number;
}

/** One image with the model's prediction. */
export interface ImagePrediction {
  imageId: number;
  /** For the thumbnail (media URLs are by content hash) and the image's name. */
  sha256: string;
  fileName: string;
  /** Current label (null = unlabeled). */
  label: string | null;
  predicted: string;
  /** Probability of the predicted class. */
  confidence: number;
  /** Probability the model gives the current label (null when unlabeled or unknown to the model). */
  labelProbability: number | null;
  /** Cross-entropy of the current label (−log labelProbability). */
  loss: number | null;
}
