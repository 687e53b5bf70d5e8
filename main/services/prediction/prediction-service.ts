/**
 * Prediction for the Predict view and the CLI: a project's model (or one of its runs) or a model file
 * (`.cnnmodel` or a run's final.model, no project needed), applied to image files and folders. Workers are kept per
 * model file (ModelCache) until dispose().
 *
 * Batches (the Predict view): `startBatch` checks the model synchronously and predicts in the background, streaming
 * 'prediction:progress' (at most ~10×/s, with the items answered since the previous event, then a final flush) and
 * one 'prediction:finished'. One batch runs per project: starting another cancels the running one (its finished
 * event says cancelled). The items of the last 8 finished batches are kept in memory for CSV export and
 * "copy into folders"; older ones are forgotten (not-found).
 *
 * `new PredictionService(workersDir)` (the CLI with a model file) needs nothing else; project sources, batches,
 * feedback and pasted images need the project services (`deps`).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {
  AddToDatasetResult,
  ImageExplanation,
  PredictionBatchStatus,
  PredictionItem,
  PredictionModelInfo,
} from '../../../app/domain/prediction';
import { AppFailure } from '../../../app/ipc/result';
import type { DatasetService } from '../dataset/dataset-service';
import type { ProjectStore } from '../project-store';
import type { EventSink } from '../services';
import type { RunsApi } from '../training/api';
import { runFiles } from '../training/run-files';
import { batchCsv, copyItemsToFolders, writeFileAtomic } from './batch-output';
import { explainImage } from './explain-image';
import { addToDataset, savePasted } from './feedback';
import type { InferenceClient } from './inference-client';
import { runBatch, type Batch } from './batch-run';
import { ModelCache } from './model-cache';
import { predictFiles, type FilePrediction, type PredictFilesOptions } from './predict-files';

/** What to predict with: a project's model (or its run `runId`), or a model file. */
export type PredictionSource = { projectId: string; runId?: string } | { modelFile: string };

/** The project services prediction uses (the CLI passes its Services). */
export interface PredictionDeps {
  projects: Pick<ProjectStore, 'projectDir' | 'get' | 'db' | 'dataDir'>;
  runs: Pick<RunsApi, 'modelRun' | 'show'>;
  /** Where batch events go (none: the CLI). */
  events?: EventSink;
  /** Feedback goes through the import path. */
  dataset?: Pick<DatasetService, 'importAndWait'>;
}

/** Finished batches whose items are kept for CSV export and copying. */
const KEPT_BATCHES = 8;

export class PredictionService {
  private readonly cache: ModelCache;
  private readonly batches = new Map<string, Batch>();
  /** Finished batch ids, oldest first. */
  private readonly finished: string[] = [];

  constructor(
    workersDir: string,
    private readonly deps?: PredictionDeps,
  ) {
    this.cache = new ModelCache(workersDir);
  }

  private need(): PredictionDeps {
    if (!this.deps)
      throw new AppFailure('internal', 'Project predictions need the project services.', {
        code: 'no-project-services',
      });
    return this.deps;
  }

  /** The model file a source uses: the run's (default: the project's model's) final.model, or the file itself. */
  modelPath(source: PredictionSource): string {
    if ('modelFile' in source) {
      if (!path.isAbsolute(source.modelFile))
        throw new AppFailure('invalid-payload', `Not an absolute path: ${source.modelFile}`, {
          code: 'not-absolute',
          path: source.modelFile,
        });
      if (!fs.statSync(source.modelFile, { throwIfNoEntry: false })?.isFile())
        throw new AppFailure('not-found', `No model file at ${source.modelFile}.`, {
          code: 'model-file-missing',
        });
      return path.resolve(source.modelFile);
    }
    const { projects, runs } = this.need();
    const runId = source.runId ?? runs.modelRun(source.projectId)?.id;
    if (!runId)
      throw new AppFailure('not-found', 'This project has no trained model yet; train one first.', {
        code: 'no-model',
      });
    const file = runFiles(projects.projectDir(source.projectId), runId).finalModel;
    if (!fs.existsSync(file)) {
      const run = runs.show(source.projectId, runId);
      throw new AppFailure('conflict', `Run "${run.name}" has no trained weights (it is ${run.status}).`, {
        code: 'no-weights',
        run: run.name,
      });
    }
    return file;
  }

  /** The loaded model of a source (its worker starts on first use); a bad model file: details.code 'bad-model-file'. */
  async model(source: PredictionSource): Promise<InferenceClient> {
    try {
      return await this.cache.get(this.modelPath(source));
    } catch (error) {
      if ('modelFile' in source && error instanceof AppFailure && error.code === 'invalid-payload')
        throw new AppFailure('invalid-payload', error.message, { code: 'bad-model-file' });
      throw error;
    }
  }

  /** Loads a source's model now (the first prediction then does not wait for its worker) and describes it. */
  async modelInfo(source: PredictionSource): Promise<PredictionModelInfo> {
    const client = await this.model(source);
    const { inputSize, color } = client.meta.preprocessing;
    return {
      labels: [...client.meta.labels],
      inputSize,
      color,
      source: client.source,
      file: client.modelPath,
      backend: client.backend,
    };
  }

  /** The source of a request: a model file, a run of the project, or the project's model. */
  static sourceOf(projectId: string, model: { runId?: string; modelFile?: string }): PredictionSource {
    if (model.modelFile) return { modelFile: model.modelFile };
    return model.runId ? { projectId, runId: model.runId } : { projectId };
  }

