import { EventEmitter } from 'node:events';
import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  IpcMain,
  IpcMainInvokeEvent,
  Session,
  WebContents,
  WindowOpenHandlerResponse,
} from 'electron';
import type { BrowserWindowClass } from '../../../main/windows/main-window';

/** An Electron event as listeners see it: a URL (navigation events) and preventDefault. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** The parts of WebContents the shell uses: navigation events, the window-open hook, the page URL. */
export class FakeWebContents extends EventEmitter {
  windowOpenHandler?: (details: { url: string }) => WindowOpenHandlerResponse;
  url = 'app://ui/index.html';
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Emits a navigation event of `name` to `url`; true when a listener cancelled it. */
  navigate(name: string, url: string): boolean {
    const event = new FakeEvent(url);
    this.emit(name, event, url);
    return event.defaultPrevented;
  }
  asWebContents(): WebContents {
    return this as unknown as WebContents;
  }
}

/** A BrowserWindow class that records the options it was built with and what was loaded. */
export function fakeBrowserWindowClass(): {
  BrowserWindow: BrowserWindowClass;
  created: { options: BrowserWindowConstructorOptions; window: FakeBrowserWindow }[];
} {
  const created: { options: BrowserWindowConstructorOptions; window: FakeBrowserWindow }[] = [];
  class Window extends FakeBrowserWindow {
    constructor(options: BrowserWindowConstructorOptions) {
      super();
      created.push({ options, window: this });
    }
  }
  return { BrowserWindow: Window as unknown as BrowserWindowClass, created };
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  loaded: string[] = [];
  shown = false;
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  asBrowserWindow(): BrowserWindow {
    return this as unknown as BrowserWindow;
  }
}

type InvokeListener = (event: IpcMainInvokeEvent, payload: unknown) => unknown;

/** ipcMain.handle records one listener per channel; invoke() calls it as Electron would. */
export class FakeIpcMain {
  readonly handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  /** Invokes `channel` from a frame at `url` (`parent` null for a top frame), or from no frame (null). */
  invoke(channel: string, payload: unknown, frame: { url: string; parent: object | null } | null): unknown {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener({ senderFrame: frame } as unknown as IpcMainInvokeEvent, payload);
  }
  asIpcMain(): Pick<IpcMain, 'handle'> {
    return this as unknown as Pick<IpcMain, 'handle'>;
  }
}

type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0];

/** The permission hooks of a Session: records both handlers so a test can ask them. */
export class FakeSession {
  requestHandler: RequestHandler = null;
  checkHandler: CheckHandler = null;
  setPermissionRequestHandler(handler: RequestHandler): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler): void {
    this.checkHandler = handler;
  }
  asSession(): Session {
    return this as unknown as Session;
  }
}

/** requestSingleInstanceLock answers `locked`; quit is counted. */
export class FakeApp {
  quits = 0;
  constructor(private readonly locked: boolean) {}
  requestSingleInstanceLock(): boolean {
    return this.locked;
  }
  quit(): void {
    this.quits++;
  }
  asApp(): Pick<App, 'requestSingleInstanceLock' | 'quit'> {
    return this;
  }
}
