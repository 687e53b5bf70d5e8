import { describe, expect, it } from 'vitest';
import type { TrainingSettings } from '../../../app/domain/training';
import { packageRecipe } from '../../../main/services/training-package/package-recipe';
import { presetSettings } from '../../../main/services/training/settings';

const custom = (over: Partial<TrainingSettings> = {}): TrainingSettings => ({
  ...presetSettings('small', 3),
  model: { kind: 'custom', layers: [{ type: 'flatten' }] },
  ...over,
});

describe('the training recipe of a package', () => {
  it('counts warm-up steps as the trainer does: ceil(images / batch) batches per epoch', () => {
    // 1000 images at 64: 16 batches per epoch (the last one 40 images), so 2.5 epochs are 40 steps
    const r = packageRecipe(custom({ warmupEpochs: 2.5, batchSize: 64 }), 1000);
    expect(r.batchSize).toBe(64);
    expect(r.warmupSteps).toBe(40);
    expect(packageRecipe(custom({ warmupEpochs: 0 }), 1000).warmupSteps).toBe(0);
  });

  it('caps the batch at the training images, as a run does', () => {
    const r = packageRecipe(custom({ batchSize: 256, warmupEpochs: 3 }), 100);
    expect(r.batchSize).toBe(100);
    expect(r.warmupSteps).toBe(3);
  });

  it('keeps every setting: optimizer, schedule, augmentation, seed, patience, epochs', () => {
    const r = packageRecipe(
      custom({
        optimizer: 'sgd',
        momentum: 0.8,
        weightDecay: 1e-4,
        schedule: 'step',
        stepEvery: 4,
        stepGamma: 0.5,
        learningRate: 0.05,
        epochs: 12,
        seed: 99,
        patience: 3,
        augmentation: { flip: true, shift: 2, brightness: 0.1, contrast: 0.2 },
      }),
      500,
    );
    expect(r).toEqual({
      epochs: 12,
      batchSize: 64,
      learningRate: 0.05,
      optimizer: { type: 'sgd', momentum: 0.8, weightDecay: 1e-4 },
      schedule: { type: 'step', everyEpochs: 4, gamma: 0.5 },
      warmupSteps: 0,
      clipGradNorm: null,
      augmentation: { flipHorizontal: true, maxShift: 2, brightness: 0.1, contrast: 0.2 },
      seed: 99,
      patience: 3,
    });
  });

  it("keeps a medium preset's clipping, cosine floor and warm-up (200 steps at its batch of 32)", () => {
    const images = 3200; // 100 batches per epoch
    const r = packageRecipe(presetSettings('medium', 1, images), images);
    expect(r.clipGradNorm).toBe(5);
    expect(r.schedule).toEqual({ type: 'cosine', minLr: 1e-5 });
    expect(r.warmupSteps).toBe(200);
    expect(r.augmentation).toEqual({ flipHorizontal: true, maxShift: 6, brightness: 0.1 });
  });
});
