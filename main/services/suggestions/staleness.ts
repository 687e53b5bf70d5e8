/** Why a stored suggestion set no longer describes the project (the page offers a refresh). */
import type { SuggestionStaleReason } from '../../../app/domain/suggestions';
import type { SuggestionCounts } from './suggestion-store';

/**
 * The stale reasons of the set made by `storedRunId` when the project's model is `modelRunId`: none when no set
 * is stored (nothing is stale then, only not made yet).
 */
export function staleReasons(
  storedRunId: string | null,
  modelRunId: string | null,
  counts: Pick<SuggestionCounts, 'unlabeled' | 'suggested' | 'unknownLabel'>,
): SuggestionStaleReason[] {
  if (storedRunId === null) return [];
  const reasons: SuggestionStaleReason[] = [];
  if (modelRunId !== null && storedRunId !== modelRunId) reasons.push('model-changed');
  // unlabeled images added, restored or unlabeled after the set was made have none
  if (counts.suggested < counts.unlabeled) reasons.push('new-images');
  // a class the model suggests was renamed or deleted
  if (counts.unknownLabel > 0) reasons.push('labels-changed');
  return reasons;
}
