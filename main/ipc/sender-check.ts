/** The origin our UI is served from inside Electron; only frames from it may invoke. */
export const UI_ORIGIN = 'app://ui';
/** The origin project media are served from inside Electron. */
export const MEDIA_ORIGIN = 'app://media';

/**
 * True when `url` is on our UI's origin: scheme `app:` and host exactly `ui`, no port. Parsed, never compared by
 * prefix, so `app://uievil`, `app://ui.evil` and `app://ui:80` are other origins.
 */
export function isUiUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'ui';
  } catch {
    return false;
  }
}

/**
 * True when an IPC message comes from our own top-level page (Electron's checklist: validate the sender of
 * every message). `frameUrl` is the sending frame's URL; `isMainFrame` whether it is the top frame.
 */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && isUiUrl(frameUrl);
}
