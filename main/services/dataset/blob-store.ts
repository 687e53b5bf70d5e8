import fs from 'node:fs';
import path from 'node:path';
import { type Db, writeTransaction } from '../../db/open-database';
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

  /**
   * Writes a whole file. A new name is created exclusively and written in place (as cheap as a plain write; only
   * its writer relies on it until its row is committed). A name that exists already (another process importing the
   * same bytes, or a partial file a killed import left) is replaced atomically through a temporary file and a
   * rename, so a reader or a kill never meets a truncated blob that a committed row refers to. Small files are
   * written synchronously (far less CPU per file than the promise API).
   */
  async write(file: string, bytes: Uint8Array): Promise<void> {
    const dir = path.dirname(file);
    if (!this.madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    const small = bytes.length <= 256 * 1024;
    const writeTo = async (target: string, flag: string) => {
      if (small) fs.writeFileSync(target, bytes, { flag });
      else await fs.promises.writeFile(target, bytes, { flag });
    };
    try {
      await writeTo(file, 'wx');
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const temp = `${file}.${process.pid}-${++tempCounter}.tmp`;
    try {
      await writeTo(temp, 'w');
      fs.renameSync(temp, file);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      // Windows refuses to replace a file another process has open (a blob being viewed): the same name means the
      // same bytes, so a complete file already there is the one we meant to write.
      if (sameSize(file, bytes.length)) return;
      throw error;
    }
  }

  /**
   * Deletes blob and thumbnail files (and temporary files) that no image row refers to; answers how many, and how
   * many row-less files were spared for being young.
   * `olderThanMs` spares files written recently (another process may be importing into the same project and not
   * have committed yet); `only` limits the sweep to files this process wrote. The candidates are found without a
   * lock, then re-checked and deleted inside a write transaction, so an import committing a row for one of them
   * either commits first (the file is kept) or finds its blob gone and fails instead of committing a row without
   * its file (see the importer's commit).
   */
  cleanOrphans(
    db: Db,
    options: { olderThanMs?: number; only?: Set<string> } = {},
  ): { removed: number; spared: number } {
    const oldEnough = (file: string): boolean => {
      if (!options.olderThanMs) return true;
      try {
        return Date.now() - fs.statSync(file).mtimeMs >= options.olderThanMs;
      } catch {
        return false;
      }
    };
    const known = db.prepare('SELECT 1 FROM images WHERE sha256 = ?').pluck();
    const hasRow = (file: string) => {
      const sha = storedSha(path.basename(file));
      return sha !== null && known.get(sha) !== undefined;
    };
    const candidates: string[] = [];
    if (options.only) {
      for (const file of options.only) if (fs.existsSync(file) && !hasRow(file)) candidates.push(file);
    } else {
      // One query for every hash instead of one per file: a 60k-image project has 120k files to look at.
      const shas = new Set(db.prepare('SELECT sha256 FROM images').pluck().all() as string[]);
      for (const top of ['blobs', 'thumbs']) {
        const base = path.join(this.projectDir, top);
        let subs: string[];
        try {
          subs = fs.readdirSync(base);
        } catch {
          continue;
        }
        for (const sub of subs) {
          let names: string[];
          try {
            names = fs.readdirSync(path.join(base, sub));
          } catch {
            continue;
          }
          for (const name of names) {
            const sha = storedSha(name);
            if (sha === null || !shas.has(sha)) candidates.push(path.join(base, sub, name));
          }
        }
      }
    }
    const old = candidates.filter(oldEnough);
    const spared = candidates.length - old.length;
    if (old.length === 0) return { removed: 0, spared };
    const removed = writeTransaction(db, () => {
      let count = 0;
      for (const file of old) {
        if (hasRow(file)) continue; // committed since the scan
        fs.rmSync(file, { force: true });
        count++;
      }
      return count;
    })();
    return { removed, spared };
  }
}

/**
 * The hash a stored file's name carries (`<sha256>.<ext>`), or null for any other name (temporary files
 * `<sha256>.<ext>.<pid>-<n>.tmp` included). Cheap: called for every file of a large project.
 */
function storedSha(name: string): string | null {
  // No hex check: the result is only looked up among the rows' hashes, which decides.
  if (name.length < 66 || name.charCodeAt(64) !== 46 || name.indexOf('.', 65) !== -1) return null;
  return name.slice(0, 64);
}

function sameSize(file: string, size: number): boolean {
  try {
    return fs.statSync(file).size === size;
  } catch {
    return false;
  }
}

/** Makes temporary names unique within this process (the pid makes them unique across processes). */
let tempCounter = 0;
