import { z } from 'zod';
import { MODEL_EXPORT_FORMATS, type ModelExportResult } from '../../domain/model-export';
import { invoke } from '../define';
import { localPath, projectId, runId } from '../schemas';

/** Invoke channels of the model export domain. */
export const modelExportChannels = {
  /**
   * Exports the project's model (or run `runId`) into `dir` (new, or an existing empty folder) and checks it
   * (parity). Progress comes as `export:progress` events.
   */
  'export:run': invoke<ModelExportResult>()(
    z
      .object({
        projectId,
        runId: runId.optional(),
        format: z.enum(MODEL_EXPORT_FORMATS),
        dir: localPath,
      })
      .strict(),
  ),
} as const;
