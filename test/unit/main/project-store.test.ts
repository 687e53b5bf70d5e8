import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../app/ipc/result';
import { ProjectStore } from '../../../main/services/project-store';
import { makeTempDir } from '../../support/temp-dir';

describe('ProjectStore', () => {
  let temp: { dir: string; cleanup: () => void };
  let store: ProjectStore;

  beforeEach(() => {
    temp = makeTempDir();
    store = new ProjectStore(temp.dir);
    store.ensureLayout();
  });
  afterEach(() => {
    store.closeAll();
    temp.cleanup();
  });

  it('creates a self-contained project folder with its own WAL database', () => {
    const p = store.create({ name: 'Shoes', inputSize: 32, color: 'rgb' });
    expect(p).toMatchObject({ name: 'Shoes', inputSize: 32, color: 'rgb', imageCount: 0, labelCount: 0 });
    const file = path.join(temp.dir, 'projects', p.id, 'project.sqlite');
    expect(fs.existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(1);
    expect(db.prepare('SELECT name FROM project').get()).toEqual({ name: 'Shoes' });
    db.close();
  });

  it('lists, renames, deletes to the trash and restores', () => {
    const a = store.create({ name: 'Alpha', inputSize: 28, color: 'gray' });
    const b = store.create({ name: 'Beta', inputSize: 28, color: 'gray' });
    expect(
      store
        .list()
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Alpha', 'Beta']);

    const renamed = store.rename(a.id, 'Gamma');
    expect(renamed.name).toBe('Gamma');
    expect(renamed.updatedAt >= a.updatedAt).toBe(true);

    const trashed = store.delete(b.id);
    expect(trashed).toMatchObject({ id: b.id, name: 'Beta' });
    expect(store.list().map((p) => p.name)).toEqual(['Gamma']);
    expect(fs.existsSync(path.join(temp.dir, 'trash', b.id, 'project.sqlite'))).toBe(true);
    expect(store.listTrash().map((t) => t.id)).toEqual([b.id]);

    const restored = store.restore(b.id);
    expect(restored.name).toBe('Beta');
    expect(store.listTrash()).toEqual([]);
    expect(store.list()).toHaveLength(2);
  });

  it('rejects duplicate names case-insensitively, on create, rename and restore', () => {
    const a = store.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
    expect(() => store.create({ name: 'fashion', inputSize: 28, color: 'gray' })).toThrow(/already exists/);
    const b = store.create({ name: 'Other', inputSize: 28, color: 'gray' });
    expect(() => store.rename(b.id, 'FASHION')).toThrow(/already exists/);
    expect(store.rename(a.id, 'fashion').name).toBe('fashion');
    store.delete(a.id);
    store.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
    expect(() => store.restore(a.id)).toThrow(/already exists/);
    expect(store.listTrash()).toHaveLength(1);
  });

  it('refuses invalid names without creating anything', () => {
    for (const name of ['', '../x', 'a/b', 'CON', 'x'.repeat(200)]) {
      expect(() => store.create({ name, inputSize: 28, color: 'gray' })).toThrow(AppFailure);
    }
    expect(fs.readdirSync(path.join(temp.dir, 'projects'))).toEqual([]);
  });

  it('lists a project whose database is corrupt with its problem, and keeps the file untouched', () => {
    const good = store.create({ name: 'Good', inputSize: 28, color: 'gray' });
    const bad = store.create({ name: 'Bad', inputSize: 28, color: 'gray' });
    store.closeAll();
    const file = path.join(temp.dir, 'projects', bad.id, 'project.sqlite');
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    const garbage = Buffer.from('this is not a database '.repeat(500));
    fs.writeFileSync(file, garbage);

    const fresh = new ProjectStore(temp.dir);
    const listed = fresh.list();
    expect(listed.find((p) => p.id === good.id)?.problem).toBeUndefined();
    const broken = listed.find((p) => p.id === bad.id);
    expect(broken?.problem).toMatch(/damaged|unreadable|not a database/i);
    expect(() => fresh.get(bad.id)).toThrow(/damaged|unreadable|not a database/i);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
    fresh.closeAll();
  });

  it('gives a clear storage error for a data folder that cannot be written', () => {
    const blocker = path.join(temp.dir, 'a-file');
    fs.writeFileSync(blocker, 'x');
    const unusable = new ProjectStore(path.join(blocker, 'data'));
    expect(() => unusable.ensureLayout()).toThrow(/not writable/);
    expect(() => unusable.create({ name: 'X', inputSize: 28, color: 'gray' })).toThrow(/not writable/);
  });

  it.skipIf(process.getuid?.() === 0)('keeps projects intact when the data folder turns read-only', () => {
    const p = store.create({ name: 'Keep', inputSize: 28, color: 'gray' });
    store.closeAll();
    fs.chmodSync(path.join(temp.dir, 'projects'), 0o555);
    try {
      expect(() => store.delete(p.id)).toThrow();
      expect(store.get(p.id).name).toBe('Keep');
    } finally {
      fs.chmodSync(path.join(temp.dir, 'projects'), 0o755);
    }
  });

  it('refuses a database written by a newer app version', () => {
    const p = store.create({ name: 'Future', inputSize: 28, color: 'gray' });
    store.db(p.id).pragma('user_version = 999');
    store.closeAll();
    expect(() => store.get(p.id)).toThrow(/newer than this app/);
  });

  it('resolves projects by id or name and reports unknown ones', () => {
    const p = store.create({ name: 'Findme', inputSize: 28, color: 'gray' });
    expect(store.resolve(p.id).id).toBe(p.id);
    expect(store.resolve('FINDME').id).toBe(p.id);
    expect(() => store.resolve('nope')).toThrow(/No project/);
    expect(() => store.get('../../etc')).toThrow(/No project/);
  });
});
