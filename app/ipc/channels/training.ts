import { z } from 'zod';
import { MODEL_PRESETS, type ModelPresetList, type NetworkDescription } from '../../domain/model-description';
import {
  LR_SCHEDULES,
  OPTIMIZERS,
  type RunSummary,
  type TrainingDefaults,
  type TrainingState,
} from '../../domain/training';
import { invoke } from '../define';
import { localPath, projectId, runId } from '../schemas';

const preset = z.enum(MODEL_PRESETS);
const size2d = z.union([
  z.number().int().min(1).max(64),
  z.tuple([z.number().int().min(1).max(64), z.number().int().min(1).max(64)]),
]);

/** One layer of the layer editor (the same shapes as app/domain/model-spec LayerSpec). */
export const layerSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('conv2d'),
      filters: z.number().int().min(1).max(1024),
      kernelSize: size2d,
      stride: size2d.optional(),
      padding: z.union([z.enum(['same', 'valid']), z.number().int().min(0).max(32)]).optional(),
    })
    .strict(),
  z.object({ type: z.literal('relu') }).strict(),
  z.object({ type: z.literal('leakyRelu'), alpha: z.number().min(0).max(1).optional() }).strict(),
  z.object({ type: z.literal('maxPool2d'), size: size2d, stride: size2d.optional() }).strict(),
  z.object({ type: z.literal('avgPool2d'), size: size2d, stride: size2d.optional() }).strict(),
  z.object({ type: z.literal('globalAvgPool') }).strict(),
  z
    .object({
      type: z.literal('batchNorm'),
      momentum: z.number().gt(0).max(1).optional(),
      epsilon: z.number().gt(0).max(1).optional(),
    })
    .strict(),
  z.object({ type: z.literal('dropout'), rate: z.number().min(0).lt(1) }).strict(),
  z.object({ type: z.literal('flatten') }).strict(),
  z.object({ type: z.literal('dense'), units: z.number().int().min(1).max(65536) }).strict(),
]);

export const modelChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('preset'), preset }).strict(),
  z.object({ kind: z.literal('custom'), layers: z.array(layerSchema).min(1).max(64) }).strict(),
]);

/** A complete TrainingSettings (app/domain/training.ts). */
export const trainingSettingsSchema = z
  .object({
    model: modelChoiceSchema,
    epochs: z.number().int().min(1).max(1000),
    batchSize: z.number().int().min(1).max(1024),
    optimizer: z.enum(OPTIMIZERS),
    learningRate: z.number().gt(0).max(10),
    momentum: z.number().min(0).lt(1),
    weightDecay: z.number().min(0).max(1),
    schedule: z.enum(LR_SCHEDULES),
    minLearningRate: z.number().min(0).max(10).optional(),
    stepEvery: z.number().int().min(1).max(1000),
    stepGamma: z.number().gt(0).max(1),
    warmupEpochs: z.number().min(0).max(100),
    patience: z.number().int().min(0).max(1000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    augmentation: z
      .object({
        flip: z.boolean(),
        shift: z.number().int().min(0).max(64),
        brightness: z.number().min(0).max(1),
        contrast: z.number().min(0).max(1),
      })
      .strict(),
    workers: z.number().int().min(1).max(256).nullable(),
    initFrom: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('run'), runId }).strict(),
        z.object({ kind: z.literal('file'), file: localPath }).strict(),
      ])
      .nullable()
      .optional(),
  })
  .strict();

/** Invoke channels of the model and training domains. */
export const trainingChannels = {
  /** The preset architectures; `recommended` suits the project's input size (28 px images without a project). */
  'model:presets': invoke<ModelPresetList>()(z.object({ projectId: projectId.optional() }).strict()),
  /**
   * A preset (or the layer editor's layers) built for the project's input size and colour and its number of
   * labels (10 with fewer than two), described layer by layer. An invalid layer list fails with
   * `invalid-payload` and details `{ layerIndex, reason }`.
   */
  'model:describe': invoke<NetworkDescription>()(
    z
      .object({ projectId, preset: preset.optional(), model: modelChoiceSchema.optional() })
      .strict()
      .refine((v) => (v.preset === undefined) !== (v.model === undefined), 'give preset or model'),
  ),

  /** The settings to show: the project's remembered ones, else the recommended preset's. */
  'training:defaults': invoke<TrainingDefaults>()(z.object({ projectId }).strict()),
  /** Starts (or queues) a run; answers at once. Progress: `training:progress`, `training:epoch`, `training:status`. */
  'training:start': invoke<RunSummary>()(
    z
      .object({ projectId, settings: trainingSettingsSchema, name: z.string().min(1).max(100).optional() })
      .strict(),
  ),
  /** Pauses the running run after its current batch and writes a checkpoint. */
  'training:pause': invoke<RunSummary>()(z.object({ projectId, runId }).strict()),
  /** Continues a paused run, or an interrupted one from its last checkpoint. */
  'training:resume': invoke<RunSummary>()(z.object({ projectId, runId }).strict()),
  /** Stops a queued, running or paused run; its weights so far are kept (status `stopped`). */
  'training:stop': invoke<RunSummary>()(z.object({ projectId, runId }).strict()),
  /** The project's active run and its latest progress. */
  'training:status': invoke<TrainingState>()(z.object({ projectId }).strict()),
  /**
   * Augmented versions of a few of the project's training images with the given settings, for the settings
   * preview: raw pixels (base64, C×H×W uint8, channel-major) so the page can paint them on a canvas.
   */
  'training:augmentPreview': invoke<{
    channels: number;
    height: number;
    width: number;
    images: { imageId: number; original: string; augmented: string[] }[];
  }>()(
    z
      .object({
        projectId,
        augmentation: trainingSettingsSchema.shape.augmentation,
        count: z.number().int().min(1).max(16).default(4),
        variants: z.number().int().min(1).max(8).default(4),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1)
          .default(1),
      })
      .strict(),
  ),
} as const;
