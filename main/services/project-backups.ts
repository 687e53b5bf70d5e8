import fs from 'node:fs';
import path from 'node:path';
import type { ProjectBackup } from '../../app/domain/project';
import { AppFailure } from '../../app/ipc/result';
import { databaseIsSound, openReadOnly } from '../db/read-only';

/**
 * Automatic backups of a project's database: `<project>/backups/project-<UTC time>.sqlite`, written with SQLite's
 * online backup API (a consistent copy while the app keeps reading and writing), checked, and pruned to the newest
 * BACKUPS_KEPT. Blobs (image files, run weights) are not copied: they are content-addressed or append-only, so a
 * restored database still finds them.
 */

export const BACKUPS_DIR = 'backups';
/** How many backups a project keeps. */
export const BACKUPS_KEPT = 3;

/** `project-2026-11-28T00-39-21.123Z.sqlite`: the ISO time with `-` for `:` (Windows refuses colons). */
const BACKUP_NAME = /^project-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})Z\.sqlite$/;

/** A backup's file name for a moment. */
export function backupFileName(at: Date): string {
  return `project-${at.toISOString().replace(/:/g, '-')}.sqlite`;
}

/** When a backup file name says it was taken, or null when it is not a backup's name. */
function backupTime(file: string): string | null {
  const m = BACKUP_NAME.exec(file);
  if (!m) return null;
  const iso = `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/** A project's backups, newest first. Files that do not match the name pattern are not backups. */
export function listBackups(projectDir: string): ProjectBackup[] {
  const dir = path.join(projectDir, BACKUPS_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((file): ProjectBackup[] => {
      const createdAt = backupTime(file);
      if (!createdAt) return [];
      try {
        const stat = fs.lstatSync(path.join(dir, file));
        return stat.isFile() ? [{ file, createdAt, bytes: stat.size }] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * The path of one of the project's backups, by its file name: only a listed backup (a regular file in the
 * project's backups folder matching the name pattern), so a crafted name cannot reach another file.
 */
export function backupPath(projectDir: string, file: string): string {
  const found = listBackups(projectDir).find((b) => b.file === file);
  if (!found)
    throw new AppFailure('not-found', `No backup ${JSON.stringify(file)} in this project.`, {
      code: 'backup-missing',
      file,
    });
  return path.join(projectDir, BACKUPS_DIR, found.file);
}

/**
 * Copies `dbFile` into the project's backups folder (through a `.partial` name, so a crash never leaves a
 * half-written file that looks like a backup), checks the copy, then deletes all but the newest BACKUPS_KEPT.
 * A copy that fails quick_check (the source is damaged) is deleted and nothing is pruned.
 */
export async function writeBackup(
  dbFile: string,
  projectDir: string,
  at = new Date(),
): Promise<ProjectBackup> {
  const dir = path.join(projectDir, BACKUPS_DIR);
  if (!fs.existsSync(dir)) fs.mkdirSync(dir); // not recursive: never re-create a project folder that was moved
  removePartials(dir);
  const file = backupFileName(at);
  const target = path.join(dir, file);
  const partial = `${target}.partial`;
  // Its own read-only connection: the project's connection may be closed (project moved) while this runs.
  const source = openReadOnly(dbFile);
  try {
    // 1,000 pages (4 MB) per turn of the event loop: few restarts when the app writes between turns, short pauses.
    await source.backup(partial, { progress: () => 1000 });
  } catch (error) {
    removeDatabaseFiles(partial);
    throw error;
  } finally {
    source.close();
  }
  if (!databaseIsSound(partial)) {
    removeDatabaseFiles(partial);
    throw new AppFailure(
      'storage',
      `The copy of ${dbFile} fails SQLite's check; the database may be damaged.`,
      {
        code: 'backup-unsound',
        file: dbFile,
      },
    );
  }
  // The check's read-only connection leaves the copy's (empty) -wal and -shm behind: the copy itself is whole.
  removeDatabaseFiles(partial, ['-journal', '-wal', '-shm']);
  fs.renameSync(partial, target);
  for (const old of listBackups(projectDir).slice(BACKUPS_KEPT))
    fs.rmSync(path.join(dir, old.file), { force: true });
  return { file, createdAt: at.toISOString(), bytes: fs.statSync(target).size };
}

/** Leftovers of copies a killed process did not finish (an hour old: another process may be copying now). */
function removePartials(dir: string): void {
  const before = Date.now() - 3_600_000;
  for (const name of fs.readdirSync(dir)) {
    if (!/\.partial(-journal|-wal|-shm)?$/.test(name)) continue;
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).mtimeMs < before) fs.rmSync(file, { force: true });
    } catch {
      // gone meanwhile
    }
  }
}

/** A database file with its journal, WAL and shared-memory files (a copy that failed midway may have made them). */
function removeDatabaseFiles(file: string, suffixes = ['', '-journal', '-wal', '-shm']): void {
  for (const suffix of suffixes) fs.rmSync(file + suffix, { force: true });
}

/** The backup to restore: the named one (validated, and sound), else the newest that passes SQLite's check. */
export function chooseBackup(projectDir: string, file: string | undefined): string {
  if (file !== undefined) {
    const chosen = backupPath(projectDir, file);
    if (!databaseIsSound(chosen))
      throw new AppFailure('storage', `Backup ${file} fails SQLite's check.`, {
        code: 'backup-unsound',
        file,
      });
    return chosen;
  }
  const backups = listBackups(projectDir);
  if (backups.length === 0)
    throw new AppFailure('not-found', 'This project has no backups.', { code: 'backup-none' });
  const sound = backups.map((b) => path.join(projectDir, BACKUPS_DIR, b.file)).find(databaseIsSound);
  if (!sound)
    throw new AppFailure('storage', "No backup of this project passes SQLite's check.", {
      code: 'backup-unsound',
    });
  return sound;
}
