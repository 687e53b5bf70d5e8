import fs from 'node:fs';
import path from 'node:path';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** The Content-Type to serve a static file with (by extension; unknown types are opaque bytes). */
export function mimeTypeFor(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path (`/assets/index-abc.js`, `/`) to a regular file inside `rootDir`, or null when there is none
 * or the path tries to leave the folder. The path is decoded once; encoded or literal `..` segments, backslashes,
 * NUL bytes, drive letters and absolute paths are refused before touching the disk, and the real path (after
 * symlinks) must still lie inside the real root. A folder path serves its index.html.
 */
export function resolveStaticFile(rootDir: string, urlPathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return null; // malformed percent-encoding
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (!decoded.startsWith('/')) decoded = `/${decoded}`;
  // `//host/x` or `/C:/x` would be absolute once the leading slash is stripped.
  const relative = decoded.slice(1);
  if (relative.startsWith('/') || /^[a-zA-Z]:/.test(relative) || path.isAbsolute(relative)) return null;
  const segments = relative.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  if (segments[segments.length - 1] === '') segments[segments.length - 1] = 'index.html';

  let realRoot: string;
  try {
    realRoot = fs.realpathSync(rootDir);
  } catch {
    return null;
  }
  let candidate = path.join(realRoot, ...segments);
  if (!isInside(realRoot, candidate)) return null;
  try {
    let real = fs.realpathSync(candidate);
    if (fs.statSync(real).isDirectory()) {
      candidate = path.join(real, 'index.html');
      real = fs.realpathSync(candidate);
    }
    if (!isInside(realRoot, real) || !fs.statSync(real).isFile()) return null;
    return real;
  } catch {
    return null; // missing file or dangling link
  }
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  if (rel === '' || path.isAbsolute(rel)) return false;
  return rel !== '..' && !rel.startsWith(`..${path.sep}`);
}
