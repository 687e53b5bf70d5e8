import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/open-database';
import { checkStoredExt, checkStoredSha, realFileInside } from './stored-paths';

/**
 * Content-addressed files of a project: originals at `blobs/ab/<sha256>.<ext>`, thumbnails at
 * `thumbs/ab/<sha256>.webp`. A file is written completely before the database row that refers to it is committed;
 * files without a row (left by a killed import) are removed by `cleanOrphans`.
 */
export class BlobStore {
  private readonly madeDirs = new Set<string>();
  /** The project folder's real path (looked up once: an export checks every file against it). */
  private realRoot?: Promise<string>;

  constructor(readonly projectDir: string) {}

  /** The original's path; `sha`/`ext` may come from a (shared, untrusted) database, so both are checked. */
  blobPath(sha: string, ext: string, imageId?: number): string {
    checkStoredSha(sha, imageId);
    checkStoredExt(ext, imageId);
    return path.join(this.projectDir, 'blobs', sha.slice(0, 2), `${sha}.${ext}`);
  }

  thumbPath(sha: string, imageId?: number): string {
    checkStoredSha(sha, imageId);
    return path.join(this.projectDir, 'thumbs', sha.slice(0, 2), `${sha}.webp`);
  }

  /**
   * The real path of an original, for reading: refused (`stored-path-invalid`) when the row's hash or extension
   * is malformed or the file is a link leading out of the project folder.
   */
  async readableBlob(sha: string, ext: string, imageId?: number): Promise<string> {
    const file = this.blobPath(sha, ext, imageId);
    this.realRoot ??= fs.promises.realpath(this.projectDir);
    try {
      return await realFileInside(await this.realRoot, file, imageId);
    } catch (error) {
      // A missing blob (or a link to nothing) keeps its checked path: the caller's read reports it as missing.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return file;
      throw error;
    }
  }

  /** Writes a whole file (small ones synchronously: far less CPU per file than the promise API). */
  async write(file: string, bytes: Uint8Array): Promise<void> {
    const dir = path.dirname(file);
    if (!this.madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    if (bytes.length <= 256 * 1024) fs.writeFileSync(file, bytes);
    else await fs.promises.writeFile(file, bytes);
  }

  /**
   * Deletes blob and thumbnail files whose sha256 has no image row; returns how many. `olderThanMs` spares files
   * written recently (another process may be importing into the same project and not have committed yet);
   * `only` limits the sweep to files this process wrote.
   */
  cleanOrphans(db: Db, options: { olderThanMs?: number; only?: Set<string> } = {}): number {
    const known = db.prepare('SELECT 1 FROM images WHERE sha256 = ?').pluck();
    const isOrphan = (file: string) => {
      const name = path.basename(file);
      if (/^[0-9a-f]{64}\.[a-z0-9]+$/.test(name) && known.get(name.slice(0, 64)) !== undefined) return false;
      if (options.olderThanMs) {
        try {
          if (Date.now() - fs.statSync(file).mtimeMs < options.olderThanMs) return false;
        } catch {
          return false;
        }
      }
      return true;
    };
    let removed = 0;
    if (options.only) {
      for (const file of options.only) {
        if (fs.existsSync(file) && isOrphan(file)) {
          fs.rmSync(file, { force: true });
          removed++;
        }
      }
      return removed;
    }
    for (const top of ['blobs', 'thumbs']) {
      const base = path.join(this.projectDir, top);
      if (!fs.existsSync(base)) continue;
      for (const sub of fs.readdirSync(base)) {
        const subDir = path.join(base, sub);
        let names: string[];
        try {
          names = fs.readdirSync(subDir);
        } catch {
          continue;
        }
        for (const name of names) {
          const file = path.join(subDir, name);
          if (!isOrphan(file)) continue;
          fs.rmSync(file, { force: true });
          removed++;
        }
      }
    }
    return removed;
  }
}
