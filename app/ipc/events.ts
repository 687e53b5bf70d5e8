import type { ImportProgress, ImportSummary } from '../domain/dataset';
import type { DatasetMapFinished, DatasetMapProgress } from '../domain/dataset-map';
import type { ModelExportProgress } from '../domain/model-export';
import type { PredictionFinished, PredictionProgress } from '../domain/prediction';
import type { SuggestionsProgress, SuggestionsStatus } from '../domain/suggestions';
import type { TrainingPackageProgress } from '../domain/training-package';
import type { TrainingEpochEvent, TrainingProgress, TrainingStatusEvent } from '../domain/training';
import { event } from './define';

/**
 * Event channels main pushes to the page (`domain:event`). Each feature adds its own; payloads are plain data.
 */
export const eventChannels = {
  /** The project list changed (created, renamed, deleted, restored) — from this window, the CLI or another. */
  'projects:changed': event<{ reason: string }>(),
  /** An import's progress, about 4×/s while it runs. */
  'dataset:importProgress': event<ImportProgress>(),
  /** An import ended (completed, cancelled or failed) with its summary. */
  'dataset:importFinished': event<ImportSummary>(),
  /** A project's images, labels or splits changed (reason: import, labels, removed, restored, splits, undo, redo). */
  'dataset:changed': event<{ projectId: string; reason: string }>(),
  /** The running run's progress, at most ~10×/s. */
  'training:progress': event<TrainingProgress>(),
  /** A run finished an epoch (its checkpoint is written). */
  'training:epoch': event<TrainingEpochEvent>(),
  /** A run's status changed; also sent when a run is renamed, deleted or picked as the model. */
  'training:status': event<TrainingStatusEvent>(),
  /** A prediction batch's progress and newly finished items, at most ~10×/s. */
  'prediction:progress': event<PredictionProgress>(),
  /** A prediction batch ended (completed, cancelled or failed). */
  'prediction:finished': event<PredictionFinished>(),
  /** The operating system asked the app to open a model file (a `.cnnmodel` double-clicked or dropped on the icon). */
  'app:openModelFile': event<{ file: string }>(),
  /** A model export moved to its next stage. */
  'export:progress': event<ModelExportProgress>(),
  /** Suggestions being made: images predicted so far. */
  'suggestions:progress': event<SuggestionsProgress>(),
  /** Suggestions were made, cancelled or failed, or went stale (a run finished, the model changed): the new status. */
  'suggestions:finished': event<SuggestionsStatus>(),
  /** A dataset map computation's phase and progress. */
  'datasetMap:progress': event<DatasetMapProgress>(),
  /** A dataset map computation ended. */
  'datasetMap:finished': event<DatasetMapFinished>(),
  /** A training package export's progress: images copied, then its other files, then done. */
  'trainingPackage:progress': event<TrainingPackageProgress>(),
} as const;

/** Every event channel name. */
export type EventName = keyof typeof eventChannels;
/** The payload type of one event channel. */
export type EventPayload<E extends EventName> = NonNullable<(typeof eventChannels)[E]['payload']>;
