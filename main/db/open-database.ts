import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../app/ipc/result';
import type { Migration } from './migrations/index';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/**
 * Where the better-sqlite3 addon lives. Electron's main process sets this to a build for Electron's ABI; plain
 * Node (tests, CLI) leaves it unset and gets the default build from node_modules.
 */
let nativeBinding: string | undefined;

/** Points every later connection at a specific better_sqlite3.node (Electron's ABI build). */
export function setSqliteNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

/** The addon path set by setSqliteNativeBinding (workers open their own connections with it). */
export function sqliteNativeBinding(): string | undefined {
  return nativeBinding;
}

/** How openDatabase treats a file that is not there yet. */
export interface OpenOptions {
  /**
   * False for a database that must already exist (an existing project's): a missing or 0-byte file is damage (a
   * truncated file, a failed copy), reported as 'database-missing' / 'database-empty' instead of silently becoming
   * a new, empty database. Default true (only a create may make a new file).
   */
  create?: boolean;
}

/**
 * Opens (creating if allowed) a database with WAL, foreign keys and a busy timeout, and brings its schema up to
 * date inside one transaction. A damaged file raises an AppFailure('storage') and is never overwritten.
 */
export function openDatabase(file: string, migrations: readonly Migration[], options: OpenOptions = {}): Db {
  if (options.create === false) assertExistingDatabase(file);
  if (options.create === false && !folderWritable(path.dirname(file))) return openReadOnly(file, migrations);
  let db: Db;
  try {
    db = new Database(file, {
      ...(nativeBinding ? { nativeBinding } : {}),
      ...(options.create === false ? { fileMustExist: true } : {}),
    });
  } catch (error) {
    throw new AppFailure('storage', `Cannot open database ${file}: ${(error as Error).message}`, {
      code: 'database-unopenable',
      file,
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof AppFailure) throw error;
    throw new AppFailure(
      'storage',
      `Database ${file} is damaged or unreadable: ${(error as Error).message}`,
      { code: 'database-damaged', file },
    );
  }
}

/**
 * Wraps `fn` as a write transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE). A deferred
 * transaction that reads first and writes later cannot wait for another process's writer (SQLite returns BUSY at
 * once, to avoid a deadlock), so every transaction that writes starts IMMEDIATE and the busy timeout makes it wait.
 * Nested calls become savepoints, as with `db.transaction`.
 */
export function writeTransaction<A extends unknown[], R>(db: Db, fn: (...args: A) => R): (...args: A) => R {
  return db.transaction(fn).immediate as (...args: A) => R;
}

/** False when the folder cannot be written (a read-only mount, no permission): SQLite's WAL needs to write there. */
function folderWritable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch (error) {
    return !['EROFS', 'EACCES', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '');
  }
}

/**
 * A database in a folder that cannot be written (a read-only data folder), opened so that it can still be read: a
 * WAL database needs its -shm file beside it, which cannot be made there, so it is read into memory (as a
 * rollback-journal database: header bytes 18-19) and opened read-only. Every write then fails with
 * SQLITE_READONLY, which main words as 'storage-read-only'.
 */
function openReadOnly(file: string, migrations: readonly Migration[]): Db {
  let db: Db;
  try {
    const bytes = fs.readFileSync(file);
    bytes[18] = 1;
    bytes[19] = 1;
    db = new Database(bytes, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (error) {
    throw new AppFailure('storage', `Cannot open database ${file}: ${(error as Error).message}`, {
      code: 'database-unopenable',
      file,
    });
  }
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  if (current !== latest) {
    db.close();
    throw new AppFailure(
      'storage',
      `Database ${file} needs an update (schema ${current}, this app ${latest}) but its folder is read-only.`,
      { code: 'storage-read-only', detail: file },
    );
  }
  return db;
}

/** Refuses a missing or empty file where a database must already be (SQLite would make an empty one of it). */
function assertExistingDatabase(file: string): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new AppFailure('storage', `Database ${file} is missing.`, { code: 'database-missing', file });
  }
  if (size === 0)
    throw new AppFailure('storage', `Database ${file} is empty (0 bytes): its content was lost.`, {
      code: 'database-empty',
      file,
    });
}

/** Applies the migrations newer than the file's user_version, all in one transaction. */
function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  if (current > latest) {
    throw new AppFailure(
      'storage',
      `Database schema version ${current} is newer than this app understands (${latest}); update CNN Studio.`,
      { code: 'database-too-new', version: current, latest },
    );
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  writeTransaction(db, () => {
    for (const m of pending) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
}
