/**
 * A seeded "loss goes down as recorded" test (llm.c's test_gpt2): the first losses of a fixed run are
 * compared against recorded values, so any change in init, shuffling, an op or the optimizer shows up here.
 */
import { describe, expect, it } from 'vitest';
import type { ModelSpec, TrainingConfig } from '../../../app/domain/model-spec';
import { buildModel } from '../../../native-workers/cnn/model';
import { Trainer } from '../../../native-workers/cnn/train/trainer';
import { barsDataset } from './synthetic-data';

const spec: ModelSpec = {
  input: { height: 10, width: 10, channels: 1 },
  layers: [
    { type: 'conv2d', filters: 6, kernelSize: 3, padding: 'same' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 },
    { type: 'conv2d', filters: 8, kernelSize: [3, 2], stride: 1, padding: 'valid' },
    { type: 'leakyRelu', alpha: 0.05 },
    { type: 'flatten' },
    { type: 'dense', units: 16 },
    { type: 'relu' },
    { type: 'dense', units: 3 },
  ],
  numClasses: 3,
};
const config: TrainingConfig = {
  epochs: 3,
  batchSize: 20,
  learningRate: 0.05,
  optimizer: { type: 'sgd', momentum: 0.9, nesterov: true },
  seed: 2024,
};

// Recorded from this code on 2026-11-26 (float32 params, V8's Math functions).
const RECORDED_FIRST_LOSSES = [
  1.2832197950059059, 1.1223510718045557, 1.129008777938413, 1.0278915568063127, 0.967304382146492,
  0.9234015082690975,
];

describe('seeded learning', () => {
  it('reproduces the recorded first losses and halves the loss within 20 steps', () => {
    const model = buildModel(spec, { seed: config.seed, batchSize: config.batchSize });
    const losses: number[] = [];
    const trainer = new Trainer({
      model,
      train: barsDataset(300, 7, 10),
      config,
      onBatch: (r) => losses.push(r.loss),
    });
    trainer.run({ maxSteps: 30 });
    RECORDED_FIRST_LOSSES.forEach((l, i) =>
      expect(Math.abs(losses[i] - l), `loss ${i}: ${losses[i]}`).toBeLessThan(1e-5),
    );
    const start = losses[0];
    const halvedAt = losses.findIndex((l) => l < start / 2);
    expect(halvedAt).toBeGreaterThan(0);
    expect(halvedAt).toBeLessThan(20);
  });
});
