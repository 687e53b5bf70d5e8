import { z } from 'zod';
import type { AddToDatasetResult, ImageExplanation, PredictionModelInfo } from '../../domain/prediction';
import { invoke } from '../define';
import { localPath, projectId, runId } from '../schemas';

const batchId = z.string().regex(/^[0-9a-f-]{36}$/, 'not a batch id');
const topK = z.number().int().min(1).max(100).default(5);
/**
 * What predicts: the project's model (neither field), one of its runs (`runId`), or a model file (`modelFile`: a
 * `.cnnmodel` export or a run's model file, absolute).
 */
const modelFields = { runId: runId.optional(), modelFile: localPath.optional() };
const oneModel = (v: { runId?: string; modelFile?: string }) => !(v.runId && v.modelFile);
const oneModelMessage = { message: 'give runId or modelFile, not both' };

/** Invoke channels of the prediction domain (the Predict view and the window drop). */
export const predictionChannels = {
  /**
   * Starts predicting files and folders (folders walked recursively) with the project's model or run `runId`.
   * Results stream in `prediction:progress` events; `prediction:finished` ends the batch. Off the UI thread:
   * decoding with sharp, the network in an inference worker.
   */
  'prediction:start': invoke<{ batchId: string }>()(
    z
      .object({ projectId, ...modelFields, paths: z.array(localPath).min(1).max(10_000), topK })
      .strict()
      .refine(oneModel, oneModelMessage),
  ),
  /**
   * Loads a model for prediction (its worker starts now, so the first drop does not wait for it) and describes it.
   * A model file that is not a CNN Studio model fails with details.code 'bad-model-file'.
   */
  'prediction:model': invoke<PredictionModelInfo>()(
    z
      .object({ projectId, ...modelFields })
      .strict()
      .refine(oneModel, oneModelMessage),
  ),
  'prediction:cancel': invoke<{ cancelled: boolean }>()(z.object({ batchId }).strict()),
  /** One image's top classes, preview and Grad-CAM overlay (of `label`, default the top class). */
  'prediction:explain': invoke<ImageExplanation>()(
    z
      .object({
        projectId,
        ...modelFields,
        file: localPath,
        label: z.string().min(1).max(100).optional(),
        topK,
      })
      .strict()
      .refine(oneModel, oneModelMessage),
  ),
  /**
   * Saves a pasted image (PNG/JPEG/WebP bytes, base64) as a file main owns, so that it can be predicted and added
   * to the dataset like a dropped one.
   */
  'prediction:savePasted': invoke<{ file: string }>()(
    z
      .object({
        projectId,
        base64: z
          .string()
          .min(1)
          .max(70_000_000)
          .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'),
      })
      .strict(),
  ),
  /** Writes a finished batch as CSV (path, predicted label, probability, top-k; formula-safe cells). */
  'prediction:exportCsv': invoke<{ file: string; rows: number }>()(
    z.object({ batchId, file: localPath }).strict(),
  ),
  /** Copies a batch's predicted images into `dir/<predicted label>/` (dir may exist; names never clash). */
  'prediction:copyToFolders': invoke<{ dir: string; copied: number; failed: number }>()(
    z.object({ batchId, dir: localPath }).strict(),
  ),
  /** Feedback: adds the image to the dataset with `label` (the prediction if right, the correction if wrong). */
  'prediction:addToDataset': invoke<AddToDatasetResult>()(
    z.object({ projectId, file: localPath, label: z.string().trim().min(1).max(100) }).strict(),
  ),
} as const;
