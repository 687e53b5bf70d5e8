/**
 * The training service: starts, queues, pauses, resumes and stops runs, one run at a time in this process (it uses
 * every core); runs of other projects wait in a FIFO queue. Runs of a project that another live process owns are
 * refused; runs whose process died are marked interrupted (see liveness.ts) and can be resumed from their last
 * checkpoint.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { cpus } from 'node:os';
import type {
  RunStatus,
  RunSummary,
  TrainingDefaults,
  TrainingFailure,
  TrainingProgress,
  TrainingSettings,
  TrainingState,
} from '../../../app/domain/training';
import { AppFailure } from '../../../app/ipc/result';
import { planModel } from '../../../native-workers/cnn/plan';
import { SpecError } from '../../../native-workers/cnn/spec-error';
import type { TrainJob } from '../../../native-workers/training/messages';
import { sqliteNativeBinding } from '../../db/open-database';
import { inputSpecFor, recommendedPreset } from '../model-description';
import type { ProjectStore } from '../project-store';
import type { EventSink } from '../services';
import type { AugmentPreview, RunOutcome, TrainingApi, TrainingListenerEvent } from './api';
import { augmentPreview } from './augment-preview';
import { classPlan, takeSnapshot, trainingRefusal } from './dataset-snapshot';
import { storageFailureCode } from '../../storage/storage-failure';
import { Liveness } from './liveness';
import { RunJob, type JobEnd } from './run-job';
import { ensureRunDir, runFiles } from './run-files';
import { RunRepository, toSummary } from './run-repository';
import { detailOf } from './runs-service';
import { resolveInitWeights } from './init-weights';
import { presetOf, presetSettings, specFor, trainingConfigFor } from './settings';

const SETTINGS_KEY = 'training.settings';

interface QueuedRun {
  projectId: string;
  runId: string;
  resume: boolean;
}

interface ActiveRun extends QueuedRun {
  job: RunJob;
  progress: TrainingProgress | null;
  resumedFrom: { epoch: number } | null;
  /** Smoothed seconds per step, for the time left. */
  secondsPerStep: number | null;
  lastProgressAt: number;
  lastStep: number;
}

export interface TrainingServiceOptions {
  workersDir: string;
  /** Heap limit of each training worker in MB (tests lower it). */
  maxOldGenerationSizeMb?: number;
  /** Tests only: passed to the worker to make it fail (see TrainJob.fault). */
  fault?: TrainJob['fault'];
}

export class TrainingService implements TrainingApi {
  private readonly queue: QueuedRun[] = [];
  private active: ActiveRun | null = null;
  private readonly listeners = new Set<(e: TrainingListenerEvent) => void>();
  private readonly waiters = new Map<string, ((o: RunOutcome) => void)[]>();
  private readonly resumedFrom = new Map<string, { epoch: number } | null>();
  /** How runs ended whose end could not be written to their database (a full disk). */
  private readonly unrecordedEnds = new Map<string, { status: RunStatus; failure: TrainingFailure }>();
  readonly liveness: Liveness;
  private disposed = false;

  constructor(
    private readonly projects: ProjectStore,
    private readonly sink: EventSink,
    private readonly options: TrainingServiceOptions,
  ) {
    this.liveness = new Liveness(
      () => this.ownedRuns(),
      (projectId) => this.repo(projectId),
    );
  }

  /** Tests only: the fault injected into the next runs' workers and their heap limit. */
  configureForTests(o: { fault?: TrainJob['fault']; maxOldGenerationSizeMb?: number }): void {
    this.options.fault = o.fault;
    this.options.maxOldGenerationSizeMb = o.maxOldGenerationSizeMb;
  }

  repo(projectId: string): RunRepository {
    return new RunRepository(this.projects.db(projectId));
  }

  private ownedRuns(): { projectId: string; runId: string }[] {
    const runs = this.queue.map((q) => ({ projectId: q.projectId, runId: q.runId }));
    if (this.active) runs.push({ projectId: this.active.projectId, runId: this.active.runId });
    return runs;
  }

  defaults(projectId: string): TrainingDefaults {
    const project = this.projects.get(projectId);
    const repo = this.repo(projectId);
    const saved = repo.setting(SETTINGS_KEY);
    const plan = classPlan(this.projects.db(projectId));
    const settings = saved
      ? (JSON.parse(saved) as TrainingSettings)
      : presetSettings(recommendedPreset(project.inputSize), 1, plan.trainImages);
    return { settings, cores: cpus().length, leftOutLabels: plan.leftOutLabels, classNames: plan.classNames };
  }

