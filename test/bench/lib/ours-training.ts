/**
 * How `npm run bench` times our training: DataParallelTrainer.trainStep (Adam in the workers) on the reference CNN,
 * batch 64, real Fashion-MNIST in a fixed shuffled order; a few warm-up steps, then timed windows of consecutive
 * steps, the figure being the median window. Shared by bench-cnn.ts and bench-training-service.ts, so that both
 * measure the same thing the same way.
 */
import type { KernelChoice } from '../../../native-workers/kernels/fast-kernels';
import { DataParallelTrainer } from '../../../native-workers/parallel/data-parallel-trainer';
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

/** Warm-up, then `plan.windows` timed windows of `plan.batches` trainStep calls, from position 0 of `idx`. */
export async function timeTrainSteps(
  t: DataParallelTrainer,
  train: Split,
  idx: Uint32Array,
  plan: TrainPlan,
  log: (line: string) => void,
  label: string,
): Promise<TrainTiming> {
  const BS = BENCH_BATCH;
  const xb = new Float32Array(BS * 784);
  const yb = new Int32Array(BS);
  let pos = 0;
  const computeMs: number[] = [];
  const reduceMs: number[] = [];
  const overheadMs: number[] = [];
  const step = async () => {
    fillBatch(train, idx, pos, BS, xb, yb);
    pos += BS;
    const t0 = performance.now();
    const r = await t.trainStep(xb, yb, BS);
    const wall = performance.now() - t0;
    computeMs.push(r.computeMs);
    reduceMs.push(r.reduceMs);
    // coordination cost: wake-ups, barrier wait, completion message (wall time not spent computing)
    overheadMs.push(wall - r.computeMs - r.reduceMs);
  };
  for (let i = 0; i < plan.warmup; i++) await step();
  const trainWindows: number[] = [];
  const cpuWindows: number[] = [];
  for (let w = 0; w < plan.windows; w++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < plan.batches; i++) await step();
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

/** The reported figures of a timing: medians of the windows and of the per-step times. */
export function trainFigures(timing: TrainTiming): TrainFigures {
  const tr = median(timing.trainWindows);
  return {
    trainImagesPerSecond: round(tr),
    trainGflops: round((tr * TRAIN_FLOPS) / 1e9, 3),
    trainWindows: timing.trainWindows.map((v) => round(v)),
    coresBusyWhileTraining: round(median(timing.cpuWindows), 2),
    trainImagesPerCpuSecond: round(median(timing.trainWindows.map((v, i) => v / timing.cpuWindows[i]))),
    stepComputeMs: round(median(timing.computeMs), 2),
    stepReduceMs: round(median(timing.reduceMs), 2),
    stepCoordinationMs: round(median(timing.overheadMs), 2),
  };
}
