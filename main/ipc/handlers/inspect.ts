import { AppFailure } from '../../../app/ipc/result';
import type { HandlerTable } from '../handler-table';

type InspectChannel = Extract<keyof HandlerTable, `inspect:${string}`>;

const notYet = (): never => {
  throw new AppFailure('internal', 'Look inside is being built');
};

/** IPC handlers of "Look inside". */
export function inspectHandlers(): Pick<HandlerTable, InspectChannel> {
  return { 'inspect:image': notYet, 'inspect:shift': notYet, 'inspect:convolve': notYet };
}
