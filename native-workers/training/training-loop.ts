/**
 * One training run inside a training worker: the CNN core's Trainer (data order, augmentation, schedule, epoch
 * accounting) drives a DataParallelTrainer (gradients on every core). Between batches it honours pause and stop,
 * reports progress, and at every epoch end evaluates on the validation images, writes a checkpoint atomically and
 * applies early stopping.
 *
 * Two ways to take the optimizer step, chosen by the config (fixed for a run, so a resumed run takes the same):
 *  - Adam and AdamW, with any weight decay and clipping (every preset): clipping and the optimizer run inside the
 *    shard workers, each on its slice of the parameters (parallel/worker-optimizer.ts): the fast path;
 *  - SGD: the workers only compute the reduced gradient and the Trainer's optimizer steps in this thread.
 * Either way the checkpoint holds everything that changes, so a resumed run matches an uninterrupted one bit for bit
 * (with the same number of workers). A checkpoint written before AdamW moved into the workers keeps its moments in
 * the Trainer's optimizer state: a resumed run moves them into the workers (resumeOptimizerInWorkers).
 */
import fs from 'node:fs';
import type { ModelSpec } from '../../app/domain/model-spec';
import { buildModel, type Model } from '../cnn/model';
import { readModelFile } from '../cnn/model-file';
import { deserializeModel, serializeModel } from '../cnn/serialize';
import type { Dataset } from '../cnn/train/dataset';
import { evaluate } from '../cnn/train/evaluate';
import { Trainer, type TrainerCheckpoint } from '../cnn/train/trainer';
import { fastKernels } from '../kernels/fast-kernels';
import {
  DataParallelTrainer,
  type DataParallelCheckpoint,
  type StepResult,
} from '../parallel/data-parallel-trainer';
import { optimizerInWorkers, workerOptimizerHyper } from '../parallel/worker-optimizer';
import { writeFileAtomic } from './atomic-file';
import type { FromTrainingWorker, TrainJob, WorkerEpoch } from './messages';
import { predictWithTrainer } from './predict';
import { decodeRunCheckpoint, encodeRunCheckpoint, type LoopState } from './run-checkpoint';
import { readTensors } from './tensor-source';

/** Pause and stop requests from main, read between batches. */
export class RunControl {
  private pauseRequested = false;
  private stopRequested = false;
  private wake: (() => void) | null = null;

  pause(): void {
    this.pauseRequested = true;
  }
  resume(): void {
    this.pauseRequested = false;
    this.wake?.();
  }
  stop(): void {
    this.stopRequested = true;
    this.wake?.();
  }
  get stopping(): boolean {
    return this.stopRequested;
  }
  get pausing(): boolean {
    return this.pauseRequested && !this.stopRequested;
  }
  /** Resolves on resume or stop. */
  waitWhilePaused(): Promise<void> {
    if (!this.pausing) return Promise.resolve();
    return new Promise<void>((resolve) => (this.wake = resolve)).then(() => {
      this.wake = null;
    });
  }
}

/**
 * The data-parallel part of a checkpoint to restore when the optimizer runs in the workers. A checkpoint of a run
 * whose optimizer stepped on the Trainer (AdamW before it moved into the workers) has its moments and step count in
 * the Trainer's optimizer state and none in the workers': they are moved over, so the run continues from them.
 */
export function resumeOptimizerInWorkers(
  trainer: TrainerCheckpoint,
  dataParallel: DataParallelCheckpoint,
): DataParallelCheckpoint {
  const opt = trainer.optimizer;
  if (dataParallel.stepT !== 0 || opt.step === 0) return dataParallel;
  if (opt.type === 'sgd' || !opt.buffers.m || !opt.buffers.v)
    throw new CheckpointError(`the checkpoint's ${opt.type} state cannot continue in the workers`);
  return { ...dataParallel, stepT: opt.step, adamM: opt.buffers.m, adamV: opt.buffers.v };
}

const PROGRESS_EVERY_MS = 100;

/** The weights a fresh run continues from (the service checked them; a changed file is still refused). */
function readInitWeights(file: string, spec: ModelSpec): { params: Float32Array; state: Float32Array } {
  let weights;
  try {
    weights = readModelFile(new Uint8Array(fs.readFileSync(file)));
  } catch (error) {
    throw new CheckpointError(`cannot read the weights to start from: ${(error as Error).message}`);
  }
  if (JSON.stringify(weights.spec) !== JSON.stringify(spec))
    throw new CheckpointError('the weights to start from belong to another model');
  return { params: weights.params, state: weights.state };
}

