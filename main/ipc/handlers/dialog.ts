import { AppFailure } from '../../../app/ipc/result';
import type { HandlerTable } from '../handler-table';

type DialogChannel = Extract<keyof HandlerTable, `dialog:${string}`>;

/** IPC handlers of the file dialogs. */
export function dialogHandlers(): Pick<HandlerTable, DialogChannel> {
  return {
    'dialog:open': () => {
      throw new AppFailure('internal', 'dialogs are being built');
    },
    'dialog:save': () => {
      throw new AppFailure('internal', 'dialogs are being built');
    },
  };
}
