import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { invokeChannels } from '../../app/ipc/contract';
import type { EventName, EventPayload } from '../../app/ipc/events';
import { fail } from '../../app/ipc/result';
import type { EventSink, Services } from '../services/services';
import { dispatchInvoke } from './dispatch';
import type { HandlerTable } from './handler-table';
import { isTrustedSender } from './sender-check';

/**
 * Registers one handler per contract channel on `ipcMain` (Electron's, or a test's fake); each checks its
 * sender (our UI's top frame, see isTrustedSender) before dispatching, and refuses anything else unread.
 */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, table: HandlerTable, services: Services): void {
  for (const channel of Object.keys(invokeChannels)) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) => {
      const frame = event.senderFrame;
      if (!frame || !isTrustedSender(frame.url, frame.parent === null)) {
        return fail('forbidden-sender', `Refused ${channel} from ${frame?.url ?? 'an unknown frame'}.`);
      }
      return dispatchInvoke(table, services, channel, payload);
    });
  }
}

/** An EventSink that pushes to the window's page (if it is still open). */
export function webContentsEvents(target: () => WebContents | undefined): EventSink {
  return {
    emit<E extends EventName>(channel: E, payload: EventPayload<E>) {
      const contents = target();
      if (contents && !contents.isDestroyed()) contents.send(channel, payload);
    },
  };
}
