/**
 * One row of the benchmark's results, whoever produced it: the raw images/s, then GFLOP/s and % of the
 * machine's peak derived from the network's FLOPs (lib/flops.ts) and the threads the row used (lib/machine.ts).
 */
import { round } from './common';
import type { MachinePeak } from './machine';
import { percentOfPeak } from './machine';

/** What a producer measures. */
export interface RawRow {
  library: string;
  version: string;
  backend: string;
  /** Our rows: worker threads (training; inference with > 1 is split over them). */
  workers?: number;
  /** Peer rows: threads of the library. */
  threads?: number;
  /** null: the row does not train (an inference-only peer). */
  trainImagesPerSecond: number | null;
  inferImagesPerSecond: number;
  /** Inference one image at a time, where measured. */
  inferBatch1ImagesPerSecond?: number;
  trainWindows?: number[];
  inferWindows?: number[];
  params?: number;
  notes?: string;
  /** Our training rows: the step's breakdown and how busy the cores were (lib/ours-training.ts). */
  coresBusyWhileTraining?: number;
  trainImagesPerCpuSecond?: number;
  stepComputeMs?: number;
  stepReduceMs?: number;
  stepCoordinationMs?: number;
}

/** What the rows of one run have in common. */
export interface RunContext {
  preset: string;
  size: number;
  color: 'gray' | 'rgb';
  batch: number;
  forwardFlops: number;
  trainingFlops: number;
  machine: MachinePeak;
}

export interface BenchRow extends RawRow {
  preset: string;
  size: number;
  color: 'gray' | 'rgb';
  batch: number;
  trainGflops: number | null;
  inferGflops: number;
  trainPercentOfPeak: number | null;
  inferPercentOfPeak: number | null;
}

/** Adds the run's input, GFLOP/s and % of the peak of the row's threads. */
export function finishRow(raw: RawRow, ctx: RunContext): BenchRow {
  const threads = raw.workers ?? raw.threads ?? 1;
  const trainGflops =
    raw.trainImagesPerSecond === null ? null : round((raw.trainImagesPerSecond * ctx.trainingFlops) / 1e9, 2);
  const inferGflops = round((raw.inferImagesPerSecond * ctx.forwardFlops) / 1e9, 2);
  return {
    ...raw,
    preset: ctx.preset,
    size: ctx.size,
    color: ctx.color,
    batch: ctx.batch,
    trainGflops,
    inferGflops,
    trainPercentOfPeak: trainGflops === null ? null : percentOfPeak(trainGflops, threads, ctx.machine),
    inferPercentOfPeak: percentOfPeak(inferGflops, threads, ctx.machine),
  };
}
