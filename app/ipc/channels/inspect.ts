import { z } from 'zod';
import type { ConvolveResult, Inspection, ShiftExperiment } from '../../domain/inspect';
import { invoke } from '../define';
import { localPath, projectId, runId } from '../schemas';

const source = z.union([
  z.object({ imageId: z.number().int().positive() }).strict(),
  z.object({ file: localPath }).strict(),
]);
const model = { runId: runId.optional(), live: z.boolean().optional() };

/** Invoke channels of "Look inside" (issue 10). All computed in a worker on the CNN core. */
export const inspectChannels = {
  /** Feature maps of every layer, the filters, the top classes and Grad-CAM (of `label`, default the top class). */
  'inspect:image': invoke<Inspection>()(
    z.object({ projectId, ...model, source, label: z.string().min(1).max(100).optional() }).strict(),
  ),
  /** The translation experiment: the image shifted by each offset (and flipped), predicted each time. */
  'inspect:shift': invoke<ShiftExperiment>()(
    z
      .object({
        projectId,
        ...model,
        source,
        offsets: z
          .array(
            z
              .object({ dx: z.number().int().min(-64).max(64), dy: z.number().int().min(-64).max(64) })
              .strict(),
          )
          .min(1)
          .max(41),
        flip: z.boolean().default(false),
      })
      .strict(),
  ),
  /** The filter playground: the image convolved with a 3×3 kernel, and the most similar learned first-layer filters. */
  'inspect:convolve': invoke<ConvolveResult>()(
    z
      .object({
        projectId,
        ...model,
        source,
        kernel: z.array(z.number().finite().min(-100).max(100)).length(9),
      })
      .strict(),
  ),
} as const;