  /** Predictions for image files and folders; one entry per image file (bad files get an `error`). */
  async predictFiles(
    source: PredictionSource,
    paths: string[],
    options: PredictFilesOptions = {},
  ): Promise<FilePrediction[]> {
    return predictFiles(await this.model(source), paths, options);
  }

  // ------------------------------------------------------------------ batches

  /**
   * Starts predicting `paths` (absolute files and folders) in the background. Fails at once when the project has
   * no model (details.code 'no-model') or a path is not absolute. A running batch of the project is cancelled.
   */
  startBatch(
    projectId: string,
    source: PredictionSource,
    paths: string[],
    topK: number,
  ): { batchId: string } {
    const { events } = this.need();
    for (const p of paths)
      if (!path.isAbsolute(p))
        throw new AppFailure('invalid-payload', `Not an absolute path: ${p}`, {
          code: 'not-absolute',
          path: p,
        });
    const modelFile = this.modelPath(source);
    for (const b of this.batches.values())
      if (b.projectId === projectId && b.state === 'running') b.controller.abort();
    const batchId = randomUUID();
    const batch: Batch = {
      projectId,
      batchId,
      controller: new AbortController(),
      items: [],
      state: 'running',
      promise: Promise.resolve(),
    };
    this.batches.set(batchId, batch);
    batch.promise = runBatch(batch, () => this.cache.get(modelFile), paths, topK, events).then(() => {
      this.finished.push(batchId);
      while (this.finished.length > KEPT_BATCHES) this.batches.delete(this.finished.shift() as string);
    });
    return { batchId };
  }

  /** Stops a running batch (its finished event follows); false when it is not running. */
  cancelBatch(batchId: string): { cancelled: boolean } {
    const batch = this.batches.get(batchId);
    if (!batch || batch.state !== 'running' || batch.controller.signal.aborted) return { cancelled: false };
    batch.controller.abort();
    return { cancelled: true };
  }

  /** Resolves when a batch has ended (tests and the bench). */
  async waitForBatch(batchId: string): Promise<PredictionBatchStatus> {
    const batch = this.batches.get(batchId);
    if (!batch) throw new AppFailure('not-found', 'No such prediction batch.', { code: 'no-batch' });
    await batch.promise;
    return batch.state as PredictionBatchStatus;
  }

  /** The items of a finished batch, in order. */
  batchItems(batchId: string): PredictionItem[] {
    const batch = this.batches.get(batchId);
    if (!batch)
      throw new AppFailure('not-found', 'This prediction batch is no longer available; predict again.', {
        code: 'no-batch',
      });
    if (batch.state === 'running')
      throw new AppFailure('busy', 'The prediction batch is still running.', { code: 'batch-running' });
    return [...batch.items].sort((a, b) => a.index - b.index);
  }

  // ------------------------------------------------------------------ results

  /** Writes a finished batch as CSV (formula-safe; atomically); `file` is absolute and ends in .csv. */
  exportCsv(batchId: string, file: string): { file: string; rows: number } {
    if (!path.isAbsolute(file))
      throw new AppFailure('invalid-payload', 'The CSV file needs an absolute path.', {
        code: 'csv-not-absolute',
      });
    if (path.extname(file).toLowerCase() !== '.csv')
      throw new AppFailure('invalid-payload', 'The CSV file name must end in .csv.', {
        code: 'csv-extension',
      });
    const items = this.batchItems(batchId);
    const dir = path.dirname(file);
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      throw new AppFailure('not-found', `No such folder: ${dir}`, { code: 'folder-missing', dir });
    writeFileAtomic(file, batchCsv(items));
    return { file, rows: items.length };
  }

  /** Copies a finished batch's predicted images into `dir/<predicted label>/` (never overwrites). */
  async copyToFolders(
    batchId: string,
    dir: string,
  ): Promise<{ dir: string; copied: number; failed: number }> {
    if (!path.isAbsolute(dir))
      throw new AppFailure('invalid-payload', 'The folder needs an absolute path.', {
        code: 'folder-not-absolute',
      });
    const items = this.batchItems(batchId);
    return { dir, ...(await copyItemsToFolders(items, dir)) };
  }

  /** The top classes, preview and Grad-CAM overlay of one image. */
  async explain(
    source: PredictionSource,
    file: string,
    options: { label?: string; topK: number },
  ): Promise<ImageExplanation> {
    if (!path.isAbsolute(file))
      throw new AppFailure('invalid-payload', `Not an absolute path: ${file}`, {
        code: 'not-absolute',
        path: file,
      });
    return explainImage(await this.model(source), file, options);
  }

  // ------------------------------------------------------------------ feedback and paste

  /** Adds one image to the dataset with `label`, through the import (duplicates and conflicts as import does). */
  addToDataset(projectId: string, file: string, label: string): Promise<AddToDatasetResult> {
    const { dataset, projects } = this.need();
    if (!dataset)
      throw new AppFailure('internal', 'Adding to the dataset needs the dataset service.', {
        code: 'no-dataset-service',
      });
    return addToDataset({ dataset, projects }, projectId, file, label);
  }

  /** Stores a pasted PNG/JPEG/WebP/GIF as `<dataDir>/pasted/<sha256>.<ext>` so that it can be predicted. */
  savePasted(projectId: string, base64: string): Promise<{ file: string }> {
    return savePasted(this.need().projects, projectId, base64);
  }

  /** Cancels running batches and ends every inference worker. */
  async dispose(): Promise<void> {
    const running = [...this.batches.values()].filter((b) => b.state === 'running');
    for (const b of running) b.controller.abort();
    await Promise.all(running.map((b) => b.promise.catch(() => undefined)));
    await this.cache.dispose();
  }
}
