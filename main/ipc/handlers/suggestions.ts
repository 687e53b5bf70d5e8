import { AppFailure } from '../../../app/ipc/result';
import type { HandlerTable } from '../handler-table';

type SuggestionsChannel = Extract<keyof HandlerTable, `suggestions:${string}`>;

const notYet = (): never => {
  throw new AppFailure('internal', 'Suggestions are being built (issue 11).');
};

/** IPC handlers of label suggestions (see services/suggestions/). */
export function suggestionsHandlers(): Pick<HandlerTable, SuggestionsChannel> {
  return {
    'suggestions:status': notYet,
    'suggestions:refresh': notYet,
    'suggestions:cancel': notYet,
    'suggestions:accept': notYet,
  };
}
