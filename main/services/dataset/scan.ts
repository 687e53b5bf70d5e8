import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImportIssue, ImportIssueCode, SplitName } from '../../../app/domain/dataset';

/** One file an import will try. */
export interface ScannedFile {
  path: string;
  label: string | null;
  split: SplitName | null;
  size: number;
  mtimeMs: number;
}

export interface ScanResult {
  files: ScannedFile[];
  skipped: ImportIssue[];
  failed: ImportIssue[];
}

/** Extensions tried as images (case-insensitive). Anything else is listed as skipped. */
export const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.jfif',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.heic',
  '.heif',
  '.bmp',
]);

/** Operating-system litter, skipped without a word. */
export function isOsJunk(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower === '.ds_store' ||
    lower === 'thumbs.db' ||
    lower === 'ehthumbs.db' ||
    lower === 'desktop.ini' ||
    lower === '.localized' ||
    name.startsWith('._') ||
    lower === '__macosx' ||
    lower === '.spotlight-v100' ||
    lower === '.trashes' ||
    lower === '.fseventsd'
  );
}

const SPLIT_FOLDERS: Record<string, SplitName> = {
  train: 'train',
  training: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  test: 'test',
  testing: 'test',
};

/** `train`/`val`/`validation`/`test` (any case) at the top of a chosen folder mean a split. */
export function splitForFolder(name: string): SplitName | null {
  return SPLIT_FOLDERS[name.toLowerCase()] ?? null;
}

/** Label names are folder names, NFC-normalised and trimmed. */
export function cleanLabel(name: string): string {
  return name.normalize('NFC').trim();
}

/**
 * Lists the files to import from files and folders. In a folder, the TOP-LEVEL subfolder is the label (deeper
 * folders inherit it), loose top-level files are unlabeled, and top-level train/val/test folders are splits with
 * class folders below them. Symlinks are followed only when they stay inside the chosen folder; directory loops
 * are broken by remembering each directory's real path. Problems are collected, never thrown.
 */
export async function scanPaths(inputs: string[], forcedLabel?: string | null): Promise<ScanResult> {
  const result: ScanResult = { files: [], skipped: [], failed: [] };
  const forced = forcedLabel ? cleanLabel(forcedLabel) : null;
  const seen = new Set<string>();
  for (const input of inputs) {
    const abs = path.resolve(input);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch (error) {
      result.failed.push({ path: abs, ...fsIssue(error) });
      continue;
    }
    if (stat.isDirectory()) {
      const from = result.files.length;
      await walk(abs, forced, result, seen);
      // Within one folder, files are handled in path order (so "first copy" of duplicates is predictable).
      const mine = result.files.splice(from).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      result.files.push(...mine);
    } else if (stat.isFile()) {
      addFile(result, seen, abs, stat, forced, null, path.basename(abs));
    } else {
      result.skipped.push({ path: abs, reason: 'not a regular file or folder', code: 'not-a-file' });
    }
  }
  return result;
}

function addFile(
  result: ScanResult,
  seen: Set<string>,
  file: string,
  stat: { size: number; mtimeMs: number },
  label: string | null,
  split: SplitName | null,
  name: string,
): void {
  if (isOsJunk(name)) return;
  const ext = path.extname(name).toLowerCase();
  if (!IMAGE_EXTENSIONS.has(ext)) {
    result.skipped.push({
      path: file,
      reason: ext ? `not an image file (${ext})` : 'not an image file (no extension)',
      code: 'not-an-image-file',
      params: { ext },
    });
    return;
  }
  if (seen.has(file)) return;
  seen.add(file);
  result.files.push({ path: file, label, split, size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) });
}

