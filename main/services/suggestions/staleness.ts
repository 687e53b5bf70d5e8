/** Why a stored suggestion set no longer describes the project (the page offers a refresh). */
import type { SuggestionStaleReason } from '../../../app/domain/suggestions';
import type { Db } from '../../db/open-database';
import { hasUnknownLabels, hasUnlabeledWithout } from './suggestion-store';

/**
 * The stale reasons of the set made by `storedRunId` when the project's model is `modelRunId`: none when no set
 * is stored (there is nothing stale, only nothing made yet).
 */
export function staleReasons(
  db: Db,
  storedRunId: string | null,
  modelRunId: string | null,
): SuggestionStaleReason[] {
  if (storedRunId === null) return [];
  const reasons: SuggestionStaleReason[] = [];
  if (modelRunId !== null && storedRunId !== modelRunId) reasons.push('model-changed');
  if (hasUnlabeledWithout(db)) reasons.push('new-images');
  if (hasUnknownLabels(db)) reasons.push('labels-changed');
  return reasons;
}
