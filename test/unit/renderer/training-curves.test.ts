import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../../app/domain/training';
import {
  appendPoints,
  compareChartData,
  hasValues,
  mergeEpochs,
  progressX,
  runChartData,
  type LivePoint,
} from '../../../renderer/src/features/train/curve-data';
import { FrameBatcher, type FrameScheduler } from '../../../renderer/src/features/train/frame-batcher';

function epoch(n: number, extra: Partial<EpochMetrics> = {}): EpochMetrics {
  return {
    epoch: n,
    trainLoss: 1 / n,
    trainAccuracy: n / 4,
    valLoss: 1.1 / n,
    valAccuracy: n / 8,
    seconds: 2,
    imagesPerSecond: 1000,
    learningRate: 0.001,
    ...extra,
  };
}

/** A frame scheduler the test advances by hand. */
function manualFrames(): FrameScheduler & { run(): void; pending(): number } {
  let callbacks = new Map<number, () => void>();
  let next = 1;
  return {
    request(callback) {
      callbacks.set(next, callback);
      return next++;
    },
    cancel(handle) {
      callbacks.delete(handle);
    },
    run() {
      const due = callbacks;
      callbacks = new Map();
      due.forEach((cb) => cb());
    },
    pending: () => callbacks.size,
  };
}

describe('training curves', () => {
  it('places progress on the epoch axis: halfway through epoch 3 is 2.5', () => {
    expect(progressX({ epoch: 3, batch: 50, batchesPerEpoch: 100 })).toBe(2.5);
    expect(progressX({ epoch: 1, batch: 100, batchesPerEpoch: 100 })).toBe(1);
    expect(progressX({ epoch: 1, batch: 5, batchesPerEpoch: 0 })).toBe(0);
  });

  it('keeps live samples ascending: a resume that repeats part of an epoch replaces what came after', () => {
    const a = appendPoints(
      [],
      [
        { x: 0.1, loss: 2, accuracy: 0.1 },
        { x: 0.2, loss: 1.9, accuracy: 0.2 },
        { x: 0.3, loss: 1.8, accuracy: 0.3 },
      ],
    );
    const b = appendPoints(a, [
      { x: 0.2, loss: 1.7, accuracy: 0.25 },
      { x: Number.NaN, loss: 1, accuracy: 1 },
    ]);
    expect(b.map((p) => [p.x, p.loss])).toEqual([
      [0.1, 2],
      [0.2, 1.7],
    ]);
  });

  it('merges the oldest half pairwise beyond the cap, keeping the newest samples exact', () => {
    const many: LivePoint[] = Array.from({ length: 12 }, (_, i) => ({ x: i + 1, loss: i, accuracy: 0 }));
    const capped = appendPoints([], many, 10);
    expect(capped.length).toBeLessThanOrEqual(10);
    expect(capped.at(-1)).toEqual(many.at(-1));
    expect(capped.slice(-6)).toEqual(many.slice(-6));
    for (let i = 1; i < capped.length; i++) expect(capped[i].x).toBeGreaterThan(capped[i - 1].x);
    // the first merged sample is the mean of the first two, at the second's position
    expect(capped[0]).toEqual({ x: 2, loss: 0.5, accuracy: 0 });
  });

  it('merges epochs by number, the newest figures winning, sorted', () => {
    const merged = mergeEpochs([epoch(2), epoch(1)], [epoch(2, { trainLoss: 9 }), epoch(3)]);
    expect(merged.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(merged[1].trainLoss).toBe(9);
  });

  it('aligns batch samples and epoch figures on one x axis, null where a series has no value', () => {
    const points: LivePoint[] = [
      { x: 0.5, loss: 2, accuracy: 0.3 },
      { x: 1, loss: 1.5, accuracy: 0.45 },
      { x: 1.5, loss: 1.2, accuracy: 0.55 },
    ];
    const [xs, batches, train, val] = runChartData(
      points,
      [epoch(1, { valLoss: null, valAccuracy: null })],
      'loss',
    );
    expect(xs).toEqual([0.5, 1, 1.5]);
    expect(batches).toEqual([2, 1.5, 1.2]);
    expect(train).toEqual([null, 1, null]);
    expect(val).toEqual([null, null, null]);
    const accuracy = runChartData([], [epoch(1), epoch(2)], 'accuracy');
    expect(accuracy).toEqual([
      [1, 2],
      [null, null],
      [0.25, 0.5],
      [0.125, 0.25],
    ]);
    expect(hasValues(accuracy)).toBe(true);
    expect(hasValues(runChartData([], [], 'loss'))).toBe(false);
  });

  it('overlays runs of different lengths by epoch, falling back to training figures without validation', () => {
    const data = compareChartData(
      [[epoch(1), epoch(2), epoch(3)], [epoch(1, { valAccuracy: null, trainAccuracy: 0.7 })]],
      'accuracy',
    );
    expect(data).toEqual([
      [1, 2, 3],
      [0.125, 0.25, 0.375],
      [0.7, null, null],
    ]);
  });

  it('coalesces events into one flush per animation frame, and drops them on dispose', () => {
    const frames = manualFrames();
    const flushed: number[][] = [];
    const batcher = new FrameBatcher<number>((items) => flushed.push(items), frames);
    batcher.push(1);
    batcher.push(2);
    batcher.push(3);
    expect(frames.pending()).toBe(1);
    expect(flushed).toEqual([]);
    frames.run();
    expect(flushed).toEqual([[1, 2, 3]]);
    batcher.push(4);
    frames.run();
    expect(flushed).toEqual([[1, 2, 3], [4]]);
    batcher.push(5);
    batcher.dispose();
    expect(frames.pending()).toBe(0);
    frames.run();
    expect(flushed).toHaveLength(2);
  });
});