  start(projectId: string, settings: TrainingSettings, name?: string): RunSummary {
    this.assertOpen();
    const project = this.projects.get(projectId);
    const db = this.projects.db(projectId);
    const repo = this.repo(projectId);
    this.liveness.reconcile(projectId);
    const busy = repo
      .list()
      .find((r) => r.status === 'running' || r.status === 'paused' || r.status === 'queued');
    if (busy)
      throw new AppFailure(
        'conflict',
        `Run "${busy.name}" of this project is ${busy.status}; stop it first.`,
        { code: 'run-active', runId: busy.id },
      );
    const snapshot = takeSnapshot(db);
    const input = inputSpecFor(project.inputSize, project.color);
    const init = settings.initFrom
      ? resolveInitWeights(settings.initFrom, {
          dir: this.projects.projectDir(projectId),
          repo,
          classNames: snapshot.classNames,
          input,
        })
      : null;
    const spec = init ? init.spec : specFor(settings.model, input, snapshot.classNames.length);
    try {
      planModel(spec);
    } catch (error) {
      if (error instanceof SpecError) throw trainingRefusal('invalid-model', error.message);
      throw error;
    }
    // remembered for the next run without the starting weights (a later run starts fresh unless asked again)
    const { initFrom, ...remembered } = settings;
    repo.setSetting(SETTINGS_KEY, JSON.stringify(remembered));
    if (init && initFrom) settings = { ...settings, model: init.model, initFrom };
    const runId = randomUUID();
    const queued = this.active !== null;
    repo.create({
      id: runId,
      name,
      preset: presetOf(settings.model),
      settings,
      spec,
      classNames: snapshot.classNames,
      classLabelIds: snapshot.classLabelIds,
      leftOutLabels: snapshot.leftOutLabels,
      workers: Math.max(1, settings.workers ?? cpus().length),
      images: snapshot.images,
      status: queued ? 'queued' : 'running',
      owner: this.liveness.owner,
    });
    if (init) {
      const files = runFiles(this.projects.projectDir(projectId), runId);
      ensureRunDir(files);
      fs.writeFileSync(files.initModel, init.bytes);
    }
    this.queue.push({ projectId, runId, resume: false });
    this.emitStatus(projectId, runId, queued ? 'queued' : 'running', null);
    this.pump();
    return toSummary(repo.get(runId));
  }

  async pause(projectId: string, runId: string): Promise<RunSummary> {
    const a = this.activeRun(projectId, runId, 'pause');
    await a.job.pause();
    return toSummary(this.repo(projectId).get(runId));
  }

  resume(projectId: string, runId: string): RunSummary {
    this.assertOpen();
    const repo = this.repo(projectId);
    if (this.active?.runId === runId) {
      if (!this.active.job.paused)
        throw new AppFailure('conflict', 'The run is not paused.', { code: 'run-not-paused' });
      this.active.job.resume();
      return toSummary(repo.get(runId));
    }
    this.liveness.reconcile(projectId);
    const run = repo.get(runId);
    if (run.status !== 'interrupted' && run.status !== 'paused')
      throw new AppFailure(
        'conflict',
        `Run "${run.name}" is ${run.status}; only interrupted runs can be resumed.`,
        { code: 'run-not-resumable', run: run.name },
      );
    if (!fs.existsSync(runFiles(this.projects.projectDir(projectId), runId).checkpoint))
      throw new AppFailure(
        'not-found',
        `Run "${run.name}" stopped before its first checkpoint; there is nothing to resume. Start a new run.`,
        { code: 'no-checkpoint', run: run.name },
      );
    const other = repo
      .list()
      .find((r) => r.id !== runId && ['running', 'paused', 'queued'].includes(r.status));
    if (other)
      throw new AppFailure('conflict', `Run "${other.name}" of this project is ${other.status}.`, {
        code: 'run-active',
        run: other.name,
      });
    const queued = this.active !== null;
    repo.setOwner(runId, this.liveness.owner);
    repo.setStatus(runId, queued ? 'queued' : 'running', { failure: null });
    this.queue.push({ projectId, runId, resume: true });
    this.emitStatus(projectId, runId, queued ? 'queued' : 'running', null);
    this.pump();
    return toSummary(repo.get(runId));
  }

