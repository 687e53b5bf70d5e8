/**
 * One run's training worker, supervised: starts it, turns its messages into database writes and events, and turns
 * every way it can end (finished, failed, threw, ran out of memory, exited) into a final run status. The database is
 * written only with what the worker has already put on disk (checkpoint, model files).
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  EpochMetrics,
  RunStatus,
  TrainingFailure,
  TrainingProgress,
} from '../../../app/domain/training';
import {
  assertNever,
  type FromTrainingWorker,
  type PredictionBatch,
  type ToTrainingWorker,
  type TrainJob,
} from '../../../native-workers/training/messages';
import type { RunRepository } from './run-repository';

/** What a run job reports to the service. */
export interface RunJobEvents {
  status(status: RunStatus, failure: TrainingFailure | null, earlyStopped?: boolean): void;
  progress(p: Omit<TrainingProgress, 'projectId' | 'runId' | 'secondsLeft'>): void;
  epoch(metrics: EpochMetrics): void;
  started(resumedFrom: { epoch: number } | null): void;
}

/** How a job ended. */
export type JobEnd =
  | { status: 'completed' | 'stopped'; earlyStopped: boolean }
  | { status: 'failed'; failure: TrainingFailure }
  /** The service ended it (app closing): the run keeps its checkpoint and is resumable. */
  | { status: 'interrupted' };

export interface RunJobOptions {
  workersDir: string;
  /** Heap limit of the training worker (the datasets live outside the heap, in ArrayBuffers). */
  maxOldGenerationSizeMb: number;
}

export class RunJob {
  readonly ended: Promise<JobEnd>;
  private worker: Worker | null = null;
  private endWith!: (end: JobEnd) => void;
  private done = false;
  private failure: TrainingFailure | null = null;
  private finishedStatus: { status: 'completed' | 'stopped'; earlyStopped: boolean } | null = null;
  private pausedWaiters: (() => void)[] = [];
  private interrupting = false;
  /** Database writes that yield to the event loop (predictions), in order; the run ends after them. */
  private writes: Promise<void> = Promise.resolve();
  paused = false;

  constructor(
    readonly runId: string,
    private readonly job: TrainJob,
    private readonly repo: RunRepository,
    private readonly events: RunJobEvents,
    private readonly options: RunJobOptions,
  ) {
    this.ended = new Promise((resolve) => (this.endWith = resolve));
  }

  start(): void {
    const worker = new Worker(path.join(this.options.workersDir, 'training-worker.js'), {
      workerData: this.job,
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb },
    });
    this.worker = worker;
    worker.on('message', (m: FromTrainingWorker) => {
      try {
        this.handle(m);
      } catch (error) {
        // a database write failed: end the run rather than leave it half-recorded
        this.fail({ code: 'worker-error', detail: `recording the run failed: ${(error as Error).message}` });
        void worker.terminate();
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const oom = error.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory/i.test(error.message);
      this.fail({ code: oom ? 'out-of-memory' : 'worker-error', detail: error.message });
    });
    worker.on('exit', (code) => {
      void this.writes.then(() => {
        if (this.interrupting) return this.end({ status: 'interrupted' });
        if (this.finishedStatus) return this.end(this.finishedStatus);
        this.fail(this.failure ?? { code: 'worker-exit', detail: `exit code ${code}` });
      });
    });
  }

  private send(m: ToTrainingWorker): void {
    this.worker?.postMessage(m);
  }

  /** Resolves once the worker has written its checkpoint and paused. */
  pause(): Promise<void> {
    if (this.done) return Promise.resolve();
    if (this.paused) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.pausedWaiters.push(resolve);
      this.send({ type: 'pause' });
    });
  }

  resume(): void {
    this.send({ type: 'resume' });
  }

  stop(): void {
    this.send({ type: 'stop' });
  }

  /** Checkpoints (pause), then ends the worker; the run becomes interrupted (resumable). */
  async interrupt(): Promise<void> {
    if (this.done) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = new Promise((resolve) => (timer = setTimeout(resolve, 30_000)));
    await Promise.race([this.pause(), this.ended, giveUp]);
    clearTimeout(timer);
    this.interrupting = true;
    await this.worker?.terminate();
    await this.ended;
  }

  private handle(m: FromTrainingWorker): void {
    switch (m.type) {
      case 'started':
        this.repo.reconcileEpochs(this.runId, m.history);
        this.repo.setKernels(this.runId, m.backend);
        this.events.started(m.resumedFrom ? { epoch: m.resumedFrom.epoch } : null);
        break;
      case 'progress':
        this.events.progress({
          epoch: m.epoch,
          epochs: this.job.config.epochs,
          batch: m.batch,
          batchesPerEpoch: m.batchesPerEpoch,
          loss: m.loss,
          accuracy: m.accuracy,
          step: m.step,
          totalSteps: m.totalSteps,
          learningRate: m.learningRate,
          imagesPerSecond: m.imagesPerSecond,
        });
        break;
      case 'epoch':
        this.repo.recordEpoch(this.runId, m.metrics, m.bestEpoch);
        this.events.epoch(m.metrics);
        break;
      case 'paused':
        this.paused = true;
        this.repo.markCheckpoint(this.runId);
        if (!this.interrupting) {
          this.repo.setStatus(this.runId, 'paused');
          this.events.status('paused', null);
        }
        for (const w of this.pausedWaiters.splice(0)) w();
        break;
      case 'resumed':
        this.paused = false;
        this.repo.setStatus(this.runId, 'running');
        this.events.status('running', null);
        break;
      case 'predictions': {
        const ids = m.imageIds;
        if (ids) this.later(() => this.savePredictions(ids, m.batch));
        break;
      }
      case 'finished':
        this.later(() => {
          this.repo.finish(this.runId, m);
          this.finishedStatus = { status: m.status, earlyStopped: m.earlyStopped };
        });
        break;
      case 'done':
        break;
      case 'failed':
        this.failure = { code: m.code, detail: m.detail };
        break;
      default:
        assertNever(m);
    }
  }

  /** Queues a database write after the earlier ones (a failure ends the run). */
  private later(write: () => void | Promise<void>): void {
    this.writes = this.writes.then(write).catch((error: Error) => {
      this.fail({ code: 'worker-error', detail: `recording the run failed: ${error.message}` });
    });
  }

  /** Stores predictions a few thousand rows per transaction, yielding in between (the UI stays responsive). */
  private async savePredictions(imageIds: Int32Array, b: PredictionBatch): Promise<void> {
    const classLabelIds = this.repo.get(this.runId).classLabelIds;
    const CHUNK = 2000;
    for (let from = 0; from < imageIds.length; from += CHUNK) {
      const to = Math.min(imageIds.length, from + CHUNK);
      this.repo.savePredictions(
        this.runId,
        classLabelIds,
        imageIds,
        b.predicted,
        b.confidence,
        b.probabilities,
        b.classes,
        [from, to],
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private fail(failure: TrainingFailure): void {
    this.failure ??= failure;
    if (this.interrupting) return;
    this.end({ status: 'failed', failure: this.failure });
  }

  private end(end: JobEnd): void {
    if (this.done) return;
    this.done = true;
    for (const w of this.pausedWaiters.splice(0)) w();
    this.endWith(end);
  }
}
