/**
 * The public API of the CNN core, for the training/inference workers, the data-parallel driver and the app.
 * Everything here is environment-neutral (no Node, no DOM).
 */
export type { Conv2dShape, DenseShape, KernelSet, Pool2dShape, Tensor } from './kernel-set';
export { referenceKernels } from './reference-kernels';
export { Rng, deriveSeed, type RngState } from './rng';
export { SpecError } from './spec-error';
export { describeModel, checkModelSpec } from './describe-model';
export { planModel, type LayerPlan } from './plan';
export { layoutParams, decayMask, type ParamEntry, type ParamLayout } from './params';
export {
  Model,
  buildModel,
  argmaxRow,
  type BuildModelOptions,
  type BatchResult,
  type ConvFilters,
  type FeatureMap,
} from './model';
export { presets, presetSpec, presetTrainingConfig, type PresetInfo, type PresetName } from './presets';
export { createOptimizer, type Optimizer, type OptimizerState } from './optim/optimizer';
export { learningRateAt } from './optim/schedule';
export { clipGradNorm, globalNorm } from './optim/clip';
export { serializeModel, deserializeModel, readModelHeader, type ModelFileHeader } from './serialize';
export { Trainer, type TrainerOptions, type TrainerCheckpoint, type TrainingBatch } from './train/trainer';
export { encodeCheckpoint, decodeCheckpoint } from './train/checkpoint-file';
export { evaluate } from './train/evaluate';
export { combineBatchResults, weightedMeanInto } from './train/combine';
export { validateDataset, gatherBatch, type Dataset } from './train/dataset';
export { augmentBatch, type AugmentFn } from './train/augment';
export { ConfusionMatrix, metricsFromConfusion } from './train/metrics';
