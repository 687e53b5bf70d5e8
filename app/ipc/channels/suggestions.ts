import { z } from 'zod';
import type { AcceptSuggestionsResult, SuggestionsStatus } from '../../domain/suggestions';
import { invoke } from '../define';
import { imageId, labelId, projectId, runId } from '../schemas';

/** Invoke channels of label suggestions (issue 11): the model's guesses for unlabeled images. */
export const suggestionsChannels = {
  /** Where the project's suggestions stand (stale reasons, counts, confidence histogram, progress). */
  'suggestions:status': invoke<SuggestionsStatus>()(z.object({ projectId }).strict()),
  /**
   * (Re)makes the suggestions of every unlabeled image with the project's model (or run `runId`) in an inference
   * worker; answers at once. Progress: `suggestions:progress`; end: `suggestions:finished`. A refresh that is
   * already running is restarted. No trained model: fails with `not-found`, details.code 'no-model'.
   */
  'suggestions:refresh': invoke<SuggestionsStatus>()(
    z.object({ projectId, runId: runId.optional() }).strict(),
  ),
  'suggestions:cancel': invoke<{ cancelled: boolean }>()(z.object({ projectId }).strict()),
  /**
   * Accepts suggestions as one undoable labeling action: those of `imageIds` (Enter on a selection), or every
   * unlabeled image's at or above `minConfidence`, optionally only those suggesting `labelId`. Images that are
   * labeled meanwhile, or whose suggested class is not a project label, are left alone.
   */
  'suggestions:accept': invoke<AcceptSuggestionsResult>()(
    z
      .object({
        projectId,
        imageIds: z.array(imageId).min(1).max(100_000).optional(),
        minConfidence: z.number().min(0).max(1).optional(),
        labelId: labelId.optional(),
      })
      .strict()
      .refine((v) => (v.imageIds === undefined) !== (v.minConfidence === undefined), {
        message: 'give imageIds or minConfidence (one of them)',
      }),
  ),
} as const;
