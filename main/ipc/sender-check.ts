/** The origin our UI is served from inside Electron; only frames from it may invoke. */
export const UI_ORIGIN = 'app://ui';
/** The origin project media are served from inside Electron. */
export const MEDIA_ORIGIN = 'app://media';

/**
 * True when an IPC message comes from our own top-level page (Electron's checklist: validate the sender of
 * every message). `frameUrl` is the sending frame's URL; `isMainFrame` whether it is the top frame.
 */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  if (!frameUrl || !isMainFrame) return false;
  try {
    const url = new URL(frameUrl);
    return `${url.protocol}//${url.host}` === UI_ORIGIN;
  } catch {
    return false;
  }
}
