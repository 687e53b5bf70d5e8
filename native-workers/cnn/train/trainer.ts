/**
 * The training loop, pure and step by step: no threads, no timers, no I/O. A worker drives it one batch at a
 * time (so it can pause, stop or post messages between batches); a data-parallel driver can use its pieces
 * separately: nextBatch() → (workers compute gradients, reduced into model.grads) → applyGradients().
 *
 * Reproducibility: the order of epoch e is a shuffle seeded by (seed, e), augmentation and dropout draw from
 * their own seeded generators, and checkpoint() captures everything that changes while training (weights,
 * batchnorm stats, optimizer moments, generator states, position, running epoch totals), so a restored run
 * continues bit for bit like one that was never interrupted.
 */
import type { BatchReport, EpochReport, EvalMetrics, TrainingConfig } from '../../../app/domain/model-spec';
import type { BatchResult, Model } from '../model';
import { clipGradNorm, globalNorm } from '../optim/clip';
import { createOptimizer, type Optimizer, type OptimizerState } from '../optim/optimizer';
import { learningRateAt } from '../optim/schedule';
import { decayMask } from '../params';
import { deriveSeed, Rng, type RngState } from '../rng';
import { augmentBatch, type AugmentFn } from './augment';
import { gatherBatch, validateDataset, type Dataset } from './dataset';
import { evaluate } from './evaluate';

/** What a Trainer needs. */
export interface TrainerOptions {
  model: Model;
  train: Dataset;
  /** Evaluated at the end of every epoch when given. */
  validation?: Dataset;
  config: TrainingConfig;
  /** Extra augmentation, applied after the configured one; must draw randomness only from the given rng. */
  augment?: AugmentFn;
  onBatch?: (report: BatchReport) => void;
  onEpoch?: (report: EpochReport) => void;
}

/** One prepared training batch (views into the trainer's buffers, valid until the next nextBatch()). */
export interface TrainingBatch {
  x: Float32Array;
  labels: Int32Array;
  size: number;
  epoch: number;
  batchIndex: number;
  /** The scheduled learning rate of this batch's step. */
  learningRate: number;
  /** True for the epoch's last batch. */
  endsEpoch: boolean;
}

/** Everything needed to resume a run exactly. JSON-able except for the Float32Arrays. */
export interface TrainerCheckpoint {
  config: TrainingConfig;
  epoch: number;
  batchIndex: number;
  step: number;
  params: Float32Array;
  modelState: Float32Array;
  optimizer: OptimizerState;
  augmentRng: RngState;
  dropoutRng: RngState;
  epochTotals: EpochTotals;
  history: EpochReport[];
}

interface EpochTotals {
  lossSum: number;
  correct: number;
  seen: number;
}

/** Drives training of one model on one dataset. */
export class Trainer {
  readonly model: Model;
  readonly config: TrainingConfig;
  readonly optimizer: Optimizer;
  readonly batchesPerEpoch: number;
  readonly totalSteps: number;
  /** Reports of finished epochs. */
  readonly history: EpochReport[] = [];
  private readonly opts: TrainerOptions;
  private readonly augmentRng: Rng;
  private readonly x: Float32Array;
  private readonly labels: Int32Array;
  private orderEpoch = -1;
  private order: Int32Array;
  private _epoch = 0;
  private _batchIndex = 0;
  private _step = 0;
  /** Batches handed out by nextBatch() whose steps are not recorded yet (1, or 2 with a step queued ahead). */
  private prepared = 0;
  private totals: EpochTotals = { lossSum: 0, correct: 0, seen: 0 };

  /** Validates the data against the model and sets up the optimizer; does not train yet. */
  constructor(opts: TrainerOptions) {
    const { model, train, validation, config } = opts;
    validateDataset(train, model.spec.input, model.numClasses);
    if (validation) validateDataset(validation, model.spec.input, model.numClasses);
    if (!(
      Number.isInteger(config.batchSize) &&
      config.batchSize >= 1 &&
      config.batchSize <= model.batchSize
    )) {
      throw new Error(
        `batchSize ${config.batchSize} must be between 1 and the model's batchSize ${model.batchSize}`,
      );
    }
    if (!(Number.isInteger(config.epochs) && config.epochs >= 1))
      throw new Error('epochs must be a positive integer');
    if (train.count === 0) throw new Error('the training set is empty');
    this.opts = opts;
    this.model = model;
    this.config = config;
    this.optimizer = createOptimizer(config.optimizer, model.params.length, decayMask(model.layout));
    this.batchesPerEpoch = Math.ceil(train.count / config.batchSize);
    this.totalSteps = this.batchesPerEpoch * config.epochs;
    this.augmentRng = new Rng(deriveSeed(config.seed, 4));
    this.x = new Float32Array(config.batchSize * model.inputSize);
    this.labels = new Int32Array(config.batchSize);
    this.order = new Int32Array(train.count);
  }

