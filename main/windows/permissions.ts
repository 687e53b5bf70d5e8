import type { Session, WebContents } from 'electron';
import { isUiUrl } from '../ipc/sender-check';

/** The permission hooks of a Session (Electron's, or a test's fake). */
export type PermissionTarget = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

/**
 * Denies every permission except the camera (video only, never the microphone) for our own page's top frame
 * (webcam capture into a label). Every origin Electron reports for the request must parse to app://ui exactly.
 */
export function lockPermissions(session: PermissionTarget): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const securityOrigin = 'securityOrigin' in details ? details.securityOrigin : undefined;
    const cameraOnly =
      Array.isArray(mediaTypes) && mediaTypes.length > 0 && mediaTypes.every((type) => type === 'video');
    callback(
      permission === 'media' &&
        cameraOnly &&
        details.isMainFrame &&
        fromUi([details.requestingUrl, securityOrigin, pageUrl(contents)]),
    );
  });
  session.setPermissionCheckHandler((contents, permission, requestingOrigin, details) => {
    return (
      permission === 'media' &&
      details.mediaType === 'video' &&
      details.isMainFrame &&
      fromUi([requestingOrigin, details.securityOrigin, details.requestingUrl, pageUrl(contents)])
    );
  });
}

/** True when at least one origin is known and every known one is app://ui. */
function fromUi(origins: (string | undefined)[]): boolean {
  const known = origins.filter((origin) => origin !== undefined && origin !== '');
  return known.length > 0 && known.every(isUiUrl);
}

function pageUrl(contents: WebContents | null): string | undefined {
  return contents && !contents.isDestroyed() ? contents.getURL() : undefined;
}
