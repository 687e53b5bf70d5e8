import { z } from 'zod';
import { MODEL_PRESETS } from '../../domain/model-description';
import type { TrainingPackageResult } from '../../domain/training-package';
import { invoke } from '../define';
import { localPath, projectId, runId } from '../schemas';

/** What the UI's training package trains (the CLI adds `--spec`). */
const packageSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('settings') }).strict(),
  z.object({ kind: z.literal('run'), runId }).strict(),
  z.object({ kind: z.literal('preset'), preset: z.enum(MODEL_PRESETS) }).strict(),
]);

/** Invoke channels of the training package (issue 15). */
export const trainingPackageChannels = {
  /**
   * Writes a PyTorch training package of the project into `dir` (new, or an existing empty folder). Progress comes
   * as `trainingPackage:progress` events. Failures carry details.code: 'dir-not-empty' / 'not-a-folder', the
   * training refusals ('no-training-images', 'too-few-classes', 'invalid-model'), 'stored-path-invalid',
   * 'tensor-missing', 'run-missing'.
   */
  'trainingPackage:export': invoke<TrainingPackageResult>()(
    z.object({ projectId, source: packageSource, dir: localPath }).strict(),
  ),
} as const;
