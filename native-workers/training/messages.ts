/**
 * The messages between the training service (main) and a training worker (native-workers/training-worker.ts).
 * Both directions are discriminated unions; each side handles them in an exhaustive switch (assertNever), so a
 * new message kind is a compile error until every side handles it.
 *
 * A worker runs one job, given in its workerData (`TrainingJob`): train (or resume) a run, or predict with a saved
 * model. Files are written by the worker (atomically: temp file, fsync, rename) before it reports them, so what
 * main records in the database always exists on disk.
 */
import type { ModelSpec, TrainingConfig } from '../../app/domain/model-spec';
import type { EpochMetrics } from '../../app/domain/training';

/** Where the worker reads pixels: the project's tensor cache, for these images, in this order. */
export interface TensorSource {
  /** The project's SQLite file (opened read-only in the worker). */
  dbPath: string;
  /** better_sqlite3.node for this runtime (Electron's ABI build), else the default. */
  sqliteBinding?: string;
  imageIds: Int32Array;
}

/** The files of one run (all inside `<projectDir>/runs/<runId>/`). */
export interface RunFiles {
  dir: string;
  checkpoint: string;
  bestModel: string;
  finalModel: string;
  /** The weights a run started from (settings.initFrom), copied here so the run never depends on their source. */
  initModel: string;
}

export interface TrainJob {
  kind: 'train';
  runId: string;
  spec: ModelSpec;
  config: TrainingConfig;
  /** Early-stopping patience in epochs (0 = off). */
  patience: number;
  workers: number;
  /** Training images and their class indices (parallel arrays). */
  train: TensorSource;
  trainLabels: Int32Array;
  /** Validation images (may be empty). */
  val: TensorSource;
  valLabels: Int32Array;
  files: RunFiles;
  /** Continue from files.checkpoint instead of starting fresh. */
  resume: boolean;
  /** A fresh run starts from the weights in files.initModel instead of random ones. */
  startFromInit: boolean;
  /** Class names, stored in the model files' metadata. */
  classNames: string[];
  /** Test images (never trained on): predicted with the kept model at the end, like train and val (evaluation). */
  test: TensorSource;
  /** Tests only: make the worker fail in a given way after `afterSteps` steps. */
  fault?: { kind: 'throw' | 'oom' | 'exit'; afterSteps: number };
}

export interface PredictJob {
  kind: 'predict';
  modelPath: string;
  /** Images from the tensor cache, or raw uint8 pixels [count, C, H, W]. */
  input: { kind: 'tensors'; source: TensorSource } | { kind: 'pixels'; pixels: Uint8Array; count: number };
}

/** workerData of a training worker. */
export type TrainingJob = TrainJob | PredictJob;

/** Main → worker, during a train job. */
export type ToTrainingWorker =
  /** Finish the current batch, write a checkpoint, report `paused`, and wait. */
  | { type: 'pause' }
  /** Continue after `pause`. */
  | { type: 'resume' }
  /** Finish the current batch, write a checkpoint and the final model, report `finished` with status stopped. */
  | { type: 'stop' };

/** One epoch's figures as the worker reports them (the domain's EpochMetrics: epoch is 1-based). */
export type WorkerEpoch = EpochMetrics;

/** Softmax outputs of a predict pass: argmax, its probability, and every probability (count × classes). */
export interface PredictionBatch {
  predicted: Int32Array;
  confidence: Float32Array;
  probabilities: Float32Array;
  classes: number;
}

/** Worker → main. */
export type FromTrainingWorker =
  /** The data is loaded and the threads are up; training starts (resumedFrom: epochs already done). */
  | {
      type: 'started';
      backend: string;
      batchesPerEpoch: number;
      totalSteps: number;
      resumedFrom: { epoch: number; step: number } | null;
      /** Epochs restored from the checkpoint (so main can reconcile its table). */
      history: WorkerEpoch[];
    }
  /** Batch progress since the last report (at most ~10/s). */
  | {
      type: 'progress';
      epoch: number;
      batch: number;
      batchesPerEpoch: number;
      step: number;
      totalSteps: number;
      loss: number;
      accuracy: number;
      learningRate: number;
      imagesPerSecond: number;
    }
  /** An epoch ended and its checkpoint (and best model, when it improved) is on disk. */
  | { type: 'epoch'; metrics: WorkerEpoch; checkpointWritten: boolean; bestEpoch: number; improved: boolean }
  /** Paused after a checkpoint at (epoch, batch). */
  | { type: 'paused'; epoch: number; batch: number }
  | { type: 'resumed' }
  /** Training ended (completed, early-stopped or stopped); the final model file is written. */
  | {
      type: 'finished';
      status: 'completed' | 'stopped';
      earlyStopped: boolean;
      bestEpoch: number | null;
      /** Validation accuracy of the weights in the final model. */
      finalValAccuracy: number | null;
      imagesPerSecond: number;
    }
  /** Predictions (after `finished` of a train job with a predict source, or the answer of a predict job). */
  | { type: 'predictions'; imageIds: Int32Array | null; batch: PredictionBatch }
  /** The job is over; the worker exits after this. */
  | { type: 'done' }
  /** The job failed; the worker exits after this. */
  | {
      type: 'failed';
      code: 'worker-error' | 'out-of-memory' | 'checkpoint' | 'invalid-model';
      detail: string;
    };

/** For exhaustive switches: a compile error when a case is missing. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
