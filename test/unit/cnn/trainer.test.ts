import { describe, expect, it } from 'vitest';
import type { ModelSpec, TrainingConfig } from '../../../app/domain/model-spec';
import { buildModel } from '../../../native-workers/cnn/model';
import { Rng } from '../../../native-workers/cnn/rng';
import { augmentBatch } from '../../../native-workers/cnn/train/augment';
import { decodeCheckpoint, encodeCheckpoint } from '../../../native-workers/cnn/train/checkpoint-file';
import { ConfusionMatrix, metricsFromConfusion } from '../../../native-workers/cnn/train/metrics';
import type { Dataset } from '../../../native-workers/cnn/train/dataset';
import { Trainer } from '../../../native-workers/cnn/train/trainer';
import { combineBatchResults, weightedMeanInto } from '../../../native-workers/cnn/train/combine';
import { barsDataset } from './synthetic-data';
import { expectBitwiseEqual } from './bitwise';

// Uses every stateful piece: batchnorm running stats, dropout, augmentation, Adam moments, a schedule.
const spec: ModelSpec = {
  input: { height: 8, width: 8, channels: 1 },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 },
    { type: 'dropout', rate: 0.2 },
    { type: 'dense', units: 3 },
  ],
  numClasses: 3,
};
const config: TrainingConfig = {
  epochs: 2,
  batchSize: 16,
  learningRate: 0.01,
  optimizer: { type: 'adamw', weightDecay: 0.01 },
  schedule: { type: 'cosine' },
  warmupSteps: 3,
  clipGradNorm: 1,
  augmentation: { flipHorizontal: true, maxShift: 1, brightness: 0.1 },
  seed: 11,
};
const train = barsDataset(150, 1); // 10 batches per epoch, the last one partial (6)
const validation = barsDataset(30, 2);

function newTrainer(onEpoch?: () => void) {
  const model = buildModel(spec, { seed: config.seed, batchSize: config.batchSize });
  return new Trainer({ model, train, validation, config, onEpoch });
}