  async stop(projectId: string, runId: string): Promise<RunSummary> {
    const repo = this.repo(projectId);
    const queuedAt = this.queue.findIndex((q) => q.runId === runId);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      repo.setStatus(runId, 'stopped', { finished: true });
      repo.setOwner(runId, null);
      this.emitStatus(projectId, runId, 'stopped', null);
      this.settle(projectId, runId);
      return toSummary(repo.get(runId));
    }
    const a = this.activeRun(projectId, runId, 'stop');
    a.job.stop();
    if (a.job.paused) a.job.resume();
    await a.job.ended;
    return toSummary(repo.get(runId));
  }

  status(projectId: string): TrainingState {
    this.liveness.reconcile(projectId);
    const repo = this.repo(projectId);
    const active = repo.list().find((r) => ['running', 'paused', 'queued'].includes(r.status)) ?? null;
    const position = active ? this.queue.findIndex((q) => q.runId === active.id) : -1;
    return {
      active: active ? toSummary(active) : null,
      progress: this.active?.projectId === projectId ? this.active.progress : null,
      queuePosition: position >= 0 && this.active ? position + 1 : 0,
    };
  }

  resumable(projectId: string): RunSummary | null {
    this.liveness.reconcile(projectId);
    const dir = this.projects.projectDir(projectId);
    const run = this.repo(projectId)
      .list()
      .find((r) => r.status === 'interrupted' || (r.status === 'paused' && this.active?.runId !== r.id));
    if (!run) return null;
    return fs.existsSync(runFiles(dir, run.id).checkpoint)
      ? { ...toSummary(run), resumable: true }
      : toSummary(run);
  }

  waitFor(projectId: string, runId: string): Promise<RunOutcome> {
    this.repo(projectId).get(runId); // not-found for an unknown run
    const live = this.active?.runId === runId || this.queue.some((q) => q.runId === runId);
    if (!live) return Promise.resolve(this.outcome(projectId, runId));
    return new Promise((resolve) => {
      const list = this.waiters.get(runId) ?? [];
      list.push(resolve);
      this.waiters.set(runId, list);
    });
  }

  subscribe(listener: (event: TrainingListenerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  augmentPreview(projectId: string, input: Parameters<TrainingApi['augmentPreview']>[1]): AugmentPreview {
    return augmentPreview(this.projects.db(projectId), input);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const q of this.queue.splice(0)) {
      const repo = this.repo(q.projectId);
      repo.setStatus(q.runId, 'interrupted');
      repo.setOwner(q.runId, null);
      this.settle(q.projectId, q.runId);
    }
    await this.active?.job.interrupt();
    this.liveness.stop();
  }

  private assertOpen(): void {
    if (this.disposed)
      throw new AppFailure('cancelled', 'The training service is shutting down.', { code: 'shutting-down' });
  }

  private activeRun(projectId: string, runId: string, what: string): ActiveRun {
    const a = this.active;
    if (!a || a.runId !== runId || a.projectId !== projectId)
      throw new AppFailure('conflict', `Cannot ${what}: the run is not running in this process.`, {
        code: 'run-not-in-process',
      });
    return a;
  }

  /** Starts the next queued run when none is running. */
  private pump(): void {
    if (this.active || this.disposed) return;
    const next = this.queue.shift();
    if (!next) return;
    try {
      this.launch(next);
    } catch (error) {
      const failure: TrainingFailure = { code: 'worker-error', detail: (error as Error).message };
      const repo = this.repo(next.projectId);
      repo.setStatus(next.runId, 'failed', { failure, finished: true });
      repo.setOwner(next.runId, null);
      this.emitStatus(next.projectId, next.runId, 'failed', failure);
      this.settle(next.projectId, next.runId);
      this.pump();
    }
  }

  private launch(q: QueuedRun): void {
    const repo = this.repo(q.projectId);
    const run = repo.get(q.runId);
    const files = runFiles(this.projects.projectDir(q.projectId), q.runId);
    ensureRunDir(files);
    const train = repo.snapshot(q.runId, ['train']);
    const val = repo.snapshot(q.runId, ['val']);
    const test = repo.snapshot(q.runId, ['test']);
    const trainCount = train.imageIds.length;
    const batchesPerEpoch = Math.ceil(trainCount / Math.min(run.settings.batchSize, trainCount));
    const config = trainingConfigFor(run.settings, batchesPerEpoch);
    config.batchSize = Math.min(config.batchSize, trainCount);
    const dbPath = this.projects.dbPath(q.projectId);
    const binding = sqliteNativeBinding();
    const source = (imageIds: Int32Array) => ({
      dbPath,
      imageIds,
      ...(binding ? { sqliteBinding: binding } : {}),
    });
    const job: TrainJob = {
      kind: 'train',
      runId: q.runId,
      spec: run.spec,
      config,
      patience: run.settings.patience,
      workers: run.workers,
      train: source(train.imageIds),
      trainLabels: train.classes,
      val: source(val.imageIds),
      valLabels: val.classes,
      test: source(test.imageIds),
      files,
      resume: q.resume,
      startFromInit: !!run.settings.initFrom,
      classNames: run.classNames,
      ...(this.options.fault ? { fault: this.options.fault } : {}),
    };
    const { projectId, runId } = q;
    const active: ActiveRun = {
      ...q,
      job: null as unknown as RunJob,
      progress: null,
      resumedFrom: null,
      secondsPerStep: null,
      lastProgressAt: 0,
      lastStep: 0,
    };
    active.job = new RunJob(
      runId,
      job,
      repo,
      {
        started: (resumedFrom) => {
          active.resumedFrom = resumedFrom;
          this.resumedFrom.set(runId, resumedFrom);
        },
        status: (status, failure) => this.emitStatus(projectId, runId, status, failure),
        progress: (p) => {
          const now = performance.now();
          if (active.lastProgressAt > 0 && p.step > active.lastStep) {
            const s = (now - active.lastProgressAt) / 1000 / (p.step - active.lastStep);
            active.secondsPerStep =
              active.secondsPerStep === null ? s : 0.8 * active.secondsPerStep + 0.2 * s;
          }
          active.lastProgressAt = now;
          active.lastStep = p.step;
          const secondsLeft =
            active.secondsPerStep === null
              ? null
              : Math.max(0, (p.totalSteps - p.step) * active.secondsPerStep);
          const progress: TrainingProgress = { projectId, runId, ...p, secondsLeft };
          active.progress = progress;
          this.emit({ kind: 'progress', payload: progress });
        },
        epoch: (metrics) => this.emit({ kind: 'epoch', payload: { projectId, runId, metrics } }),
      },
      {
        workersDir: this.options.workersDir,
        maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb ?? 4096,
      },
    );
    this.active = active;
    repo.setStatus(runId, 'running', { started: true });
    active.job.start();
    void active.job.ended.then((end) => this.onEnded(active, end));
  }

  private onEnded(a: ActiveRun, end: JobEnd): void {
    const repo = this.repo(a.projectId);
    let status: RunStatus = end.status;
    let failure: TrainingFailure | null = null;
    let earlyStopped = false;
    try {
      switch (end.status) {
        case 'completed':
        case 'stopped':
          earlyStopped = end.earlyStopped;
          void this.projects.backup(a.projectId, 'training'); // a safe point: the run's results are written
          break;
        case 'failed':
          // A full disk or read-only folder stopped it: its last checkpoint is intact (written atomically), so
          // it is interrupted, resumable once the disk has room again, rather than failed for good.
          failure = diskFailure(end.failure) ?? end.failure;
          if (failure !== end.failure) status = 'interrupted';
          repo.setStatus(a.runId, status, { failure, finished: status === 'failed' });
          break;
        case 'interrupted':
          repo.setStatus(a.runId, 'interrupted');
          break;
      }
      repo.setOwner(a.runId, null);
    } catch (error) {
      // Its end cannot even be recorded (the disk is full): the row stays as it was, which the next process sees
      // as interrupted (its owner gone); this one answers so now, and never crashes over it.
      status = 'interrupted';
      failure ??= { code: 'worker-error', detail: `recording the run failed: ${(error as Error).message}` };
      this.unrecordedEnds.set(a.runId, { status, failure });
    }
    this.active = null;
    this.emitStatus(a.projectId, a.runId, status, failure, earlyStopped);
    this.settle(a.projectId, a.runId);
    this.pump();
  }

  private outcome(projectId: string, runId: string): RunOutcome {
    const runs = this.repo(projectId);
    const run = detailOf(runs.get(runId), runs.epochs(runId));
    return {
      run: { ...run, ...this.unrecordedEnds.get(runId) },
      resumedFrom: this.resumedFrom.get(runId) ?? null,
    };
  }

  private settle(projectId: string, runId: string): void {
    const waiters = this.waiters.get(runId);
    if (!waiters) return;
    this.waiters.delete(runId);
    const outcome = this.outcome(projectId, runId);
    for (const w of waiters) w(outcome);
  }

  private emitStatus(
    projectId: string,
    runId: string,
    status: RunStatus,
    failure: TrainingFailure | null,
    earlyStopped?: boolean,
  ): void {
    this.emit({
      kind: 'status',
      payload: { projectId, runId, status, failure, ...(earlyStopped ? { earlyStopped } : {}) },
    });
  }

  private emit(e: TrainingListenerEvent): void {
    switch (e.kind) {
      case 'progress':
        this.sink.emit('training:progress', e.payload);
        break;
      case 'epoch':
        this.sink.emit('training:epoch', e.payload);
        break;
      case 'status':
        this.sink.emit('training:status', e.payload);
        break;
    }
    for (const l of this.listeners) l(e);
  }
}

/** The failure as 'disk-full' or 'storage-read-only' when a run's writes (checkpoint, model, records) met one. */
function diskFailure(failure: TrainingFailure): TrainingFailure | undefined {
  if (failure.code !== 'checkpoint' && failure.code !== 'worker-error') return undefined;
  const code = storageFailureCode(failure.detail);
  return code === 'disk-full' || code === 'storage-read-only' ? { code, detail: failure.detail } : undefined;
}
