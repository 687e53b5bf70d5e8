import { describe, expect, it } from 'vitest';
import { createMainWindow, preloadPath } from '../../../main/windows/main-window';
import { lockNavigation } from '../../../main/windows/navigation';
import { fakeBrowserWindowClass, FakeWebContents } from './fakes';

function openWindow() {
  const { BrowserWindow, created } = fakeBrowserWindowClass();
  const returned = createMainWindow(BrowserWindow, '/app/out/preload/index.js');
  expect(created).toHaveLength(1);
  const [{ options, window }] = created;
  expect(returned).toBe(window);
  return { options, window, prefs: options.webPreferences ?? {} };
}

describe('createMainWindow: Electron security checklist', () => {
  it('isolates and sandboxes the page, with our preload', () => {
    const { prefs } = openWindow();
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.preload).toBe('/app/out/preload/index.js');
  });

  it('gives Node to no page, worker or subframe', () => {
    const { prefs } = openWindow();
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on, insecure content and experimental features off, and no <webview>', () => {
    const { prefs } = openWindow();
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('disables middle-click (auxclick), which could open a link in a new window', () => {
    const { prefs } = openWindow();
    expect(String(prefs.disableBlinkFeatures).split(',')).toContain('Auxclick');
  });

  it('loads our UI over app://ui, shows when ready, and locks its navigation', () => {
    const { window, options } = openWindow();
    expect(window.loaded).toEqual(['app://ui/index.html']);
    expect(options.show).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
    expect(window.webContents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(window.webContents.windowOpenHandler).toBeTypeOf('function');
  });

  it('finds the preload bundle next to the main bundle', () => {
    expect(preloadPath('/app/out/main').replaceAll('\\', '/')).toBe('/app/out/preload/index.js');
  });
});

describe('lockNavigation', () => {
  const locked = () => {
    const contents = new FakeWebContents();
    lockNavigation(contents.asWebContents());
    return contents;
  };

  const offUi = [
    'https://evil.example/',
    'http://localhost:5173/',
    'file:///etc/passwd',
    'app://uievil/index.html',
    'app://ui.evil/index.html',
    'app://ui:80/index.html',
    'app://media/x/thumb/y',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'not a url',
  ];

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    'cancels %s off app://ui and lets our own pages through',
    (name) => {
      const contents = locked();
      for (const url of offUi) expect(contents.navigate(name, url), `${name} ${url}`).toBe(true);
      expect(contents.navigate(name, 'app://ui/index.html')).toBe(false);
      expect(contents.navigate(name, 'app://ui/index.html#/project/abc')).toBe(false);
    },
  );

  it('prevents every <webview> from attaching', () => {
    const contents = locked();
    expect(contents.navigate('will-attach-webview', 'app://ui/index.html')).toBe(true);
  });

  it.each([
    'https://onnxruntime.ai/',
    'http://evil.example/',
    'app://ui/index.html',
    'file:///etc/passwd',
    '',
  ])('denies window.open(%j) and new windows', (url) => {
    const contents = locked();
    expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
  });
});
