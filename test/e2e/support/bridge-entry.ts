/**
 * The e2e stand-in for the preload, bundled as a browser IIFE (out/test-bridge/bridge.js) and injected with
 * page.addInitScript before the renderer runs. It builds `window.desktop` with the SAME createDesktopApi as the real
 * preload; only the transport differs: invokes go to the Playwright binding `__desktopInvoke` (which calls main's
 * dispatchInvoke in the test process) and events come back through `__desktopEmit`, called by the harness.
 */
import { createDesktopApi, type DesktopTransport } from '../../../app/ipc/contract';
import type { Result } from '../../../app/ipc/result';

type Listener = (payload: unknown) => void;

declare global {
  interface Window {
    __desktopInvoke?: (channel: string, payload: unknown) => Promise<Result<unknown>>;
    __desktopEmit?: (channel: string, payload: unknown) => number;
  }
}

const listeners = new Map<string, Set<Listener>>();

const transport: DesktopTransport = {
  invoke(channel, payload) {
    const binding = window.__desktopInvoke;
    if (!binding) return Promise.reject(new Error('e2e bridge: the __desktopInvoke binding is missing'));
    // Structured-clone-like copy on the way out, as Electron's IPC would do (no functions, no prototypes).
    return binding(channel, JSON.parse(JSON.stringify(payload ?? {})));
  },
  subscribe(channel, listener) {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
};

Object.defineProperty(window, '__desktopEmit', {
  value: (channel: string, payload: unknown): number => {
    const set = listeners.get(channel);
    if (!set) return 0;
    for (const listener of [...set]) listener(payload);
    return set.size;
  },
});

// Like contextBridge: a frozen object the page cannot replace.
Object.defineProperty(window, 'desktop', {
  value: Object.freeze(createDesktopApi(transport)),
  enumerable: true,
});

// Surface CSP violations as console errors the harness fails the test on (Chromium also logs most of them).
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(
    `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`,
  );
});
