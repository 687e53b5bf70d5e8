/**
 * Training settings: the defaults a preset recommends, and the translation of the user's settings into the CNN
 * core's ModelSpec and TrainingConfig. Pure functions.
 */
import type { InputSpec, LayerSpec, ModelSpec, TrainingConfig } from '../../../app/domain/model-spec';
import type { ModelPresetName } from '../../../app/domain/model-description';
import type { ModelChoice, TrainingSettings } from '../../../app/domain/training';
import { presetSpec, presetTrainingConfig } from '../../../native-workers/cnn/presets';

/**
 * The settings a preset recommends (its epochs, batch, optimizer, schedule, warm-up and augmentation). Presets
 * give warm-up in steps and settings speak in epochs, so `trainImages` (the project's training images) converts
 * it; without it (no images yet) the warm-up is left off.
 */
export function presetSettings(preset: ModelPresetName, seed = 1, trainImages?: number): TrainingSettings {
  const c = presetTrainingConfig(preset, seed);
  const opt = c.optimizer;
  const schedule = c.schedule?.type ?? 'constant';
  const batchesPerEpoch = trainImages ? Math.ceil(trainImages / c.batchSize) : 0;
  const warmupEpochs =
    c.warmupSteps && batchesPerEpoch > 0
      ? Math.min(100, Math.round((1000 * c.warmupSteps) / batchesPerEpoch) / 1000)
      : 0;
  return {
    model: { kind: 'preset', preset },
    epochs: c.epochs,
    batchSize: c.batchSize,
    optimizer: opt.type,
    learningRate: c.learningRate,
    momentum: opt.type === 'sgd' ? (opt.momentum ?? 0.9) : 0.9,
    weightDecay: opt.weightDecay ?? 0,
    schedule,
    ...(c.schedule?.type === 'cosine' && c.schedule.minLr ? { minLearningRate: c.schedule.minLr } : {}),
    stepEvery: c.schedule?.type === 'step' ? c.schedule.everyEpochs : 10,
    stepGamma: c.schedule?.type === 'step' ? c.schedule.gamma : 0.1,
    warmupEpochs,
    patience: 0,
    seed,
    augmentation: {
      flip: c.augmentation?.flipHorizontal ?? false,
      shift: c.augmentation?.maxShift ?? 0,
      brightness: c.augmentation?.brightness ?? 0,
      contrast: 0,
    },
    workers: null,
  };
}

/** The model spec of a choice for the project's input and class count (custom layers get the classifier added). */
export function specFor(choice: ModelChoice, input: InputSpec, numClasses: number): ModelSpec {
  if (choice.kind === 'preset') return presetSpec(choice.preset, input, numClasses);
  const layers: LayerSpec[] = choice.layers.map((l) => ({ ...l }));
  return { input: { ...input }, layers: [...layers, { type: 'dense', units: numClasses }], numClasses };
}

/** The preset name a run is listed under. */
export function presetOf(choice: ModelChoice): ModelPresetName | 'custom' {
  return choice.kind === 'preset' ? choice.preset : 'custom';
}

/** The CNN core's training config for these settings and `batchesPerEpoch` batches per epoch. */
export function trainingConfigFor(s: TrainingSettings, batchesPerEpoch: number): TrainingConfig {
  const optimizer: TrainingConfig['optimizer'] =
    s.optimizer === 'sgd'
      ? { type: 'sgd', momentum: s.momentum, weightDecay: s.weightDecay }
      : { type: s.optimizer, weightDecay: s.weightDecay };
  const schedule: TrainingConfig['schedule'] =
    s.schedule === 'step'
      ? { type: 'step', everyEpochs: s.stepEvery, gamma: s.stepGamma }
      : s.schedule === 'cosine'
        ? { type: 'cosine', ...(s.minLearningRate ? { minLr: s.minLearningRate } : {}) }
        : { type: 'constant' };
  const a = s.augmentation;
  const config: TrainingConfig = {
    epochs: s.epochs,
    batchSize: s.batchSize,
    learningRate: s.learningRate,
    optimizer,
    schedule,
    seed: s.seed,
  };
  const warmupSteps = Math.round(s.warmupEpochs * batchesPerEpoch);
  if (warmupSteps > 0) config.warmupSteps = warmupSteps;
  if (a.flip || a.shift > 0 || a.brightness > 0 || a.contrast > 0) {
    config.augmentation = {
      ...(a.flip ? { flipHorizontal: true } : {}),
      ...(a.shift > 0 ? { maxShift: a.shift } : {}),
      ...(a.brightness > 0 ? { brightness: a.brightness } : {}),
      ...(a.contrast > 0 ? { contrast: a.contrast } : {}),
    };
  }
  // the medium/large presets clip gradients; keep that when their settings are used unchanged
  if (s.model.kind === 'preset') {
    const clip = presetTrainingConfig(s.model.preset, s.seed).clipGradNorm;
    if (clip !== undefined) config.clipGradNorm = clip;
  }
  return config;
}
