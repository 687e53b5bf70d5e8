import type { HandlerTable } from '../handler-table';

type SuggestionsChannel = Extract<keyof HandlerTable, `suggestions:${string}`>;

/** IPC handlers of label suggestions (see services/suggestions/). */
export function suggestionsHandlers(): Pick<HandlerTable, SuggestionsChannel> {
  return {
    'suggestions:status': (s, { projectId }) => s.suggestions.status(projectId),
    'suggestions:refresh': (s, { projectId, runId }) => s.suggestions.refresh(projectId, runId),
    'suggestions:cancel': (s, { projectId }) => s.suggestions.cancel(projectId),
    'suggestions:accept': (s, { projectId, ...which }) => s.suggestions.accept(projectId, which),
  };
}
