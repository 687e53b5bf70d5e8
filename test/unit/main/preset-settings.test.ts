import { describe, expect, it } from 'vitest';
import { presetSettings, trainingConfigFor } from '../../../main/services/training/settings';
import { presetTrainingConfig } from '../../../native-workers/cnn/presets';

describe('presetSettings keeps the preset recipe', () => {
  it("medium and large: the preset's 200 warm-up steps (as epochs of the project's data) and cosine floor", () => {
    for (const preset of ['medium', 'large'] as const) {
      const recipe = presetTrainingConfig(preset);
      // 8,000 training images at batch 32: 250 batches per epoch, so 200 steps are 0.8 epochs
      const s = presetSettings(preset, 3, 8000);
      expect(s.warmupEpochs).toBe(0.8);
      expect(s.minLearningRate).toBe(1e-5);
      const c = trainingConfigFor(s, Math.ceil(8000 / s.batchSize));
      expect(c.warmupSteps).toBe(recipe.warmupSteps);
      expect(c.schedule).toEqual(recipe.schedule);
      expect(c.clipGradNorm).toBe(recipe.clipGradNorm);
      expect(c.optimizer).toEqual(recipe.optimizer);
      expect(c.augmentation).toEqual(recipe.augmentation);
      // a count that does not divide: rounded epochs still give the preset's step count
      const odd = presetSettings(preset, 3, 6001);
      expect(trainingConfigFor(odd, Math.ceil(6001 / odd.batchSize)).warmupSteps).toBe(200);
    }
  });

  it('leaves warm-up off while the project has no training images, and adds nothing the preset lacks', () => {
    expect(presetSettings('medium', 1).warmupEpochs).toBe(0);
    expect(presetSettings('medium', 1, 0).warmupEpochs).toBe(0);
    const small = presetSettings('small', 1, 5000);
    expect(small.warmupEpochs).toBe(0);
    expect(small.minLearningRate).toBeUndefined();
    expect(trainingConfigFor(small, 79).schedule).toEqual({ type: 'cosine' });
  });
});
