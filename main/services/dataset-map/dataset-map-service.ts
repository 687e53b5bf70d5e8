/**
 * The dataset map (issue 11; contract: app/domain/dataset-map.ts, app/ipc/channels/dataset-map.ts): every
 * non-removed image's penultimate embedding from the run's inference worker (the Predict view's model cache), then
 * PCA, kNN and UMAP in a dataset-map worker, cached per run and method in the run's folder (map-file.ts).
 *
 * compute() answers at once: a cached map of the same model file that covers every current image finishes at once
 * (`started: false`, and `datasetMap:finished` completed); otherwise it computes in the background with
 * `datasetMap:progress` (at most 10×/s) and one `datasetMap:finished`. One computation per project: a new one
 * cancels the running one. get() joins the stored map with the current labels and suggestions (map-answer.ts).
 */
import fs from 'node:fs';
import type { DatasetMap, DatasetMapMethod, DatasetMapProgress } from '../../../app/domain/dataset-map';
import { AppFailure } from '../../../app/ipc/result';
import type { PredictionService } from '../prediction/prediction-service';
import type { ProjectStore } from '../project-store';
import type { EventSink } from '../services';
import type { RunsApi } from '../training/api';
import { runFiles } from '../training/run-files';
import { mapAnswer } from './map-answer';
import { startProjection, type ProjectionJob } from './map-client';
import { mapCsv } from './map-csv';
import { currentImageIds, currentLabels, fileAndLabel, tensorsOf } from './map-data';
import { mapFilePath, readMapFile, writeMapFile, type MapHeader, type StoredMap } from './map-file';

/** The map's seed: fixed, so a map is the same every time it is computed from the same model and images. */
export const MAP_SEED = 1;
/** Neighbours kept per point for the disagreement marks. */
export const MAP_NEIGHBOURS = 10;
/** Images per `embed` request to the inference worker. */
const EMBED_CHUNK = 1024;

export interface DatasetMapDeps {
  projects: Pick<ProjectStore, 'db' | 'projectDir'>;
  runs: Pick<RunsApi, 'modelRun'>;
  prediction: Pick<PredictionService, 'model' | 'modelPath'>;
  events: EventSink;
  workersDir: string;
}

interface Target {
  runId: string;
  file: string;
  model: MapHeader['model'];
}

interface Embedded {
  projectId: string;
  runId: string;
  model: MapHeader['model'];
  ids: Int32Array;
  /** float32 [ids.length, dims]. */
  embeddings: Float32Array;
  dims: number;
}

interface Job {
  runId: string;
  method: DatasetMapMethod;
  cancelled: boolean;
  projection: ProjectionJob | null;
  promise: Promise<void>;
  /** The failure that ended it, if any. */
  error: AppFailure | null;
}

export class DatasetMapService {
  private readonly jobs = new Map<string, Job>();
  private lastEmbedded: Embedded | null = null;
  /** Every computation still running, cancelled ones included (waitForIdle, dispose). */
  private readonly running = new Set<{ projectId: string; promise: Promise<void> }>();

  constructor(private readonly deps: DatasetMapDeps) {}

  /** Starts computing (or finishes at once from the cache); see the module comment. */
  compute(
    projectId: string,
    options: { runId?: string; method: DatasetMapMethod; force: boolean },
  ): { started: boolean } {
    const target = this.target(projectId, options.runId);
    const { method } = options;
    this.cancel(projectId);
    if (!options.force && this.cachedCovering(projectId, target, method)) {
      this.deps.events.emit('datasetMap:finished', {
        projectId,
        runId: target.runId,
        method,
        status: 'completed',
        error: null,
        millis: 0,
      });
      return { started: false };
    }
    const job: Job = {
      runId: target.runId,
      method,
      cancelled: false,
      projection: null,
      promise: Promise.resolve(),
      error: null,
    };
    this.jobs.set(projectId, job);
    const entry = { projectId, promise: Promise.resolve() };
    job.promise = entry.promise = this.run(projectId, target, job).finally(() => {
      if (this.jobs.get(projectId) === job) this.jobs.delete(projectId);
      this.running.delete(entry);
    });
    this.running.add(entry);
    return { started: true };
  }

