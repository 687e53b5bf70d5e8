import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../app/ipc/result';
import { MIME_BY_EXT } from './decode';

/**
 * Rules for every file path built from a project's database. A project folder may come from someone else (the
 * README invites sharing them), so its rows are untrusted input: a crafted `sha256`, `ext`, label, split or file
 * name must never name a file outside the project folder (reading) or the export folder (writing).
 */

/** The extensions the importer stores originals under (decode.ts names them; nothing else is ever written). */
export const STORED_EXTS: ReadonlySet<string> = new Set(Object.keys(MIME_BY_EXT));

const SHA256 = /^[0-9a-f]{64}$/;

/** What a stored-path failure names: the column, its value (shortened) and the image when known. */
function invalid(field: string, value: unknown, imageId?: number): AppFailure {
  const shown = String(value).slice(0, 120);
  return new AppFailure(
    'storage',
    `The project's database holds an invalid ${field} ${JSON.stringify(shown)}` +
      (imageId === undefined ? '' : ` (image ${imageId})`) +
      '; the project may be damaged or crafted.',
    { code: 'stored-path-invalid', field, value: shown, ...(imageId === undefined ? {} : { imageId }) },
  );
}

/** Throws `stored-path-invalid` unless `sha` is exactly 64 lowercase hex digits. */
export function checkStoredSha(sha: unknown, imageId?: number): string {
  if (typeof sha !== 'string' || !SHA256.test(sha)) throw invalid('sha256', sha, imageId);
  return sha;
}

/** Throws `stored-path-invalid` unless `ext` is one of the extensions the importer stores. */
export function checkStoredExt(ext: unknown, imageId?: number): string {
  if (typeof ext !== 'string' || !STORED_EXTS.has(ext)) throw invalid('ext', ext, imageId);
  return ext;
}

/** True when `target` (resolved) is strictly inside `root` (resolved): never the root itself, never `..`. */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * The real path of an existing stored file, checked to lie inside `realRoot` (a real path: symlinks resolved, so
 * a blob that is a link to a file elsewhere is refused). A missing file fails with the file system's error.
 */
export async function realFileInside(realRoot: string, file: string, imageId?: number): Promise<string> {
  const real = await fs.promises.realpath(file);
  if (!isInside(realRoot, real)) throw invalid('file', path.basename(file), imageId);
  return real;
}

/** Windows device names, reserved with any extension (`con`, `con.png`, `COM1.txt`). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A label, split or file name made safe as ONE path segment on every OS: separators, control characters (NUL
 * included) and characters Windows refuses become `_`, trailing dots and spaces go, `.`/`..`/empty become `_` and
 * Windows device names get a `_` prefix. The result never separates, climbs or is absolute.
 */
export function safeSegment(name: string): string {
  // eslint-disable-next-line no-control-regex
  let s = name.replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_').replace(/[. ]+$/, '');
  if (s === '' || s === '.' || s === '..') s = '_';
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  return s;
}

/**
 * `root` joined with segments (each made safe), checked to stay inside `root`; throws `stored-path-invalid`
 * otherwise (cannot happen with safe segments: the check guards against a future change of safeSegment).
 */
export function pathInside(root: string, segments: string[]): string {
  const out = path.join(root, ...segments.map(safeSegment));
  if (!isInside(root, out)) throw invalid('path', segments.join('/'));
  return out;
}
