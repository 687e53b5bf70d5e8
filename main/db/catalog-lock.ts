import Database from 'better-sqlite3';
import path from 'node:path';
import { AppFailure } from '../../app/ipc/result';
import { sqliteNativeBinding, type Db } from './open-database';

/** How long a process waits for another one's catalog change (a create is tens of milliseconds). */
const WAIT_MS = 15_000;

/**
 * A cross-process mutex over a data folder's catalog (the `projects/` listing), so that "is this name free?" and
 * "create/rename/restore it" happen as one step even when the app and CLIs run at once.
 *
 * The mutex is the write lock of a small SQLite file, `<dataDir>/catalog.lock.sqlite`, taken with BEGIN IMMEDIATE
 * and never written to. Why not an O_EXCL lock file: a process killed while holding it leaves the file behind, and
 * telling a stale lock from a slow holder needs pids and clocks (pids are reused, other machines share network
 * folders). SQLite's lock is an OS file lock (fcntl on POSIX, LockFileEx on Windows): the OS releases it when the
 * process dies, the busy timeout gives the queueing for free, and better-sqlite3 is already in every process.
 */
export class CatalogLock {
  private db: Db | null = null;
  private held = false;

  constructor(
    private readonly dataDir: string,
    private readonly waitMs = WAIT_MS,
  ) {}

  /** Runs `fn` while holding the lock; waits up to `waitMs` for another process, then fails with 'catalog-busy'. */
  run<T>(fn: () => T): T {
    if (this.held) return fn(); // a catalog step inside another one (restore checks names) already holds it
    const db = this.connection();
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      throw new AppFailure(
        'busy',
        `Another CNN Studio process kept the project catalog busy: ${(error as Error).message}`,
        { code: 'catalog-busy' },
      );
    }
    this.held = true;
    try {
      return fn();
    } finally {
      this.held = false;
      db.exec('ROLLBACK'); // nothing was written: ending the transaction just releases the lock
    }
  }

  /** Closes the lock file's connection. */
  close(): void {
    this.db?.close();
    this.db = null;
  }

  private connection(): Db {
    if (this.db) return this.db;
    const binding = sqliteNativeBinding();
    let db: Db;
    try {
      db = new Database(
        path.join(this.dataDir, 'catalog.lock.sqlite'),
        binding ? { nativeBinding: binding } : {},
      );
    } catch (error) {
      throw new AppFailure(
        'storage',
        `Data folder ${this.dataDir} is not writable: ${(error as Error).message}`,
        {
          code: 'data-folder-not-writable',
          dir: this.dataDir,
        },
      );
    }
    db.pragma(`busy_timeout = ${this.waitMs}`);
    this.db = db;
    return db;
  }
}
