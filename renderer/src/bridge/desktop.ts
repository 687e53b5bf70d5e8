import type { DesktopApi } from '../../../app/ipc/contract';
import type { AppError, Result } from '../../../app/ipc/result';

declare global {
  interface Window {
    /** Set by the preload (Electron) or the e2e bridge; read only in this file. */
    readonly desktop?: DesktopApi;
  }
}

/** True when the page runs with a backend bridge (in the app or the e2e harness). */
export function hasDesktop(): boolean {
  return typeof window.desktop === 'object' && window.desktop !== null;
}

/** The backend API: one named method per operation, each resolving to a Result. */
export function desktop(): DesktopApi {
  const api = window.desktop;
  if (!api) throw new Error('window.desktop is missing: the page was not opened by CNN Studio.');
  return api;
}

/** Calls the backend and turns a rejected promise (a broken bridge) into a failed Result, so callers see one shape. */
export async function call<T>(request: (api: DesktopApi) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await request(desktop());
  } catch (error) {
    const failure: AppError = {
      code: 'internal',
      message: error instanceof Error ? error.message : String(error),
    };
    return { ok: false, error: failure };
  }
}