describe('Trainer', () => {
  it('prepares the batch after the current one before recording it (a queued step), within an epoch only', () => {
    const seen = (t: Trainer, ahead: boolean) => {
      const out: { x: number[]; labels: number[]; lr: number; endsEpoch: boolean }[] = [];
      const copy = (b: ReturnType<Trainer['nextBatch']>) =>
        out.push({ x: [...b.x], labels: [...b.labels], lr: b.learningRate, endsEpoch: b.endsEpoch });
      const record = () => t.recordStep({ loss: 1, correct: 0, batch: 1 });
      if (!ahead) {
        for (let i = 0; i < t.batchesPerEpoch; i++) {
          const b = t.nextBatch();
          // each batch carries its own step's scheduled rate (warm-up, then cosine)
          expect(b.learningRate).toBe(t.learningRate);
          copy(b);
          record();
        }
        return out;
      }
      copy(t.nextBatch());
      for (let i = 1; i < t.batchesPerEpoch; i++) {
        copy(t.nextBatch());
        record();
      }
      expect(() => t.nextBatch()).toThrow(/last step/);
      expect(() => t.checkpoint()).toThrow(/not recorded/);
      record();
      return out;
    };
    const straight = seen(newTrainer(), false);
    const ahead = newTrainer();
    expect(seen(ahead, true)).toEqual(straight);
    expect(straight.map((b) => b.endsEpoch).indexOf(true)).toBe(9);
    expect(new Set(straight.map((b) => b.lr)).size).toBeGreaterThan(5);
    expect(ahead.epoch).toBe(1);
    expect(ahead.checkpoint().step).toBe(10);
  });

  it('resumes from a checkpoint bit for bit (2 epochs straight = 1 epoch + checkpoint + restore + 1 epoch)', () => {
    const straight = newTrainer();
    straight.run();
    expect(straight.done).toBe(true);
    expect(straight.step).toBe(20);

    const first = newTrainer();
    first.runEpoch();
    const bytes = encodeCheckpoint(spec, first.checkpoint());
    const { spec: savedSpec, checkpoint } = decodeCheckpoint(bytes);
    expect(savedSpec).toEqual(spec);
    const resumed = newTrainer(); // fresh model, fresh trainer
    resumed.restore(checkpoint);
    resumed.run();
    expectBitwiseEqual(resumed.model.params, straight.model.params, 'resumed.model.params');
    expectBitwiseEqual(resumed.model.state, straight.model.state, 'resumed.model.state');
    expect(resumed.history).toEqual(straight.history);
  });

  it('resumes exactly from the middle of an epoch too', () => {
    const straight = newTrainer();
    straight.run();
    const first = newTrainer();
    first.run({ maxSteps: 13 });
    expect([first.epoch, first.batchIndex]).toEqual([1, 3]);
    const resumed = newTrainer();
    resumed.restore(first.checkpoint());
    resumed.run();
    expectBitwiseEqual(resumed.model.params, straight.model.params, 'resumed.model.params');
    expect(resumed.history).toEqual(straight.history);
  });

  it('a checkpoint taken inside the batch callback at an epoch boundary resumes exactly', () => {
    const straight = newTrainer();
    straight.run();
    let saved: ReturnType<Trainer['checkpoint']> | null = null;
    const model = buildModel(spec, { seed: config.seed, batchSize: config.batchSize });
    const first: Trainer = new Trainer({
      model,
      train,
      validation,
      config,
      onBatch: (r) => {
        if (r.step === 9) saved = first.checkpoint();
      },
    });
    first.run({ maxSteps: 10 });
    expect(saved!.epoch).toBe(1);
    expect(saved!.batchIndex).toBe(0);
    const resumed = newTrainer();
    resumed.restore(saved!);
    resumed.run();
    expectBitwiseEqual(resumed.model.params, straight.model.params, 'resumed.model.params');
  });

  it('reports batches and epochs, stops between batches, and lets a driver apply gradients itself', () => {
    const batches: number[] = [];
    const model = buildModel(spec, { seed: 1, batchSize: 16 });
    const t = new Trainer({ model, train, validation, config, onBatch: (r) => batches.push(r.batchSize) });
    expect(t.run({ shouldStop: () => batches.length === 4 })).toBe(false);
    expect(batches).toEqual([16, 16, 16, 16]);
    // The data-parallel path: nextBatch → gradients computed elsewhere → applyGradients.
    const b = t.nextBatch();
    const r = t.applyGradients(model.computeGradients(b.x, b.labels));
    expect(r.step).toBe(4);
    const epoch = t.runEpoch()!;
    expect(batches.slice(-1)).toEqual([6]);
    expect(epoch.epoch).toBe(0);
    expect(epoch.validation!.count).toBe(30);
    expect(epoch.validation!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(30);
    expect(() => new Trainer({ model, train, config: { ...config, batchSize: 32 } })).toThrow('batchSize');
    expect(() => new Trainer({ model, train: { ...train, count: 149 }, config })).toThrow('dataset');
  });
});

describe('augmentation', () => {
  it('flips, shifts with zero fill and is seeded', () => {
    const img = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i + 1); // 2 images 1×3×4
    const shape = { channels: 1, height: 3, width: 4 };
    const a = img.slice();
    augmentBatch(a, 2, shape, { flipHorizontal: true, maxShift: 1 }, new Rng(5));
    const b = img.slice();
    augmentBatch(b, 2, shape, { flipHorizontal: true, maxShift: 1 }, new Rng(5));
    expect(a).toEqual(b);
    const flipOnly = img.slice(0, 12);
    // find a seed whose first draw flips, to check the mirror exactly
    let seed = 0;
    while (new Rng(seed).uniform() >= 0.5) seed++;
    augmentBatch(flipOnly, 1, shape, { flipHorizontal: true }, new Rng(seed));
    expect(Array.from(flipOnly)).toEqual([4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9]);
  });
});