  /** 0-based epoch of the next batch. */
  get epoch(): number {
    return this._epoch;
  }

  /** 0-based index of the next batch within its epoch. */
  get batchIndex(): number {
    return this._batchIndex;
  }

  /** Number of optimizer steps taken. */
  get step(): number {
    return this._step;
  }

  /** True when all epochs are done. */
  get done(): boolean {
    return this._epoch >= this.config.epochs;
  }

  /** The learning rate of the next step. */
  get learningRate(): number {
    return learningRateAt(this.config, this._step, this.batchesPerEpoch, this.totalSteps);
  }

  /** The example order of an epoch: a shuffle seeded by (seed, epoch), so it needs no saved state. */
  private epochOrder(epoch: number): Int32Array {
    if (this.orderEpoch !== epoch) {
      for (let i = 0; i < this.order.length; i++) this.order[i] = i;
      new Rng(deriveSeed(this.config.seed, 3, epoch)).shuffle(this.order);
      this.orderEpoch = epoch;
    }
    return this.order;
  }

  /**
   * Gathers and augments the next batch. Call it once per step, followed by applyGradients or recordStep (which
   * advance the position); augmentation draws from the trainer's generator in batch order. A data-parallel driver
   * that queues a step behind the running one may prepare the batch after the current one before recording the
   * current step (then recordStep both in order), within an epoch: the epoch's last batch must be recorded first.
   * `into` (at least batchSize images) receives the images instead of the trainer's own buffer, e.g. the buffer
   * the workers read (DataParallelTrainer.inputBuffer()), which saves copying the batch there.
   */
  nextBatch(into?: Float32Array): TrainingBatch {
    if (this.done) throw new Error('training is finished');
    const batchIndex = this._batchIndex + this.prepared;
    if (batchIndex >= this.batchesPerEpoch)
      throw new Error("record the epoch's last step before preparing the next epoch's first batch");
    const { train } = this.opts;
    const bs = this.config.batchSize;
    const from = batchIndex * bs;
    const to = Math.min(from + bs, train.count);
    const size = to - from;
    const target = into ?? this.x;
    if (target.length < size * this.model.inputSize)
      throw new Error(`nextBatch: a buffer too small for ${size} images`);
    gatherBatch(train, this.epochOrder(this._epoch), from, to, target, this.labels);
    const x = target.subarray(0, size * this.model.inputSize);
    const shape = { channels: train.channels, height: train.height, width: train.width };
    if (this.config.augmentation) augmentBatch(x, size, shape, this.config.augmentation, this.augmentRng);
    if (this.opts.augment) this.opts.augment(x, size, shape, this.augmentRng);
    const step = this._step + this.prepared;
    this.prepared++;
    return {
      x,
      labels: this.labels.subarray(0, size),
      size,
      epoch: this._epoch,
      batchIndex,
      learningRate: learningRateAt(this.config, step, this.batchesPerEpoch, this.totalSteps),
      endsEpoch: batchIndex === this.batchesPerEpoch - 1,
    };
  }

  /**
   * Clips model.grads, takes one optimizer step with the scheduled learning rate, and advances the position
   * (running the epoch-end evaluation and callbacks when the epoch is complete). `result` is the batch's mean
   * loss, correct count and size — from model.computeGradients, or combined by a data-parallel driver.
   */
  applyGradients(result: BatchResult): BatchReport {
    const lr = this.learningRate;
    const gradNorm =
      this.config.clipGradNorm !== undefined
        ? clipGradNorm(this.model.grads, this.config.clipGradNorm)
        : globalNorm(this.model.grads);
    this.optimizer.step(this.model.params, this.model.grads, lr);
    return this.advance(result, lr, gradNorm);
  }

  /**
   * Records a step whose update was already applied to model.params elsewhere (a data-parallel optimizer that ran
   * with this.learningRate), then advances like applyGradients. The trainer's own optimizer is not used.
   * `gradNorm` is the norm that optimizer saw before clipping, when it computed one.
   */
  recordStep(result: BatchResult, gradNorm = NaN): BatchReport {
    return this.advance(result, this.learningRate, gradNorm);
  }

