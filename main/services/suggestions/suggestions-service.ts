/**
 * Label suggestions (issue 11; contract: app/domain/suggestions.ts, app/ipc/channels/suggestions.ts): the
 * project's model (or a run) predicts every unlabeled image in the prediction path's persistent inference worker
 * (PredictionService.model: the same worker serves Predict), and the top-1 class per image is stored as a whole set
 * (suggestion-store.ts). One refresh runs per project; starting another restarts it. A cancelled or failed refresh
 * leaves the previous set as it was. Events: 'suggestions:progress' (≤ ~10×/s) and 'suggestions:finished' (the
 * status) when a refresh ends, and when the project's model changes (the page then offers a refresh).
 *
 * A run that completes as the project's model refreshes its project's suggestions by itself.
 */
import type { AcceptSuggestionsResult, Suggestion, SuggestionsStatus } from '../../../app/domain/suggestions';
import { AppFailure } from '../../../app/ipc/result';
import type { DatasetService } from '../dataset/dataset-service';
import type { PredictionService } from '../prediction/prediction-service';
import type { ProjectStore } from '../project-store';
import type { EventSink } from '../services';
import type { RunsApi, TrainingApi } from '../training/api';
import { makeSuggestions } from './make-suggestions';
import { watchModelChoice } from './model-choice';
import { staleReasons } from './staleness';
import {
  suggestionCounts,
  countUnlabeled,
  readSuggestions,
  recordFailure,
  replaceSuggestions,
  storedSetInfo,
  clearSuggestions,
} from './suggestion-store';

/** Progress events at most this often. */
const PROGRESS_EVERY_MS = 100;

export interface SuggestionsDeps {
  projects: Pick<ProjectStore, 'db'>;
  dataset: Pick<DatasetService, 'assignEach'>;
  runs: RunsApi;
  training: Pick<TrainingApi, 'subscribe'>;
  prediction: Pick<PredictionService, 'model' | 'modelPath'>;
  events: EventSink;
}

interface Job {
  runId: string;
  controller: AbortController;
  progress: { done: number; total: number };
  /** How it ended: null while running. */
  outcome: null | 'done' | 'cancelled' | { code: string; detail: string };
  promise: Promise<void>;
}

/** The code and detail of a refresh's failure (details.code when the failure has one). */
function failureOf(error: unknown): { code: string; detail: string } {
  if (error instanceof AppFailure) {
    const code = (error.details as { code?: unknown } | undefined)?.code;
    return { code: typeof code === 'string' ? code : error.code, detail: error.message };
  }
  return { code: 'prediction-failed', detail: error instanceof Error ? error.message : String(error) };
}

export class SuggestionsService {
  private readonly jobs = new Map<string, Job>();
  private readonly stopWatching: () => void;

  constructor(private readonly deps: SuggestionsDeps) {
    const unsubscribe = deps.training.subscribe((event) => {
      if (event.kind === 'status' && event.payload.status === 'completed')
        this.onRunCompleted(event.payload.projectId, event.payload.runId);
    });
    const unwatch = watchModelChoice(deps.runs, (projectId) => this.onModelChanged(projectId));
    this.stopWatching = () => {
      unsubscribe();
      unwatch();
    };
  }

  status(projectId: string): SuggestionsStatus {
    const db = this.deps.projects.db(projectId);
    const stored = storedSetInfo(db);
    const modelRunId = this.deps.runs.modelRun(projectId)?.id ?? null;
    const job = this.jobs.get(projectId);
    const state: SuggestionsStatus['state'] = job
      ? 'running'
      : modelRunId === null
        ? 'none'
        : stored.error
          ? 'failed'
          : stored.runId === null
            ? 'none'
            : 'ready';
    const counts = suggestionCounts(db);
    return {
      projectId,
      state,
      runId: stored.runId,
      modelRunId,
      computedAt: stored.computedAt,
      count: counts.suggested,
      unlabeled: counts.unlabeled,
      stale: staleReasons(stored.runId, modelRunId, counts),
      histogram: counts.histogram,
      progress: job ? { ...job.progress } : null,
      error: state === 'failed' ? stored.error : null,
    };
  }

