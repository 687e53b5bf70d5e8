/** The runs of a project: list, show, rename, delete, and which one is the project's model. */
import type { RunDetail, RunSummary } from '../../../app/domain/training';
import { AppFailure } from '../../../app/ipc/result';
import { describeModel } from '../../../native-workers/cnn/describe-model';
import type { ProjectStore } from '../project-store';
import type { EventSink } from '../services';
import type { RunsApi } from './api';
import { removeRunFiles, runFiles } from './run-files';
import { toSummary, type RunRecord } from './run-repository';
import type { TrainingService } from './training-service';

const MODEL_KEY = 'model.runId';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class RunsService implements RunsApi {
  constructor(
    private readonly projects: ProjectStore,
    private readonly training: TrainingService,
    private readonly sink: EventSink,
  ) {}

  private repo(projectId: string) {
    this.training.liveness.reconcile(projectId);
    return this.training.repo(projectId);
  }

  list(projectId: string): RunSummary[] {
    return this.repo(projectId).list().map(toSummary);
  }

  show(projectId: string, runId: string): RunDetail {
    const repo = this.repo(projectId);
    return detailOf(repo.get(runId), repo.epochs(runId));
  }

  resolve(projectId: string, idOrName: string): RunSummary {
    const repo = this.repo(projectId);
    const run = (UUID.test(idOrName) ? repo.find(idOrName) : null) ?? repo.byName(idOrName);
    if (!run)
      throw new AppFailure(
        'not-found',
        `No run named or with id ${JSON.stringify(idOrName)} in this project.`,
        { code: 'run-missing', run: idOrName },
      );
    return toSummary(run);
  }

  rename(projectId: string, runId: string, name: string): RunSummary {
    const clean = name.trim();
    if (!clean || clean.length > 100)
      throw new AppFailure('invalid-name', 'A run name has 1 to 100 characters.', {
        code: 'run-name-length',
        min: 1,
        max: 100,
      });
    const repo = this.repo(projectId);
    const run = repo.get(runId);
    repo.rename(runId, clean);
    this.changed(projectId, run);
    return toSummary(repo.get(runId));
  }

  delete(projectId: string, runId: string): void {
    const repo = this.repo(projectId);
    const run = repo.get(runId);
    if (run.status === 'running' || run.status === 'paused' || run.status === 'queued')
      throw new AppFailure('conflict', `Run "${run.name}" is ${run.status}; stop it before deleting it.`, {
        code: 'run-active',
        run: run.name,
      });
    repo.delete(runId);
    removeRunFiles(runFiles(this.projects.projectDir(projectId), runId));
    this.changed(projectId, run);
  }

  use(projectId: string, runId: string | null): RunSummary | null {
    const repo = this.repo(projectId);
    if (runId !== null) {
      const run = repo.get(runId);
      if (!run.hasModel)
        throw new AppFailure('conflict', `Run "${run.name}" has no trained weights (it is ${run.status}).`, {
          code: 'no-weights',
          run: run.name,
        });
    }
    repo.setSetting(MODEL_KEY, runId);
    const model = this.modelRun(projectId);
    if (model) this.changed(projectId, repo.get(model.id));
    return model;
  }

  modelRun(projectId: string): RunSummary | null {
    const repo = this.repo(projectId);
    const id = repo.modelRunId();
    return id ? toSummary(repo.get(id)) : null;
  }

  /** The record of a run, or of the project's model when runId is undefined (`not-found` without one). */
  record(projectId: string, runId?: string): RunRecord {
    const repo = this.repo(projectId);
    if (runId !== undefined) return repo.get(runId);
    const id = repo.modelRunId();
    if (!id)
      throw new AppFailure('not-found', 'This project has no trained model yet; train one first.', {
        code: 'no-model',
      });
    return repo.get(id);
  }

  private changed(projectId: string, run: RunRecord): void {
    this.sink.emit('training:status', { projectId, runId: run.id, status: run.status, failure: run.failure });
  }
}

export function detailOf(run: RunRecord, epochs: RunDetail['epochs']): RunDetail {
  return {
    ...toSummary(run),
    settings: run.settings,
    spec: run.spec,
    description: describeModel(run.spec),
    dataset: { classNames: run.classNames, ...run.counts, leftOutLabels: run.leftOutLabels },
    epochs,
    kernels: run.kernels,
  };
}
