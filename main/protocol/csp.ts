/**
 * The Content-Security-Policy of every page the app serves. The renderer is a static Vite bundle: no inline
 * scripts, no eval, no remote code. Images may also come from the media origin (project thumbnails); media
 * (webcam) streams come from blob:/mediastream:. The response header is authoritative.
 */
export function contentSecurityPolicy(mediaOrigin: string): string {
  const origin = mediaOrigin.trim().replace(/\/+$/, '');
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s;,']+$/i.test(origin)) {
    throw new Error(`Not a media origin: ${JSON.stringify(mediaOrigin)}`);
  }
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", origin, 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'media-src': ["'self'", 'blob:', 'mediastream:'],
    'worker-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
