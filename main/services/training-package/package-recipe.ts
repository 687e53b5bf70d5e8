/** The `training` block of training.json: the app's settings resolved as the trainer would resolve them. */
import type { TrainingSettings } from '../../../app/domain/training';
import type { TrainingPackageFile } from '../../../app/domain/training-package';
import { trainingConfigFor } from '../training/settings';

/**
 * The recipe for `trainImages` training images. The trainer (native-workers/cnn/train/trainer.ts) steps
 * ceil(images / batch) times per epoch with the batch capped at the image count (run-job.ts caps it the same way),
 * so the warm-up's epochs become steps at that rate, and the batch written is the one a run would use.
 */
export function packageRecipe(
  settings: TrainingSettings,
  trainImages: number,
): TrainingPackageFile['training'] {
  const batchSize = Math.max(1, Math.min(settings.batchSize, trainImages));
  const batchesPerEpoch = Math.ceil(trainImages / batchSize);
  const c = trainingConfigFor(settings, batchesPerEpoch);
  return {
    epochs: c.epochs,
    batchSize,
    learningRate: c.learningRate,
    optimizer: c.optimizer,
    schedule: c.schedule ?? { type: 'constant' },
    warmupSteps: c.warmupSteps ?? 0,
    clipGradNorm: c.clipGradNorm ?? null,
    augmentation: c.augmentation ?? {},
    seed: c.seed,
    patience: settings.patience,
  };
}