describe('contrast augmentation', () => {
  it('scales each image around its mean, draws only when on, and is seeded', () => {
    const shape = { channels: 1, height: 2, width: 2 };
    const img = Float32Array.from([0.1, 0.3, 0.5, 0.9, 0.2, 0.2, 0.4, 0.8]); // 2 images
    const a = img.slice();
    augmentBatch(a, 2, shape, { contrast: 0.5 }, new Rng(3));
    const b = img.slice();
    augmentBatch(b, 2, shape, { contrast: 0.5 }, new Rng(3));
    expect(a).toEqual(b);
    expect(a).not.toEqual(img);
    for (let n = 0; n < 2; n++) {
      const mean = (x: Float32Array) => x.subarray(n * 4, n * 4 + 4).reduce((s, v) => s + v, 0) / 4;
      expect(mean(a)).toBeCloseTo(mean(img), 6);
      // one factor per image: every deviation from the mean is scaled alike
      const f = (a[n * 4] - mean(img)) / (img[n * 4] - mean(img));
      expect(f).toBeGreaterThanOrEqual(0.5);
      expect(f).toBeLessThanOrEqual(1.5);
      for (let i = 1; i < 4; i++)
        expect(a[n * 4 + i] - mean(img)).toBeCloseTo(f * (img[n * 4 + i] - mean(img)), 5);
    }
    // brightness alone draws the same numbers as before contrast existed (one per image)
    const rng = new Rng(9);
    augmentBatch(img.slice(), 2, shape, { brightness: 0.1 }, rng);
    const expected = new Rng(9);
    expected.uniform();
    expected.uniform();
    expect(rng.uniform()).toBe(expected.uniform());
  });
});

describe('uint8 datasets', () => {
  it('train exactly like the same images given as float32 / 255', () => {
    const bytes = Uint8Array.from(train.images, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
    const asFloat = { ...train, images: Float32Array.from(bytes, (v) => v / 255) };
    const asBytes = { ...train, images: bytes };
    const run = (data: Dataset) => {
      const model = buildModel(spec, { seed: config.seed, batchSize: config.batchSize });
      const t = new Trainer({ model, train: data, validation: data, config });
      t.run();
      return { params: model.params, history: t.history };
    };
    const f = run(asFloat);
    const b = run(asBytes);
    expectBitwiseEqual(b.params, f.params, 'uint8-trained params');
    expect(b.history[1].validation!.loss).toBe(f.history[1].validation!.loss);
  });
});

describe('metrics', () => {
  it('precision, recall, F1 and the confusion matrix', () => {
    const cm = new ConfusionMatrix(3);
    const pairs = [
      [0, 0],
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 0],
      [2, 2],
    ];
    for (const [t, p] of pairs) cm.add(t, p);
    const m = metricsFromConfusion(cm, 3);
    expect(m.confusion).toEqual([
      [2, 1, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.loss).toBeCloseTo(0.5, 12);
    expect(m.perClass[0]).toMatchObject({ support: 3, correct: 2 });
    expect(m.perClass[0].precision).toBeCloseTo(2 / 3, 12);
    expect(m.perClass[0].recall).toBeCloseTo(2 / 3, 12);
    expect(m.perClass[1].precision).toBeCloseTo(0.5, 12);
    expect(m.perClass[1].f1).toBeCloseTo(0.5, 12);
    expect(m.perClass[2].f1).toBe(1);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 12);
  });
});

describe('data-parallel helpers', () => {
  it('a batch split in two slices gives the same gradient and loss as the whole batch', () => {
    const x = train.images.subarray(0, 16 * 64);
    const y = (train.labels as Int32Array).subarray(0, 16);
    // Batchnorm statistics and dropout masks legitimately differ per slice, so compare without them.
    const layers = spec.layers.filter((l) => l.type !== 'batchNorm' && l.type !== 'dropout');
    const plain = buildModel({ ...spec, layers }, { seed: 4, batchSize: 16 });
    const whole = plain.computeGradients(x, y);
    const gWhole = plain.grads.slice();
    const a = plain.computeGradients(x.subarray(0, 10 * 64), y.subarray(0, 10));
    const gA = plain.grads.slice();
    const b = plain.computeGradients(x.subarray(10 * 64), y.subarray(10));
    const gB = plain.grads.slice();
    const combined = combineBatchResults([a, b]);
    expect(combined.batch).toBe(16);
    expect(combined.correct).toBe(whole.correct);
    expect(combined.loss).toBeCloseTo(whole.loss, 6);
    const g = new Float32Array(gA.length);
    weightedMeanInto(g, [gA, gB], [10, 6]);
    for (let i = 0; i < g.length; i++) expect(g[i]).toBeCloseTo(gWhole[i], 5);
  });
});