  /** Computes (or takes from the cache) and resolves with the map (the CLI). */
  async computeAndWait(
    projectId: string,
    options: { runId?: string; method: DatasetMapMethod; force?: boolean },
  ): Promise<DatasetMap> {
    const { started } = this.compute(projectId, { ...options, force: options.force ?? false });
    const runId = this.target(projectId, options.runId).runId;
    if (started) {
      const job = this.jobs.get(projectId);
      if (job) {
        await job.promise;
        if (job.cancelled)
          throw new AppFailure('cancelled', 'The dataset map was cancelled.', { code: 'cancelled' });
        if (job.error) throw job.error;
      }
    }
    const map = this.get(projectId, { runId, method: options.method });
    if (!map)
      throw new AppFailure('internal', 'The dataset map was computed but cannot be read.', {
        code: 'map-unreadable',
      });
    return map;
  }

  /** The cached map of the run (default: the project's model) with current labels; null when none was computed. */
  get(projectId: string, options: { runId?: string; method: DatasetMapMethod }): DatasetMap | null {
    const target = this.target(projectId, options.runId);
    const stored = this.stored(projectId, target, options.method);
    return stored ? mapAnswer(projectId, stored, currentLabels(this.deps.projects.db(projectId))) : null;
  }

  /** Cancels the project's running computation (its finished event says cancelled). */
  cancel(projectId: string): { cancelled: boolean } {
    const job = this.jobs.get(projectId);
    if (!job || job.cancelled) return { cancelled: false };
    job.cancelled = true;
    job.projection?.cancel();
    this.jobs.delete(projectId);
    return { cancelled: true };
  }

  /** The map as the embed command's CSV (imageId, file, label, x, y), rows in the map's order. */
  csv(projectId: string, map: DatasetMap): string {
    return mapCsv(map, fileAndLabel(this.deps.projects.db(projectId)));
  }

  /** Resolves when the project's computation (if any) has ended (tests). */
  async waitForIdle(projectId: string): Promise<void> {
    await Promise.all([...this.running].filter((r) => r.projectId === projectId).map((r) => r.promise));
  }

  async dispose(): Promise<void> {
    for (const projectId of [...this.jobs.keys()]) this.cancel(projectId);
    this.lastEmbedded = null;
    await Promise.all([...this.running].map((r) => r.promise.catch(() => undefined)));
  }

  // ------------------------------------------------------------------ internals

  /** The run (default: the project's model) and its model file; not-found 'no-model' when there is none. */
  private target(projectId: string, runId?: string): Target {
    const id = runId ?? this.deps.runs.modelRun(projectId)?.id;
    if (!id)
      throw new AppFailure('not-found', 'This project has no trained model yet; train one first.', {
        code: 'no-model',
      });
    const file = this.deps.prediction.modelPath({ projectId, runId: id });
    const stat = fs.statSync(file);
    return { runId: id, file, model: { size: stat.size, mtimeMs: stat.mtimeMs } };
  }

  private filePath(projectId: string, runId: string, method: DatasetMapMethod): string {
    return mapFilePath(runFiles(this.deps.projects.projectDir(projectId), runId).dir, method);
  }

  /** The stored map of the target's model file, or null. */
  private stored(projectId: string, target: Target, method: DatasetMapMethod): StoredMap | null {
    const stored = readMapFile(this.filePath(projectId, target.runId, method));
    if (!stored) return null;
    const { model } = stored.header;
    if (model.size !== target.model.size || model.mtimeMs !== target.model.mtimeMs) return null;
    return stored;
  }

  /** Whether a stored map of this model covers every current non-removed image. */
  private cachedCovering(projectId: string, target: Target, method: DatasetMapMethod): boolean {
    const stored = this.stored(projectId, target, method);
    if (!stored) return false;
    const have = new Set(stored.ids);
    const ids = currentImageIds(this.deps.projects.db(projectId));
    return ids.every((id) => have.has(id));
  }

