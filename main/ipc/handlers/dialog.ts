import { AppFailure } from '../../../app/ipc/result';
import type { FileDialogs } from '../../services/dialogs';
import type { Services } from '../../services/services';
import type { HandlerTable } from '../handler-table';

type DialogChannel = Extract<keyof HandlerTable, `dialog:${string}`>;

function dialogs(s: Services): FileDialogs {
  const port = s.config.dialogs;
  if (!port) throw new AppFailure('conflict', 'File dialogs need the desktop app.', { code: 'no-dialogs' });
  return port;
}

/** IPC handlers of the OS file dialogs. */
export function dialogHandlers(): Pick<HandlerTable, DialogChannel> {
  return {
    'dialog:open': async (s, { kind, multiple }) => ({ paths: await dialogs(s).open(kind, multiple) }),
    'dialog:save': async (s, { kind, defaultName }) => ({ file: await dialogs(s).save(kind, defaultName) }),
  };
}
