/**
 * Label suggestions (issue 11). Being built: see app/domain/suggestions.ts and app/ipc/channels/suggestions.ts for
 * the contract.
 */
import type { AcceptSuggestionsResult, Suggestion, SuggestionsStatus } from '../../../app/domain/suggestions';
import { AppFailure } from '../../../app/ipc/result';

const notYet = (): never => {
  throw new AppFailure('internal', 'Suggestions are being built (issue 11).');
};

export class SuggestionsService {
  status(_projectId: string): SuggestionsStatus {
    return notYet();
  }
  /** Starts a refresh; answers the status (state 'running'). */
  refresh(_projectId: string, _runId?: string): SuggestionsStatus {
    return notYet();
  }
  /** Makes the suggestions and resolves when done (the CLI). */
  refreshAndWait(_projectId: string, _runId?: string): Promise<SuggestionsStatus> {
    return Promise.reject(new AppFailure('internal', 'Suggestions are being built (issue 11).'));
  }
  cancel(_projectId: string): { cancelled: boolean } {
    return notYet();
  }
  list(_projectId: string, _minConfidence?: number): Suggestion[] {
    return notYet();
  }
  accept(
    _projectId: string,
    _which: { imageIds?: number[]; minConfidence?: number; labelId?: number },
  ): AcceptSuggestionsResult {
    return notYet();
  }
  async dispose(): Promise<void> {}
}
