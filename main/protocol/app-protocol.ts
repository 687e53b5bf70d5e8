import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import type { Services } from '../services/services';
import { MEDIA_ORIGIN } from '../ipc/sender-check';
import { contentSecurityPolicy } from './csp';
import { resolveMedia } from './media';
import { mimeTypeFor, resolveStaticFile } from './static-files';

/** Must run before app 'ready': app:// behaves like https (secure, standard) so CSP 'self' and fetch work. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/**
 * Serves app://ui/… from the built renderer folder and app://media/… from project folders. Every path goes
 * through a resolver with traversal checks; nothing outside those folders is reachable and file:// is never used
 * by the page.
 */
export function handleAppProtocol(rendererDir: string, services: Services): void {
  const csp = contentSecurityPolicy(MEDIA_ORIGIN);
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const notFound = () => new Response('Not found', { status: 404 });
    if (url.host === 'ui') {
      const file = resolveStaticFile(rendererDir, url.pathname);
      if (!file) return notFound();
      const response = await net.fetch(pathToFileURL(file).toString());
      return new Response(response.body, {
        headers: { 'content-type': mimeTypeFor(file), 'content-security-policy': csp },
      });
    }
    if (url.host === 'media') {
      const media = await resolveMedia(services, url.pathname);
      if (!media) return notFound();
      const response = await net.fetch(pathToFileURL(media.file).toString());
      return new Response(response.body, {
        headers: { 'content-type': media.mimeType, 'cache-control': 'max-age=31536000, immutable' },
      });
    }
    return notFound();
  });
}
