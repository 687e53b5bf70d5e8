/**
 * The numbers behind the charts, as uPlot wants them: one shared, ascending x array (epochs, fractional within an
 * epoch) and one y array per series with null where a series has no point. Pure functions.
 */
import type { EpochMetrics, TrainingProgress } from '../../../../app/domain/training';

/** One live progress sample: where in training (epochs, fractional) and the mean loss/accuracy since the last. */
export interface LivePoint {
  x: number;
  loss: number;
  accuracy: number;
}

/** uPlot's aligned data: x first, then each series. */
export type ChartData = [number[], ...(number | null)[][]];

/** The most batch samples kept per run; older ones are merged pairwise when there are more. */
export const MAX_LIVE_POINTS = 3000;

/** Position of a progress event on the epoch axis: 2.5 = halfway through epoch 3. */
export function progressX(p: Pick<TrainingProgress, 'epoch' | 'batch' | 'batchesPerEpoch'>): number {
  const fraction = p.batchesPerEpoch > 0 ? Math.min(p.batch / p.batchesPerEpoch, 1) : 0;
  return p.epoch - 1 + fraction;
}

/**
 * Appends samples, keeping x ascending (a sample at or before the last one, e.g. after a resume re-runs part of an
 * epoch, replaces what came after it) and at most `max` points (the oldest half merged pairwise).
 */
export function appendPoints(
  points: readonly LivePoint[],
  added: readonly LivePoint[],
  max = MAX_LIVE_POINTS,
): LivePoint[] {
  let next = [...points];
  for (const p of added) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.loss)) continue;
    while (next.length > 0 && next[next.length - 1].x >= p.x) next.pop();
    next.push(p);
  }
  while (next.length > max) next = mergeOldestHalf(next);
  return next;
}

function mergeOldestHalf(points: LivePoint[]): LivePoint[] {
  const half = Math.floor(points.length / 2);
  const merged: LivePoint[] = [];
  for (let i = 0; i + 1 < half; i += 2) {
    const a = points[i];
    const b = points[i + 1];
    merged.push({ x: b.x, loss: (a.loss + b.loss) / 2, accuracy: (a.accuracy + b.accuracy) / 2 });
  }
  if (half % 2 === 1) merged.push(points[half - 1]);
  return [...merged, ...points.slice(half)];
}

/** Adds or replaces (by epoch number) epoch rows, sorted by epoch. */
export function mergeEpochs(epochs: readonly EpochMetrics[], added: readonly EpochMetrics[]): EpochMetrics[] {
  const byEpoch = new Map(epochs.map((e) => [e.epoch, e]));
  for (const e of added) byEpoch.set(e.epoch, e);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/** Which figure a chart shows. */
export type Metric = 'loss' | 'accuracy';

/**
 * A run's chart: [x, batches (live samples), training (per epoch), validation (per epoch)]. Epoch rows sit at
 * x = epoch (the end of that epoch); live samples at their fractional position.
 */
export function runChartData(
  points: readonly LivePoint[],
  epochs: readonly EpochMetrics[],
  metric: Metric,
): ChartData {
  const rows = new Map<number, [number | null, number | null, number | null]>();
  const row = (x: number) => {
    const key = Math.round(x * 1e6) / 1e6;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = [null, null, null]));
    return r;
  };
  for (const p of points) row(p.x)[0] = metric === 'loss' ? p.loss : p.accuracy;
  for (const e of epochs) {
    const r = row(e.epoch);
    r[1] = metric === 'loss' ? e.trainLoss : e.trainAccuracy;
    r[2] = metric === 'loss' ? e.valLoss : e.valAccuracy;
  }
  const xs = [...rows.keys()].sort((a, b) => a - b);
  const ys: (number | null)[][] = [[], [], []];
  for (const x of xs) {
    const r = rows.get(x) as [number | null, number | null, number | null];
    for (let s = 0; s < 3; s++) ys[s].push(r[s]);
  }
  return [xs, ...ys];
}

/** Several runs' validation curves on one epoch axis: [x = 1…longest, run 1, run 2, …] (training figures when a run has no validation). */
export function compareChartData(runs: readonly (readonly EpochMetrics[])[], metric: Metric): ChartData {
  const longest = Math.max(0, ...runs.map((epochs) => Math.max(0, ...epochs.map((e) => e.epoch))));
  const xs = Array.from({ length: longest }, (_, i) => i + 1);
  const data: ChartData = [xs];
  for (const epochs of runs) {
    const byEpoch = new Map(epochs.map((e) => [e.epoch, e]));
    data.push(
      xs.map((x) => {
        const e = byEpoch.get(x);
        if (!e) return null;
        return metric === 'loss' ? (e.valLoss ?? e.trainLoss) : (e.valAccuracy ?? e.trainAccuracy);
      }),
    );
  }
  return data;
}

/** True when a chart has at least one y value to draw. */
export function hasValues(data: ChartData): boolean {
  return data.slice(1).some((series) => series.some((v) => v !== null));
}
