import type { ImportProgress, ImportSummary } from '../domain/dataset';
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
} as const;

/** Every event channel name. */
export type EventName = keyof typeof eventChannels;
/** The payload type of one event channel. */
export type EventPayload<E extends EventName> = NonNullable<(typeof eventChannels)[E]['payload']>;
