/**
 * Prediction for the CLI (and later the Predict view): a project's model (or one of its runs) or a model file
 * (`.cnnmodel` or a run's final.model, no project needed), applied to image files and folders. Workers are kept per
 * model file (ModelCache) until dispose().
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../app/ipc/result';
import type { ProjectStore } from '../project-store';
import type { RunsApi } from '../training/api';
import { runFiles } from '../training/run-files';
import type { InferenceClient } from './inference-client';
import { ModelCache } from './model-cache';
import { predictFiles, type FilePrediction, type PredictFilesOptions } from './predict-files';

/** What to predict with: a project's model (or its run `runId`), or a model file. */
export type PredictionSource = { projectId: string; runId?: string } | { modelFile: string };

export interface ProjectAccess {
  projects: Pick<ProjectStore, 'projectDir'>;
  runs: Pick<RunsApi, 'modelRun' | 'show'>;
}

export class PredictionService {
  private readonly cache: ModelCache;

  /** `access` is needed only for project sources. */
  constructor(
    workersDir: string,
    private readonly access?: ProjectAccess,
  ) {
    this.cache = new ModelCache(workersDir);
  }

  /** The model file a source uses: the run's (default: the project's model's) final.model, or the file itself. */
  modelPath(source: PredictionSource): string {
    if ('modelFile' in source) return path.resolve(source.modelFile);
    if (!this.access) throw new AppFailure('internal', 'Project predictions need the project services.');
    const { projects, runs } = this.access;
    const runId = source.runId ?? runs.modelRun(source.projectId)?.id;
    if (!runId)
      throw new AppFailure('not-found', 'This project has no trained model yet; train one first.', {
        code: 'no-model',
      });
    const file = runFiles(projects.projectDir(source.projectId), runId).finalModel;
    if (!fs.existsSync(file)) {
      const run = runs.show(source.projectId, runId);
      throw new AppFailure('conflict', `Run "${run.name}" has no trained weights (it is ${run.status}).`);
    }
    return file;
  }

  /** The loaded model of a source (its worker starts on first use). */
  model(source: PredictionSource): Promise<InferenceClient> {
    return this.cache.get(this.modelPath(source));
  }

  /** Predictions for image files and folders; one entry per image file (bad files get an `error`). */
  async predictFiles(
    source: PredictionSource,
    paths: string[],
    options: PredictFilesOptions = {},
  ): Promise<FilePrediction[]> {
    return predictFiles(await this.model(source), paths, options);
  }

  /** Ends every inference worker. */
  dispose(): Promise<void> {
    return this.cache.dispose();
  }
}
