/**
 * How `npm run bench` times our training: DataParallelTrainer.trainStep (Adam or AdamW in the workers, with the
 * next step queued behind the running one, as the app trains) on the reference CNN at batch 64 on real Fashion-MNIST in a fixed shuffled order, or on a preset at the
 * chosen input and batch; a few warm-up steps, then timed windows of consecutive steps, the figure being the median
 * window. Shared by bench-cnn.ts and bench-training-service.ts, so that both measure the same thing the same way.
 */
import type { ModelSpec, TrainingConfig } from '../../../app/domain/model-spec';
import { clipGradNorm } from '../../../native-workers/cnn/optim/clip';
import { createOptimizer } from '../../../native-workers/cnn/optim/optimizer';
import { decayMask, layoutParams } from '../../../native-workers/cnn/params';
import { planModel } from '../../../native-workers/cnn/plan';
import type { KernelChoice } from '../../../native-workers/kernels/fast-kernels';
import { DataParallelTrainer, type StepResult } from '../../../native-workers/parallel/data-parallel-trainer';
import { optimizerInWorkers, workerOptimizerHyper } from '../../../native-workers/parallel/worker-optimizer';
import type { BatchSource } from './bench-data';
import { REFERENCE_CNN, REFERENCE_PARAMS, TRAIN_FLOPS, median, round } from './common';
import { type Split, fillBatch } from './fashion-mnist';

/** The batch size of every speed figure. */
export const BENCH_BATCH = 64;

export interface TrainPlan {
  /** Untimed steps first. */
  warmup: number;
  /** Timed windows (the figure is their median). */
  windows: number;
  /** Steps per window. */
  batches: number;
}

/** Raw timings of one measurement. */
export interface TrainTiming {
  /** Images/s of each window. */
  trainWindows: number[];
  /** Cores busy (process CPU time / wall time) in each window. */
  cpuWindows: number[];
  /** Per step, after warm-up: slowest worker's forward/backward, gradient reduce + Adam, and the rest. */
  computeMs: number[];
  reduceMs: number[];
  overheadMs: number[];
}

/** What the benchmark reports about training. */
export interface TrainFigures {
  trainImagesPerSecond: number;
  trainGflops: number;
  trainWindows: number[];
  coresBusyWhileTraining: number;
  trainImagesPerCpuSecond: number;
  stepComputeMs: number;
  stepReduceMs: number;
  stepCoordinationMs: number;
}

/** The reference CNN's data-parallel trainer, as the benchmark builds it (seed 1, Adam 1e-3). */
export async function createReferenceTrainer(
  workers: number,
  choice: KernelChoice,
): Promise<DataParallelTrainer> {
  const t = await DataParallelTrainer.create({
    spec: REFERENCE_CNN,
    seed: 1,
    maxBatch: BENCH_BATCH,
    workers,
    lr: 1e-3,
    kernels: choice,
  });
  if (t.paramCount !== REFERENCE_PARAMS) {
    await t.close();
    throw new Error(`param count ${t.paramCount} != ${REFERENCE_PARAMS}`);
  }
  return t;
}

/**
 * A data-parallel trainer for any spec (seed 1) and its training step as the app's training loop takes it
 * (native-workers/training/training-loop.ts): Adam and AdamW, with clipping, run inside the workers (trainStep,
 * parallel/worker-optimizer.ts); SGD (or any optimizer with `optimizerOnMainThread`, the path AdamW took before)
 * has the workers compute the reduced gradient and this thread clip it and take the optimizer step, with weight
 * decay on weights only (decayMask), as the Trainer does.
 */
export async function createTrainer(
  spec: ModelSpec,
  workers: number,
  choice: KernelChoice,
  maxBatch: number,
  config: Pick<TrainingConfig, 'learningRate' | 'optimizer' | 'clipGradNorm'>,
  optimizerOnMainThread = false,
): Promise<{ trainer: DataParallelTrainer; step: TrainStepFn; feed: StepFeed; optimizerWhere: string }> {
  const o = config.optimizer;
  const inWorkers = optimizerInWorkers(config) && !optimizerOnMainThread;
  const trainer = await DataParallelTrainer.create({
    spec,
    seed: 1,
    maxBatch,
    workers,
    lr: config.learningRate,
    ...(inWorkers ? workerOptimizerHyper(config) : {}),
    kernels: choice,
  });
  const clip = config.clipGradNorm !== undefined ? ` + clip ${config.clipGradNorm}` : '';
  if (inWorkers) {
    return {
      trainer,
      step: (x, y, n) => trainer.trainStep(x, y, n),
      feed: { queue: true, inputBuffer: () => trainer.inputBuffer() },
      optimizerWhere: `${o.type}${clip} in the workers`,
    };
  }
  const opt = createOptimizer(o, trainer.paramCount, decayMask(layoutParams(planModel(spec))));
  return {
    trainer,
    step: async (x, y, n) => {
      const r = await trainer.computeGradients(x, y, n);
      if (config.clipGradNorm !== undefined) clipGradNorm(trainer.grads, config.clipGradNorm);
      opt.step(trainer.params, trainer.grads, config.learningRate);
      return r;
    },
    // this thread's optimizer step must see each gradient before the next step starts
    feed: { queue: false, inputBuffer: () => trainer.inputBuffer() },
    optimizerWhere: `${o.type}${clip} on the main thread`,
  };
}

