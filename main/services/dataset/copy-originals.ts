import fs from 'node:fs';
import path from 'node:path';
import { BlobStore } from './blob-store';
import { pathInside, safeSegment } from './stored-paths';

/** An image whose original file is copied out (the dataset export, the training package). */
export interface OriginalToCopy {
  id: number;
  sha256: string;
  ext: string;
  fileName: string;
  /** Folders under the target, e.g. [split, label]: database text, each made one safe path segment. */
  folders: string[];
}

/** Where one original comes from (checked, inside the project) and goes (inside the target). */
export interface PlannedCopy {
  source: string;
  out: string;
  /** `out` relative to the target, with forward slashes. */
  rel: string;
}

/**
 * Checks every source before anything is written: a crafted row (bad hash or extension, a blob that links out of
 * the project) throws `stored-path-invalid`, so the caller leaves no half-written folder. Each destination is
 * `<target>/<folders…>/<file name>.<ext>`, every segment safe, and unique case-insensitively (a clash gets the
 * hash's first 10 digits appended).
 */
export async function planOriginalCopies(
  projectDir: string,
  target: string,
  rows: readonly OriginalToCopy[],
): Promise<PlannedCopy[]> {
  const blobs = new BlobStore(projectDir);
  const sources = await Promise.all(rows.map((r) => blobs.readableBlob(r.sha256, r.ext, r.id)));
  const used = new Set<string>();
  return rows.map((r, index) => {
    const parts = r.folders.map((f) => safeSegment(String(f)));
    const base = safeSegment(String(r.fileName).replace(/\.[^.]*$/, '')) || 'image';
    let name = `${base}.${r.ext}`;
    if (used.has(path.join(...parts, name).toLowerCase())) name = `${base}-${r.sha256.slice(0, 10)}.${r.ext}`;
    const rel = path.join(...parts, name);
    used.add(rel.toLowerCase());
    return {
      source: sources[index],
      out: pathInside(target, [...parts, name]),
      rel: rel.split(path.sep).join('/'),
    };
  });
}

/** Copies one planned original; EXCL: never overwrite, never follow a link someone placed at the destination. */
export async function copyOriginal(copy: PlannedCopy): Promise<void> {
  await fs.promises.mkdir(path.dirname(copy.out), { recursive: true });
  await fs.promises.copyFile(copy.source, copy.out, fs.constants.COPYFILE_EXCL);
}