  private advance(result: BatchResult, lr: number, gradNorm: number): BatchReport {
    const report: BatchReport = {
      epoch: this._epoch,
      batchIndex: this._batchIndex,
      batchesPerEpoch: this.batchesPerEpoch,
      step: this._step,
      totalSteps: this.totalSteps,
      batchSize: result.batch,
      loss: result.loss,
      accuracy: result.correct / result.batch,
      learningRate: lr,
      gradNorm,
    };
    this.totals.lossSum += result.loss * result.batch;
    this.totals.correct += result.correct;
    this.totals.seen += result.batch;
    this._step++;
    this._batchIndex++;
    this.prepared = Math.max(0, this.prepared - 1);
    // Roll over to the next epoch before any callback, so a checkpoint taken inside one is always consistent.
    const epochReport = this._batchIndex === this.batchesPerEpoch ? this.finishEpoch() : null;
    this.opts.onBatch?.(report);
    if (epochReport) this.opts.onEpoch?.(epochReport);
    return report;
  }

  private finishEpoch(): EpochReport {
    const t = this.totals;
    const report: EpochReport = {
      epoch: this._epoch,
      trainLoss: t.lossSum / t.seen,
      trainAccuracy: t.correct / t.seen,
      ...(this.opts.validation ? { validation: evaluate(this.model, this.opts.validation) } : {}),
    };
    this.history.push(report);
    this._epoch++;
    this._batchIndex = 0;
    this.totals = { lossSum: 0, correct: 0, seen: 0 };
    return report;
  }

  /** One complete training step on the next batch: nextBatch, computeGradients, applyGradients. */
  trainStep(): BatchReport {
    const b = this.nextBatch();
    return this.applyGradients(this.model.computeGradients(b.x, b.labels));
  }

  /**
   * Trains until the end (or until shouldStop() returns true, checked before every batch, or until maxSteps
   * steps have been taken in this call). Returns whether training is finished.
   */
  run(opts: { shouldStop?: () => boolean; maxSteps?: number } = {}): boolean {
    let steps = 0;
    while (!this.done && !(opts.shouldStop?.() ?? false) && steps < (opts.maxSteps ?? Infinity)) {
      this.trainStep();
      steps++;
    }
    return this.done;
  }

  /** Trains the rest of the current epoch and returns its report (or null when already finished). */
  runEpoch(): EpochReport | null {
    if (this.done) return null;
    const epoch = this._epoch;
    while (this._epoch === epoch) this.trainStep();
    return this.history[this.history.length - 1];
  }

  /** Evaluates the model on a dataset (inference mode). */
  evaluate(data: Dataset): EvalMetrics {
    return evaluate(this.model, data);
  }

  /**
   * A snapshot of everything that training changes (copies, safe to keep while training goes on). Take it
   * between steps (not between nextBatch and applyGradients).
   */
  checkpoint(): TrainerCheckpoint {
    if (this.prepared > 0) throw new Error('Trainer.checkpoint: a prepared batch is not recorded yet');
    return {
      config: this.config,
      epoch: this._epoch,
      batchIndex: this._batchIndex,
      step: this._step,
      params: this.model.params.slice(),
      modelState: this.model.state.slice(),
      optimizer: this.optimizer.getState(),
      augmentRng: this.augmentRng.getState(),
      dropoutRng: this.model.rng.getState(),
      epochTotals: { ...this.totals },
      history: structuredCloneHistory(this.history),
    };
  }

  /** Restores a checkpoint taken from a trainer with the same spec, data and config. */
  restore(cp: TrainerCheckpoint): void {
    // The position (epoch, batch) only means the same examples under the same batch size and seed.
    if (cp.config.batchSize !== this.config.batchSize || cp.config.seed !== this.config.seed) {
      throw new Error('checkpoint was taken with another batch size or seed');
    }
    this.model.loadParams(cp.params, cp.modelState);
    this.optimizer.setState(cp.optimizer);
    this.augmentRng.setState(cp.augmentRng);
    this.model.rng.setState(cp.dropoutRng);
    this._epoch = cp.epoch;
    this._batchIndex = cp.batchIndex;
    this._step = cp.step;
    this.prepared = 0;
    this.totals = { ...cp.epochTotals };
    this.history.length = 0;
    this.history.push(...structuredCloneHistory(cp.history));
  }
}

function structuredCloneHistory(h: EpochReport[]): EpochReport[] {
  return JSON.parse(JSON.stringify(h));
}
