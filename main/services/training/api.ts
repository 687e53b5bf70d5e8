/**
 * What the training feature offers the IPC handlers and the CLI (implemented in this folder). Kept as interfaces
 * so the CLI and handlers depend on the contract, not on the supervisor's internals.
 */
import type {
  AugmentationSettings,
  EvalSplit,
  EvaluationReport,
  ImagePrediction,
  RunDetail,
  RunSummary,
  TrainingDefaults,
  TrainingEpochEvent,
  TrainingProgress,
  TrainingSettings,
  TrainingState,
  TrainingStatusEvent,
} from '../../../app/domain/training';

/** Every training event, for in-process listeners (the CLI's progress bar). */
export type TrainingListenerEvent =
  | { kind: 'progress'; payload: TrainingProgress }
  | { kind: 'epoch'; payload: TrainingEpochEvent }
  | { kind: 'status'; payload: TrainingStatusEvent };

/** How a run ended, for `train` (CLI): the run, and the checkpoint epoch it was resumed from (null when fresh). */
export interface RunOutcome {
  run: RunDetail;
  resumedFrom: { epoch: number } | null;
}

export interface AugmentPreview {
  channels: number;
  height: number;
  width: number;
  images: { imageId: number; original: string; augmented: string[] }[];
}

export interface TrainingApi {
  /** The settings to show for a project (remembered, else the recommended preset's). */
  defaults(projectId: string): TrainingDefaults;
  /**
   * Starts a run (or queues it behind other projects' runs) and answers at once. Fails with `conflict` when the
   * project already has an active run (in this process or another), `invalid-payload` for settings that do not
   * fit (too few classes, no training images, an invalid model), with details `{ code: TrainingFailureCode }`.
   * The settings are remembered for the project.
   */
  start(projectId: string, settings: TrainingSettings, name?: string): RunSummary;
  pause(projectId: string, runId: string): Promise<RunSummary>;
  /** Continues a paused run, or an interrupted one from its last checkpoint (`not-found` when it has none). */
  resume(projectId: string, runId: string): RunSummary;
  stop(projectId: string, runId: string): Promise<RunSummary>;
  status(projectId: string): TrainingState;
  /** The project's run that `--resume` would continue (interrupted or paused, newest first), or null. */
  resumable(projectId: string): RunSummary | null;
  /** Resolves when the run reaches completed, stopped or failed (or interrupted, if this process stops it). */
  waitFor(projectId: string, runId: string): Promise<RunOutcome>;
  /** Subscribes to every training event in this process; returns the unsubscribe function. */
  subscribe(listener: (event: TrainingListenerEvent) => void): () => void;
  augmentPreview(
    projectId: string,
    input: { augmentation: AugmentationSettings; count: number; variants: number; seed: number },
  ): AugmentPreview;
  /** Checkpoints and ends every active run (marked interrupted, resumable), ends the workers. */
  dispose(): Promise<void>;
}

export interface RunsApi {
  list(projectId: string): RunSummary[];
  show(projectId: string, runId: string): RunDetail;
  /** A run by id or (case-insensitive) name; `not-found` otherwise. */
  resolve(projectId: string, idOrName: string): RunSummary;
  rename(projectId: string, runId: string, name: string): RunSummary;
  delete(projectId: string, runId: string): void;
  /** Picks the project's model (null: back to the newest completed run); answers the model run. */
  use(projectId: string, runId: string | null): RunSummary | null;
  /** The project's model run, or null when no run has finished with weights. */
  modelRun(projectId: string): RunSummary | null;
}

export interface EvaluationApi {
  /** A run's (default: the model's) results on a split with the current labels. */
  evaluate(projectId: string, split: EvalSplit, runId?: string): Promise<EvaluationReport>;
  /**
   * Evaluates a class-per-folder tree without importing it (folder names matched to the model's classes, case-
   * insensitively; unknown names fail with `invalid-payload` listing them, details `{ unknownFolders }`).
   */
  evaluateFolder(projectId: string, folder: string, runId?: string): Promise<EvaluationReport>;
  predictions(
    projectId: string,
    query: {
      runId?: string;
      split: EvalSplit;
      trueLabel?: string;
      predicted?: string;
      order: 'loss' | 'confidence';
      onlyWrong: boolean;
      limit: number;
    },
  ): Promise<ImagePrediction[]>;
}