/** One training step on `n` images of x / labels. */
export type TrainStepFn = (x: Float32Array, labels: Int32Array, n: number) => Promise<StepResult>;

/** Warm-up, then `plan.windows` timed windows of `plan.batches` trainStep calls, from position 0 of `idx`. */
export function timeTrainSteps(
  t: DataParallelTrainer,
  train: Split,
  idx: Uint32Array,
  plan: TrainPlan,
  log: (line: string) => void,
  label: string,
): Promise<TrainTiming> {
  const source = {
    inputSize: 784,
    fill: (pos: number, bs: number, xb: Float32Array, yb: Int32Array) =>
      fillBatch(train, idx, pos, bs, xb, yb),
  };
  return timeTrainStepsOn((x, y, n) => t.trainStep(x, y, n), source, BENCH_BATCH, plan, log, label, {
    queue: true,
    inputBuffer: () => t.inputBuffer(),
  });
}

/** How timeTrainStepsOn hands its steps over, like native-workers/training/training-loop.ts. */
export interface StepFeed {
  /** Publish each step before awaiting the previous one (the optimizer runs in the workers). */
  queue?: boolean;
  /** Where to gather each batch (DataParallelTrainer.inputBuffer()) instead of a private buffer. */
  inputBuffer?: () => Float32Array;
}

/**
 * Warm-up, then `plan.windows` timed windows of `plan.batches` training steps of `batch` images of `source`, handed
 * over as `feed` says.
 */
export async function timeTrainStepsOn(
  trainStep: TrainStepFn,
  source: Pick<BatchSource, 'inputSize' | 'fill'>,
  batch: number,
  plan: TrainPlan,
  log: (line: string) => void,
  label: string,
  feed: StepFeed = {},
): Promise<TrainTiming> {
  const { queue = false } = feed;
  const BS = batch;
  const xb = new Float32Array(BS * source.inputSize);
  const yb = new Int32Array(BS);
  let pos = 0;
  const computeMs: number[] = [];
  const reduceMs: number[] = [];
  const overheadMs: number[] = [];
  let inFlight: Promise<StepResult> | null = null;
  let lastDone = 0;
  const record = (r: StepResult) => {
    const now = performance.now();
    computeMs.push(r.computeMs);
    reduceMs.push(r.reduceMs);
    // coordination cost: wake-ups, barrier waits, completion message (wall time between completions not spent
    // computing)
    overheadMs.push(now - lastDone - r.computeMs - r.reduceMs);
    lastDone = now;
  };
  const step = async () => {
    // as the training loop does: the batch gathered straight into the buffer the workers read next
    const x = feed.inputBuffer?.().subarray(0, BS * source.inputSize) ?? xb;
    source.fill(pos, BS, x, yb);
    pos += BS;
    const next = trainStep(x, yb, BS);
    if (inFlight) record(await inFlight);
    inFlight = next;
    if (!queue) await drain();
  };
  const drain = async () => {
    if (inFlight) record(await inFlight);
    inFlight = null;
  };
  lastDone = performance.now();
  for (let i = 0; i < plan.warmup; i++) await step();
  await drain();
  const trainWindows: number[] = [];
  const cpuWindows: number[] = [];
  for (let w = 0; w < plan.windows; w++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    lastDone = t0;
    for (let i = 0; i < plan.batches; i++) await step();
    await drain();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    trainWindows.push((plan.batches * BS) / wall);
    cpuWindows.push(cpu / wall);
    log(
      `  ${label} train window ${w + 1}: ${round(trainWindows[w])} img/s ` +
        `(${round(cpu / wall, 2)} cores busy, ${round((plan.batches * BS) / cpu)} img per CPU-second)`,
    );
  }
  return {
    trainWindows,
    cpuWindows,
    computeMs: computeMs.slice(plan.warmup),
    reduceMs: reduceMs.slice(plan.warmup),
    overheadMs: overheadMs.slice(plan.warmup),
  };
}

/**
 * The reported figures of a timing: medians of the windows and of the per-step times; GFLOP/s from the training
 * FLOPs per image (lib/flops.ts; the reference CNN's by default).
 */
export function trainFigures(timing: TrainTiming, trainFlopsPerImage = TRAIN_FLOPS): TrainFigures {
  const tr = median(timing.trainWindows);
  return {
    trainImagesPerSecond: round(tr),
    trainGflops: round((tr * trainFlopsPerImage) / 1e9, 3),
    trainWindows: timing.trainWindows.map((v) => round(v)),
    coresBusyWhileTraining: round(median(timing.cpuWindows), 2),
    trainImagesPerCpuSecond: round(median(timing.trainWindows.map((v, i) => v / timing.cpuWindows[i]))),
    stepComputeMs: round(median(timing.computeMs), 2),
    stepReduceMs: round(median(timing.reduceMs), 2),
    stepCoordinationMs: round(median(timing.overheadMs), 2),
  };
}