  /** Starts (or restarts) a refresh with the project's model or run `runId`; answers the status ('running'). */
  refresh(projectId: string, runId?: string): SuggestionsStatus {
    const run = runId ?? this.deps.runs.modelRun(projectId)?.id;
    if (!run)
      throw new AppFailure('not-found', 'This project has no trained model yet; train one first.', {
        code: 'no-model',
      });
    this.deps.prediction.modelPath({ projectId, runId: run }); // a run without weights fails here, synchronously
    const previous = this.jobs.get(projectId);
    previous?.controller.abort();
    const job: Job = {
      runId: run,
      controller: new AbortController(),
      progress: { done: 0, total: countUnlabeled(this.deps.projects.db(projectId)) },
      outcome: null,
      promise: Promise.resolve(),
    };
    this.jobs.set(projectId, job);
    // The restarted job waits for the previous one to stop, so only one uses the worker and the table at a time.
    job.promise = (previous?.promise ?? Promise.resolve()).then(() => this.run(projectId, job));
    return this.status(projectId);
  }

  /** Makes the suggestions and resolves when done (the CLI); a failed or cancelled refresh rejects. */
  async refreshAndWait(projectId: string, runId?: string): Promise<SuggestionsStatus> {
    this.refresh(projectId, runId);
    const job = this.jobs.get(projectId) as Job;
    await job.promise;
    if (job.outcome === 'cancelled')
      throw new AppFailure('cancelled', 'Making suggestions was cancelled.', { code: 'cancelled' });
    if (job.outcome !== 'done' && job.outcome !== null)
      throw new AppFailure('internal', `Making suggestions failed: ${job.outcome.detail}`, {
        code: job.outcome.code,
      });
    return this.status(projectId);
  }

  /** Resolves when no refresh of the project is running (tests, the CLI after a run completed). */
  async settled(projectId: string): Promise<SuggestionsStatus> {
    for (let job = this.jobs.get(projectId); job; job = this.jobs.get(projectId))
      await job.promise.catch(() => undefined);
    return this.status(projectId);
  }

  cancel(projectId: string): { cancelled: boolean } {
    const job = this.jobs.get(projectId);
    if (!job || job.controller.signal.aborted) return { cancelled: false };
    job.controller.abort();
    return { cancelled: true };
  }

  /** The stored suggestions of unlabeled images (at or above `minConfidence`), most confident first. */
  list(projectId: string, minConfidence?: number): Suggestion[] {
    return readSuggestions(this.deps.projects.db(projectId), { minConfidence });
  }

  /**
   * Accepts suggestions as ONE undoable labeling action: those of `imageIds`, or all at or above `minConfidence`
   * (optionally only those naming `labelId`). Only unlabeled, non-removed images whose suggested class is a project
   * label are labeled; 0 accepted records nothing.
   */
  accept(
    projectId: string,
    which: { imageIds?: number[]; minConfidence?: number; labelId?: number },
  ): AcceptSuggestionsResult {
    if ((which.imageIds === undefined) === (which.minConfidence === undefined))
      throw new AppFailure('invalid-payload', 'Give imageIds or minConfidence (one of them).', {
        code: 'suggest-needs-target',
      });
    if (which.minConfidence !== undefined && !(which.minConfidence >= 0 && which.minConfidence <= 1))
      throw new AppFailure('invalid-payload', 'minConfidence is a fraction from 0 to 1.', {
        code: 'confidence-range',
        min: 0,
        max: 1,
      });
    const db = this.deps.projects.db(projectId);
    if (
      which.labelId !== undefined &&
      db.prepare('SELECT 1 FROM labels WHERE id = ?').get(which.labelId) === undefined
    )
      throw new AppFailure('not-found', `No label ${which.labelId}.`, {
        code: 'label-missing',
        labelId: which.labelId,
      });
    const candidates = readSuggestions(db, { ...which, acceptableOnly: true });
    const { imageIds } = this.deps.dataset.assignEach(
      projectId,
      candidates.map((s) => ({ imageId: s.imageId, labelId: s.labelId as number })),
      {
        description: (n) => `Accept ${n} suggestion${n === 1 ? '' : 's'}`,
        cause: 'suggestion',
        unlabeledOnly: true,
      },
    );
    const accepted = new Set(imageIds);
    const suggestions = candidates.filter((s) => accepted.has(s.imageId));
    return { accepted: suggestions.length, suggestions };
  }

