import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogLock } from '../../../main/db/catalog-lock';
import { makeTempDir } from '../../support/temp-dir';

/** The catalog's cross-process mutex (create/rename/restore of projects, issue 13 item 2). */
describe('CatalogLock', () => {
  let temp: { dir: string; cleanup: () => void };
  let lock: CatalogLock;
  const file = () => path.join(temp.dir, 'catalog.lock.sqlite');

  beforeEach(() => {
    temp = makeTempDir();
    lock = new CatalogLock(temp.dir, 300);
  });
  afterEach(() => {
    lock.close();
    temp.cleanup();
  });

  it('runs one holder at a time: another holder makes it wait, then fail with catalog-busy', () => {
    expect(lock.run(() => 42)).toBe(42);
    const other = new Database(file());
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    expect(() => lock.run(() => 1)).toThrow(expect.objectContaining({ details: { code: 'catalog-busy' } }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250); // it waited for the holder
    other.exec('ROLLBACK');
    expect(lock.run(() => 2)).toBe(2);
    other.close();
  });

  it('releases the lock when its step throws, and lets a step nest another', () => {
    expect(() =>
      lock.run(() => {
        throw new Error('step failed');
      }),
    ).toThrow('step failed');
    expect(lock.run(() => lock.run(() => 'nested'))).toBe('nested');
    const other = new Database(file(), { timeout: 0 });
    other.exec('BEGIN IMMEDIATE'); // free again
    other.exec('ROLLBACK');
    other.close();
  });

  it('is released by the OS when the process holding it is killed (no stale lock to clean up)', async () => {
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
         const db = new D(${JSON.stringify(file())});
         db.exec('BEGIN IMMEDIATE');
         process.stdout.write('held\\n');
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    expect(() => lock.run(() => 1)).toThrow(/busy/);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(lock.run(() => 'after the kill')).toBe('after the kill');
  });
});
