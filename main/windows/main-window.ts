import { BrowserWindow, shell, type Session } from 'electron';
import path from 'node:path';
import { UI_ORIGIN } from '../ipc/sender-check';

/** Opens the one app window with Electron's security checklist applied. */
export function createMainWindow(preloadFile: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'CNN Studio',
    backgroundColor: '#1e1f24',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  lockNavigation(window);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${UI_ORIGIN}/index.html`);
  return window;
}

/** Navigation stays on our UI; new windows are denied, http(s) links open in the user's browser. */
function lockNavigation(window: BrowserWindow): void {
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${UI_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${UI_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Denies every permission except the camera/microphone for our own page (webcam capture into a label). */
export function lockPermissions(session: Session): void {
  const allowed = (permission: string, origin: string) =>
    permission === 'media' && origin.startsWith(UI_ORIGIN);
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(allowed(permission, contents.getURL()));
  });
  session.setPermissionCheckHandler((_contents, permission, origin) => allowed(permission, origin));
}

/** The preload bundle next to the main bundle in out/. */
export function preloadPath(mainDir: string): string {
  return path.join(mainDir, '..', 'preload', 'index.js');
}
