import type { App } from 'electron';

/**
 * True when this process is the app's only instance. A second instance quits at once (the first one gets its
 * arguments through 'second-instance' and opens the files there), so two processes never share one data folder
 * through the UI.
 */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'quit'>): boolean {
  if (app.requestSingleInstanceLock()) return true;
  app.quit();
  return false;
}
