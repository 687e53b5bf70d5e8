import type { Event, WebContents } from 'electron';
import { isUiUrl } from '../ipc/sender-check';

/** The navigation events and the window-open hook of a WebContents (Electron's, or a test's fake). */
export type NavigationTarget = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Keeps the page on our UI: every navigation or redirect of any frame that leaves app://ui is cancelled, no
 * <webview> may attach, and no new window opens (documentation links go through app:openLink instead).
 */
export function lockNavigation(contents: NavigationTarget): void {
  const stayOnUi = (event: Event & { url: string }) => {
    if (!isUiUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', stayOnUi);
  contents.on('will-frame-navigate', stayOnUi);
  contents.on('will-redirect', stayOnUi);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
