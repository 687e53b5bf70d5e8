import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { invokeChannels } from '../../app/ipc/contract';
import type { EventName, EventPayload } from '../../app/ipc/events';
import { fail } from '../../app/ipc/result';
import type { EventSink, Services } from '../services/services';
import { dispatchInvoke } from './dispatch';
import type { HandlerTable } from './handler-table';
import { isTrustedSender } from './sender-check';

/** Registers one ipcMain handler per contract channel; each checks its sender before dispatching. */
export function registerIpc(table: HandlerTable, services: Services): void {
  for (const channel of Object.keys(invokeChannels)) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) => {
      const frame = event.senderFrame;
      if (!isTrustedSender(frame?.url, frame?.parent === null)) {
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