  /** Stops every refresh (nothing is written) and stops listening to training and model choices. */
  async dispose(): Promise<void> {
    this.stopWatching();
    const running = [...this.jobs.values()];
    for (const job of running) job.controller.abort();
    await Promise.all(running.map((job) => job.promise.catch(() => undefined)));
  }

  // ------------------------------------------------------------------ the refresh job

  private async run(projectId: string, job: Job): Promise<void> {
    const { signal } = job.controller;
    let lastEmit = -Infinity;
    const onProgress = (done: number, total: number): void => {
      job.progress = { done, total };
      const now = performance.now();
      if (now - lastEmit < PROGRESS_EVERY_MS && done < total) return;
      lastEmit = now;
      this.deps.events.emit('suggestions:progress', { projectId, done, total });
    };
    try {
      const cancelled = () =>
        new AppFailure('cancelled', 'Making suggestions was cancelled.', { code: 'cancelled' });
      if (signal.aborted) throw cancelled();
      const model = await this.deps.prediction.model({ projectId, runId: job.runId });
      if (signal.aborted) throw cancelled();
      const db = this.deps.projects.db(projectId);
      const set = await makeSuggestions(db, model, { runId: job.runId, signal, onProgress });
      if (signal.aborted) throw cancelled();
      replaceSuggestions(db, set, new Date().toISOString());
      job.outcome = 'done';
    } catch (error) {
      if (signal.aborted || (error instanceof AppFailure && error.code === 'cancelled')) {
        job.outcome = 'cancelled';
      } else {
        job.outcome = failureOf(error);
        this.tryWith(projectId, (db) => recordFailure(db, job.outcome as { code: string; detail: string }));
      }
    } finally {
      // A restarted job reports for itself: only the current one ends the project's refresh.
      if (this.jobs.get(projectId) === job) {
        this.jobs.delete(projectId);
        this.emitStatus(projectId);
      }
    }
  }

  /** Runs `use` on the project's database unless the project is gone (deleted meanwhile). */
  private tryWith(projectId: string, use: (db: ReturnType<ProjectStore['db']>) => void): void {
    try {
      use(this.deps.projects.db(projectId));
    } catch {
      // the project was deleted or closed: there is nothing to record
    }
  }

  private emitStatus(projectId: string): void {
    let status: SuggestionsStatus;
    try {
      status = this.status(projectId);
    } catch {
      return; // the project was deleted meanwhile
    }
    this.deps.events.emit('suggestions:finished', status);
  }

  /** A run completed: when it is the project's model and there are unlabeled images, make their suggestions. */
  private onRunCompleted(projectId: string, runId: string): void {
    try {
      if (this.deps.runs.modelRun(projectId)?.id !== runId) return;
      if (countUnlabeled(this.deps.projects.db(projectId)) > 0) this.refresh(projectId);
      else this.emitStatus(projectId);
    } catch {
      // a refresh that cannot start (weights missing, project gone) leaves the suggestions as they were
    }
  }

  /** The project's model changed (runs:use, a deleted run): no model clears the set; else the page offers a refresh. */
  private onModelChanged(projectId: string): void {
    this.tryWith(projectId, (db) => {
      if (this.deps.runs.modelRun(projectId) === null) clearSuggestions(db);
    });
    this.emitStatus(projectId);
  }
}