async function walk(
  root: string,
  forced: string | null,
  result: ScanResult,
  seen: Set<string>,
): Promise<void> {
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch (error) {
    result.failed.push({ path: root, ...fsIssue(error) });
    return;
  }
  const visited = new Set<string>([realRoot]);
  // Each entry: a directory (as the user sees the path) and its path parts below the root.
  const stack: { dir: string; parts: string[] }[] = [{ dir: root, parts: [] }];
  const inside = (real: string) =>
    real === realRoot || real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);
  while (stack.length > 0) {
    const { dir, parts } = stack.pop()!;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      result.failed.push({
        path: dir,
        reason: `cannot list folder: ${fsReason(error)}`,
        code: 'folder-unreadable',
      });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: { dir: string; parts: string[] }[] = [];
    const files: { full: string; name: string; stat?: { size: number; mtimeMs: number } }[] = [];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (isOsJunk(entry.name)) continue;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let stat: { size: number; mtimeMs: number } | undefined;
      if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = await fs.realpath(full);
        } catch (error) {
          result.skipped.push({
            path: full,
            reason: `broken symlink (${fsReason(error)})`,
            code: 'broken-symlink',
          });
          continue;
        }
        if (!inside(real)) {
          result.skipped.push({
            path: full,
            reason: 'symlink points outside the chosen folder; not followed',
            code: 'symlink-outside',
          });
          continue;
        }
        try {
          const s = await fs.stat(real);
          isDir = s.isDirectory();
          isFile = s.isFile();
          stat = s;
          if (isDir && visited.has(real)) continue; // a loop or a second way to the same folder
          if (isDir) visited.add(real);
        } catch (error) {
          result.failed.push({ path: full, ...fsIssue(error) });
          continue;
        }
      } else if (isDir) {
        // A bind mount or hard-to-see loop still ends: real paths are remembered.
        try {
          const real = await fs.realpath(full);
          if (visited.has(real)) continue;
          visited.add(real);
        } catch (error) {
          result.failed.push({
            path: full,
            reason: `cannot open folder: ${fsReason(error)}`,
            code: 'folder-unreadable',
          });
          continue;
        }
      }
      if (isDir) {
        if (entry.name.startsWith('.')) continue; // hidden folders (.git, .thumbnails) are not datasets
        subdirs.push({ dir: full, parts: [...parts, entry.name] });
      } else if (isFile) {
        files.push({ full, name: entry.name, stat });
      } else {
        result.skipped.push({ path: full, reason: 'not a regular file', code: 'not-a-file' });
      }
    }
    // Sizes and times of this folder's files, many at once (a folder may hold tens of thousands).
    const { label, split } = labelFor(parts);
    for (let i = 0; i < files.length; i += 128) {
      const chunk = files.slice(i, i + 128);
      const stats = await Promise.all(
        chunk.map((f) =>
          f.stat ? Promise.resolve(f.stat) : fs.stat(f.full).catch((error: unknown) => error as Error),
        ),
      );
      chunk.forEach((f, k) => {
        const st = stats[k];
        if (st instanceof Error) result.failed.push({ path: f.full, ...fsIssue(st) });
        else addFile(result, seen, f.full, st, forced ?? label, split, f.name);
      });
    }
    // Depth-first in name order: push reversed so the first name is handled first.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
  }
}

function labelFor(parts: string[]): { label: string | null; split: SplitName | null } {
  if (parts.length === 0) return { label: null, split: null };
  const split = splitForFolder(parts[0]);
  // A folder whose name is only spaces gives no label.
  if (split) return { label: parts.length > 1 ? cleanLabel(parts[1]) || null : null, split };
  return { label: cleanLabel(parts[0]) || null, split: null };
}

/** The code of a file-system error (ENOENT → 'not-found', …); 'read-failed' for any other. */
export function fsIssueCode(error: unknown): ImportIssueCode {
  switch ((error as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'not-found';
    case 'EACCES':
    case 'EPERM':
      return 'permission-denied';
    case 'ELOOP':
      return 'symlink-loop';
    case 'EISDIR':
      return 'not-a-file';
    case 'EIO':
      return 'io-error';
    default:
      return 'read-failed';
  }
}

/** A file-system error as an import issue's reason (English detail) and code. */
export function fsIssue(error: unknown): { reason: string; code: ImportIssueCode } {
  return { reason: fsReason(error), code: fsIssueCode(error) };
}

/** A short human reason for a file-system error. */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (unreadable)';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EISDIR':
      return 'is a folder';
    case 'EIO':
      return 'input/output error';
    default:
      return (error as Error)?.message ?? String(error);
  }
}
