import { z } from 'zod';
import {
  EVAL_SPLITS,
  type EvaluationReport,
  type ImagePrediction,
  type RunDetail,
  type RunSummary,
} from '../../domain/training';
import type { ImportModelResult } from '../../domain/training-package';
import { invoke } from '../define';
import { localPath, projectId, runId } from '../schemas';

const runName = z.string().trim().min(1).max(100);
const split = z.enum(EVAL_SPLITS);

/** Invoke channels of the runs and evaluation domains. */
export const runsChannels = {
  /** Every run of the project, newest first. */
  'runs:list': invoke<RunSummary[]>()(z.object({ projectId }).strict()),
  'runs:show': invoke<RunDetail>()(z.object({ projectId, runId }).strict()),
  'runs:rename': invoke<RunSummary>()(z.object({ projectId, runId, name: runName }).strict()),
  /** Deletes a finished run and its files (not the active one). */
  'runs:delete': invoke<{ deleted: true }>()(z.object({ projectId, runId }).strict()),
  /**
   * Imports a model trained elsewhere (.cnnmodel, a run's final.model, or ONNX; a training package's metrics.jsonl
   * and training.json beside it) as a completed run (issue 15).
   */
  'runs:importModel': invoke<ImportModelResult>()(
    z.object({ projectId, file: localPath, name: runName.optional() }).strict(),
  ),
  /** Makes a finished run the project's model (null: back to the newest completed run). */
  'runs:use': invoke<{ model: RunSummary | null }>()(
    z.object({ projectId, runId: runId.nullable() }).strict(),
  ),

  /** The model's results on a split with the current labels (runId: default the project's model). */
  'evaluation:evaluate': invoke<EvaluationReport>()(
    z.object({ projectId, runId: runId.optional(), split: split.default('val') }).strict(),
  ),
  /**
   * Predictions for images of a split: those in one confusion-matrix cell (trueLabel/predicted given), or every
   * image ranked by loss (the "likely mislabeled" list: the model confidently disagrees with the label).
   */
  'evaluation:predictions': invoke<ImagePrediction[]>()(
    z
      .object({
        projectId,
        runId: runId.optional(),
        split,
        trueLabel: z.string().min(1).max(100).optional(),
        predicted: z.string().min(1).max(100).optional(),
        order: z.enum(['loss', 'confidence']).default('loss'),
        onlyWrong: z.boolean().default(false),
        limit: z.number().int().min(1).max(10_000).default(200),
      })
      .strict(),
  ),
} as const;
