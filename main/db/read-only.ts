import Database from 'better-sqlite3';
import fs from 'node:fs';
import { sqliteNativeBinding, type Db } from './open-database';

/** A read-only connection to an existing database file (with Electron's addon build when set). */
export function openReadOnly(file: string): Db {
  const binding = sqliteNativeBinding();
  return new Database(file, {
    readonly: true,
    fileMustExist: true,
    ...(binding ? { nativeBinding: binding } : {}),
  });
}

/** Whether a database file passes SQLite's quick_check (false when it cannot be opened at all). */
export function databaseIsSound(file: string): boolean {
  let db: Db | undefined;
  try {
    db = openReadOnly(file);
    return db.pragma('quick_check', { simple: true }) === 'ok';
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/** The name a (possibly damaged) project database still tells, or null when it tells none. */
export function readProjectName(file: string): string | null {
  let db: Db | undefined;
  try {
    if (fs.statSync(file).size === 0) return null;
    db = openReadOnly(file);
    const name = db.prepare('SELECT name FROM project LIMIT 1').pluck().get();
    return typeof name === 'string' && name.length > 0 ? name : null;
  } catch {
    return null;
  } finally {
    db?.close();
  }
}