export async function runTrainJob(
  job: TrainJob,
  post: (m: FromTrainingWorker) => void,
  control: RunControl,
): Promise<void> {
  const { spec, config } = job;
  const { channels, height, width } = spec.input;
  const imageSize = channels * height * width;
  const shape = { channels, height, width };
  const train: Dataset = {
    images: readTensors(job.train, imageSize),
    labels: job.trainLabels,
    count: job.trainLabels.length,
    ...shape,
  };
  const validation: Dataset | null = job.valLabels.length
    ? {
        images: readTensors(job.val, imageSize),
        labels: job.valLabels,
        count: job.valLabels.length,
        ...shape,
      }
    : null;

  const fast = optimizerInWorkers(config);
  const init = !job.resume && job.startFromInit ? readInitWeights(job.files.initModel, spec) : null;
  const dp = await DataParallelTrainer.create({
    spec,
    seed: config.seed,
    ...(init ? { params: init.params, state: init.state } : {}),
    maxBatch: config.batchSize,
    workers: job.workers,
    ...(fast ? { lr: config.learningRate, ...workerOptimizerHyper(config) } : {}),
  });
  try {
    const model = buildModel(spec, {
      seed: config.seed,
      batchSize: config.batchSize,
      kernels: fastKernels(),
      params: dp.params,
      grads: dp.grads,
      skipInit: true,
    });
    dp.readState(model.state);
    const trainer = new Trainer({ model, train, config });
    let loop: LoopState = {
      bestEpoch: null,
      bestValLoss: null,
      epochsSinceBest: 0,
      trainSeconds: 0,
      imagesTrained: 0,
      epochs: [],
    };
    let resumedFrom: { epoch: number; step: number } | null = null;
    if (job.resume) {
      const cp = readCheckpoint(job.files.checkpoint);
      if (JSON.stringify(cp.spec) !== JSON.stringify(spec))
        throw new CheckpointError('the checkpoint belongs to another model');
      trainer.restore(cp.trainer);
      dp.restore(fast ? resumeOptimizerInWorkers(cp.trainer, cp.dataParallel) : cp.dataParallel);
      dp.readState(model.state);
      loop = cp.loop;
      resumedFrom = { epoch: trainer.epoch, step: trainer.step };
    }

    const checkpoint = () => {
      try {
        writeFileAtomic(
          job.files.checkpoint,
          encodeRunCheckpoint({ spec, trainer: trainer.checkpoint(), dataParallel: dp.checkpoint(), loop }),
        );
      } catch (error) {
        throw new CheckpointError(`cannot write the checkpoint: ${(error as Error).message}`);
      }
    };
    const saveModel = (file: string, epoch: number) =>
      writeFileAtomic(file, serializeModel(model, { runId: job.runId, classNames: job.classNames, epoch }));

    post({
      type: 'started',
      backend: dp.backend,
      batchesPerEpoch: trainer.batchesPerEpoch,
      totalSteps: trainer.totalSteps,
      resumedFrom,
      history: loop.epochs,
    });

    let earlyStopped = false;
    let window = { loss: 0, correct: 0, seen: 0, since: performance.now(), images: 0 };
    let epochStart = performance.now();
    let epochTrainSeconds = 0;
    let epochImages = 0;
    let steps = 0;
    // With the optimizer in the workers, the step after the current one is published before the current one is
    // awaited (DataParallelTrainer queues it), so the workers go straight from one step to the next while this
    // thread records the first; never past an epoch's end, a pause or a stop, which need the workers idle.
    const publish = (): PublishedStep => {
      // gathered straight into the buffer the workers will read (no copy of the batch)
      const b = trainer.nextBatch(dp.inputBuffer());
      if (!fast)
        return { size: b.size, endsEpoch: b.endsEpoch, done: dp.computeGradients(b.x, b.labels, b.size) };
      dp.setHyper({ lr: b.learningRate });
      return { size: b.size, endsEpoch: b.endsEpoch, done: dp.trainStep(b.x, b.labels, b.size) };
    };
    let current: PublishedStep | null = null;
    let t0 = 0;
    while (!trainer.done) {
      if (!current) {
        if (control.pausing) {
          checkpoint();
          post({ type: 'paused', epoch: trainer.epoch + 1, batch: trainer.batchIndex });
          await control.waitWhilePaused();
          if (!control.stopping) post({ type: 'resumed' });
          window = { loss: 0, correct: 0, seen: 0, since: performance.now(), images: 0 };
        }
        if (control.stopping) break;
        t0 = performance.now();
        current = publish();
      }
      const b: PublishedStep = current;
      const epochEnds: boolean = b.endsEpoch;
      const next: PublishedStep | null =
        fast && !epochEnds && !control.pausing && !control.stopping ? publish() : null;
      // awaited in the next iteration; if this step fails first, the trainer's close() fails that one too
      next?.done.catch(() => undefined);
      const r = await b.done;
      current = next;
      if (epochEnds && model.state.length) dp.readState(model.state);
      const report = fast
        ? trainer.recordStep({ loss: r.loss, correct: r.correct, batch: r.count }, r.gradNorm)
        : trainer.applyGradients({ loss: r.loss, correct: r.correct, batch: r.count });
      const t1 = performance.now();
      epochTrainSeconds += (t1 - t0) / 1000;
      epochImages += b.size;
      loop.trainSeconds += (t1 - t0) / 1000;
      t0 = t1;
      loop.imagesTrained += b.size;
      window.loss += r.loss * r.count;
      window.correct += r.correct;
      window.seen += r.count;
      steps++;
      if (job.fault && steps >= job.fault.afterSteps) injectFault(job.fault.kind);

      if (t1 - window.since >= PROGRESS_EVERY_MS || epochEnds) {
        post({
          type: 'progress',
          epoch: report.epoch + 1,
          batch: report.batchIndex + 1,
          batchesPerEpoch: report.batchesPerEpoch,
          step: report.step + 1,
          totalSteps: report.totalSteps,
          loss: window.loss / window.seen,
          accuracy: window.correct / window.seen,
          learningRate: report.learningRate,
          imagesPerSecond: window.seen / ((t1 - window.since) / 1000),
        });
        window = { loss: 0, correct: 0, seen: 0, since: t1, images: 0 };
      }

      if (epochEnds) {
        const summary = trainer.history[trainer.history.length - 1];
        const val = validation ? evaluate(model, validation) : null;
        const epoch = summary.epoch + 1;
        let improved = false;
        if (val === null || loop.bestValLoss === null || val.loss < loop.bestValLoss) {
          improved = true;
          loop.bestEpoch = epoch;
          loop.bestValLoss = val?.loss ?? null;
          loop.epochsSinceBest = 0;
          if (val) saveModel(job.files.bestModel, epoch); // every run keeps its best epoch's weights
        } else loop.epochsSinceBest++;
        const metrics: WorkerEpoch = {
          epoch,
          trainLoss: summary.trainLoss,
          trainAccuracy: summary.trainAccuracy,
          valLoss: val?.loss ?? null,
          valAccuracy: val?.accuracy ?? null,
          seconds: (performance.now() - epochStart) / 1000,
          imagesPerSecond: epochImages / epochTrainSeconds,
          learningRate: report.learningRate,
        };
        loop.epochs.push(metrics);
        checkpoint();
        post({
          type: 'epoch',
          metrics,
          checkpointWritten: true,
          bestEpoch: loop.bestEpoch ?? epoch,
          improved,
        });
        epochStart = performance.now();
        epochTrainSeconds = 0;
        epochImages = 0;
        window.since = performance.now();
        if (job.patience > 0 && validation && loop.epochsSinceBest >= job.patience && !trainer.done) {
          earlyStopped = true;
          break;
        }
      }
    }

    const stopped = control.stopping && !trainer.done && !earlyStopped;
    if (stopped) checkpoint();
    // Early stopping keeps the best epoch's weights (and so does a finished run that had it on).
    const keepBest =
      job.patience > 0 &&
      validation !== null &&
      loop.bestEpoch !== null &&
      fs.existsSync(job.files.bestModel);
    let finalValAccuracy = loop.epochs[loop.epochs.length - 1]?.valAccuracy ?? null;
    if (keepBest) {
      loadModelFile(model, job.files.bestModel);
      finalValAccuracy = loop.epochs.find((e) => e.epoch === loop.bestEpoch)?.valAccuracy ?? finalValAccuracy;
    } else if (stopped && validation && trainer.batchIndex > 0) {
      dp.readState(model.state);
      finalValAccuracy = evaluate(model, validation).accuracy;
    }
    saveModel(job.files.finalModel, loop.epochs.length);

    // Predictions of the kept model for every image of the run (evaluation, confusion cells, mislabeled list).
    const test = readTensors(job.test, imageSize);
    for (const [source, images] of [
      [job.train, train.images as Uint8Array],
      [job.val, validation?.images as Uint8Array | undefined],
      [job.test, test],
    ] as const) {
      if (!images || source.imageIds.length === 0) continue;
      post({
        type: 'predictions',
        imageIds: source.imageIds,
        batch: await predictWithTrainer(dp, model, images),
      });
    }

    post({
      type: 'finished',
      status: stopped ? 'stopped' : 'completed',
      earlyStopped,
      bestEpoch: loop.bestEpoch,
      finalValAccuracy,
      imagesPerSecond: loop.trainSeconds > 0 ? loop.imagesTrained / loop.trainSeconds : 0,
    });
  } finally {
    await dp.close();
  }
}

/** A training step handed to the workers, not yet recorded. */
interface PublishedStep {
  size: number;
  endsEpoch: boolean;
  done: Promise<StepResult>;
}

/** A checkpoint that cannot be read or written (reported as the `checkpoint` failure). */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

function readCheckpoint(file: string) {
  try {
    return decodeRunCheckpoint(new Uint8Array(fs.readFileSync(file)));
  } catch (error) {
    throw new CheckpointError(`cannot read the checkpoint: ${(error as Error).message}`);
  }
}

function loadModelFile(model: Model, file: string): void {
  const { model: saved } = deserializeModel(new Uint8Array(fs.readFileSync(file)), { batchSize: 1 });
  model.loadParams(saved.params, saved.state);
}

/** Tests only: fail the way a real run can. */
function injectFault(kind: 'throw' | 'oom' | 'exit'): void {
  switch (kind) {
    case 'throw':
      throw new Error('injected fault');
    case 'oom': {
      const hog: number[][] = [];
      for (;;) hog.push(new Array(1 << 20).fill(Math.random()));
    }
    case 'exit':
      process.exit(3);
  }
}
