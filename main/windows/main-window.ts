import type { BrowserWindow as ElectronWindow, BrowserWindowConstructorOptions } from 'electron';
import path from 'node:path';
import { UI_ORIGIN } from '../ipc/sender-check';
import { lockNavigation } from './navigation';

/** Electron's BrowserWindow class, or a test's fake. */
export type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => ElectronWindow;

/**
 * Opens the one app window with Electron's security checklist applied: an isolated, sandboxed page without Node
 * (in workers and subframes too), web security on, no insecure content, no <webview>, no middle-click
 * (auxclick) that could open a link in a new window, and navigation locked to our UI. The class is passed in so
 * tests can check all of that without Electron; the options stay a literal here so electronegativity sees them.
 */
export function createMainWindow(BrowserWindow: BrowserWindowClass, preloadFile: string): ElectronWindow {
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
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  lockNavigation(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${UI_ORIGIN}/index.html`);
  return window;
}

/** The preload bundle next to the main bundle in out/. */
export function preloadPath(mainDir: string): string {
  return path.join(mainDir, '..', 'preload', 'index.js');
}