  /**
   * The embeddings of `ids` from the run's inference worker, a chunk at a time; null when cancelled. The last set
   * is kept (one entry, ~30 MB for 60,000 images), so that the UMAP map after the quick PCA one, or a recompute,
   * does not embed again.
   */
  private async embedAll(
    projectId: string,
    target: Target,
    ids: Int32Array,
    job: Job,
    progress: (phase: 'embedding', done: number, total: number) => void,
  ): Promise<Embedded | null> {
    const last = this.lastEmbedded;
    if (
      last &&
      last.projectId === projectId &&
      last.runId === target.runId &&
      last.model.size === target.model.size &&
      last.model.mtimeMs === target.model.mtimeMs &&
      sameIds(last.ids, ids)
    )
      return last;
    const db = this.deps.projects.db(projectId);
    const client = await this.deps.prediction.model({ projectId, runId: target.runId });
    const plane = client.imageSize;
    let embeddings = new Float32Array(0);
    let dims = 0;
    for (let from = 0; from < ids.length; from += EMBED_CHUNK) {
      if (job.cancelled) return null;
      progress('embedding', from, ids.length);
      const chunk = ids.subarray(from, Math.min(ids.length, from + EMBED_CHUNK));
      const answer = await client.embed(tensorsOf(db, chunk, plane), chunk.length);
      if (dims === 0) {
        dims = answer.dims;
        embeddings = new Float32Array(ids.length * dims);
      }
      embeddings.set(answer.values, from * dims);
    }
    if (job.cancelled) return null;
    this.lastEmbedded = { projectId, runId: target.runId, model: target.model, ids, embeddings, dims };
    return this.lastEmbedded;
  }

  private async run(projectId: string, target: Target, job: Job): Promise<void> {
    const { events } = this.deps;
    const { runId, method } = job;
    const started = performance.now();
    let lastProgress = 0;
    const progress = (phase: DatasetMapProgress['phase'], done: number, total: number) => {
      const now = performance.now();
      if (now - lastProgress < 100 || job.cancelled) return;
      lastProgress = now;
      events.emit('datasetMap:progress', { projectId, runId, method, phase, done, total });
    };
    const finished = (status: 'completed' | 'cancelled' | 'failed', error: AppFailure | null) =>
      events.emit('datasetMap:finished', {
        projectId,
        runId,
        method,
        status,
        error: error ? { code: codeOf(error), detail: error.message } : null,
        millis: performance.now() - started,
      });
    try {
      const db = this.deps.projects.db(projectId);
      const ids = currentImageIds(db);
      const embedded = await this.embedAll(projectId, target, ids, job, progress);
      if (!embedded || job.cancelled) return finished('cancelled', null);
      const { dims } = embedded;
      const embeddings = embedded.embeddings.slice(); // the copy is transferred to the map worker
      const embeddingMillis = performance.now() - started;
      const projection = startProjection(
        this.deps.workersDir,
        { embeddings, count: ids.length, dims, method, seed: MAP_SEED, k: MAP_NEIGHBOURS },
        progress,
      );
      job.projection = projection;
      if (job.cancelled) projection.cancel(); // cancelled while the worker started
      const projected = await projection.promise;
      writeMapFile(this.filePath(projectId, runId, method), {
        header: {
          runId,
          method,
          seed: MAP_SEED,
          dims,
          reducedDims: projected.reducedDims,
          k: projected.k,
          count: ids.length,
          computedAt: new Date().toISOString(),
          model: target.model,
          timings: { embedding: embeddingMillis, ...projected.timings },
        },
        ids,
        x: projected.x,
        y: projected.y,
        neighbours: projected.neighbours,
      });
      finished('completed', null);
    } catch (error) {
      if (job.cancelled) return finished('cancelled', null);
      job.error =
        error instanceof AppFailure
          ? error
          : new AppFailure('internal', error instanceof Error ? error.message : String(error), {
              code: 'map-failed',
            });
      finished('failed', job.error);
    }
  }
}

function sameIds(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A failure's specific code (details.code) when it has one, else its general code. */
function codeOf(error: AppFailure): string {
  const details = error.details as { code?: unknown } | undefined;
  return typeof details?.code === 'string' ? details.code : error.code;
}
