import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { createDesktopApi } from '../../app/ipc/contract';
import { eventChannels } from '../../app/ipc/events';

// The narrow bridge: the page gets one named method per operation (window.desktop.projects.create, ...),
// never ipcRenderer itself. Event subscriptions are limited to the contract's event channels.
const desktop = createDesktopApi({
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  subscribe: (channel, listener) => {
    if (!Object.prototype.hasOwnProperty.call(eventChannels, channel)) {
      throw new Error(`Unknown event channel ${channel}`);
    }
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
});

desktop.files = { pathForFile: (file) => webUtils.getPathForFile(file as File) };

contextBridge.exposeInMainWorld('desktop', desktop);
