import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../app/ipc/result';
import { ProjectStore } from '../../../main/services/project-store';
import { tempProjectStore } from '../../support/project-store';

describe('ProjectStore', () => {
  const t = tempProjectStore();

  it('creates a self-contained project folder with its own WAL database', () => {
    const p = t.store.create({ name: 'Shoes', inputSize: 32, color: 'rgb' });
    expect(p).toMatchObject({ name: 'Shoes', inputSize: 32, color: 'rgb', imageCount: 0, labelCount: 0 });
    const file = path.join(t.dir, 'projects', p.id, 'project.sqlite');
    expect(fs.existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(1);
    expect(db.prepare('SELECT name FROM project').get()).toEqual({ name: 'Shoes' });
    db.close();
  });

  it('lists, renames, deletes to the trash and restores', () => {
    const a = t.store.create({ name: 'Alpha', inputSize: 28, color: 'gray' });
    const b = t.store.create({ name: 'Beta', inputSize: 28, color: 'gray' });
    expect(
      t.store
        .list()
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Alpha', 'Beta']);

    const renamed = t.store.rename(a.id, 'Gamma');
    expect(renamed.name).toBe('Gamma');
    expect(renamed.updatedAt >= a.updatedAt).toBe(true);

    const trashed = t.store.delete(b.id);
    expect(trashed).toMatchObject({ id: b.id, name: 'Beta' });
    expect(t.store.list().map((p) => p.name)).toEqual(['Gamma']);
    expect(fs.existsSync(path.join(t.dir, 'trash', b.id, 'project.sqlite'))).toBe(true);
    expect(t.store.listTrash().map((t) => t.id)).toEqual([b.id]);

    const restored = t.store.restore(b.id);
    expect(restored.name).toBe('Beta');
    expect(t.store.listTrash()).toEqual([]);
    expect(t.store.list()).toHaveLength(2);
  });

  it('rejects duplicate names case-insensitively, on create, rename and restore', () => {
    const a = t.store.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
    expect(() => t.store.create({ name: 'fashion', inputSize: 28, color: 'gray' })).toThrow(/already exists/);
    const b = t.store.create({ name: 'Other', inputSize: 28, color: 'gray' });
    expect(() => t.store.rename(b.id, 'FASHION')).toThrow(/already exists/);
    expect(t.store.rename(a.id, 'fashion').name).toBe('fashion');
    t.store.delete(a.id);
    t.store.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
    expect(() => t.store.restore(a.id)).toThrow(/already exists/);
    expect(t.store.listTrash()).toHaveLength(1);
  });

  it('refuses invalid names without creating anything', () => {
    for (const name of ['', '../x', 'a/b', 'CON', 'x'.repeat(200)]) {
      expect(() => t.store.create({ name, inputSize: 28, color: 'gray' })).toThrow(AppFailure);
    }
    expect(fs.readdirSync(path.join(t.dir, 'projects'))).toEqual([]);
  });

  it('lists a project whose database is corrupt with its problem, and keeps the file untouched', () => {
    const good = t.store.create({ name: 'Good', inputSize: 28, color: 'gray' });
    const bad = t.store.create({ name: 'Bad', inputSize: 28, color: 'gray' });
    t.store.closeAll();
    const file = path.join(t.dir, 'projects', bad.id, 'project.sqlite');
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    const garbage = Buffer.from('this is not a database '.repeat(500));
    fs.writeFileSync(file, garbage);

    const fresh = new ProjectStore(t.dir);
    const listed = fresh.list();
    expect(listed.find((p) => p.id === good.id)?.problem).toBeUndefined();
    const broken = listed.find((p) => p.id === bad.id);
    expect(broken?.problem).toMatch(/damaged|unreadable|not a database/i);
    expect(() => fresh.get(bad.id)).toThrow(/damaged|unreadable|not a database/i);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
    fresh.closeAll();
  });

  it('gives a clear storage error for a data folder that cannot be written', () => {
    const blocker = path.join(t.dir, 'a-file');
    fs.writeFileSync(blocker, 'x');
    const unusable = new ProjectStore(path.join(blocker, 'data'));
    expect(() => unusable.ensureLayout()).toThrow(/not writable/);
    expect(() => unusable.create({ name: 'X', inputSize: 28, color: 'gray' })).toThrow(/not writable/);
  });

  it.skipIf(process.getuid?.() === 0)('keeps projects intact when the data folder turns read-only', () => {
    const p = t.store.create({ name: 'Keep', inputSize: 28, color: 'gray' });
    t.store.closeAll();
    fs.chmodSync(path.join(t.dir, 'projects'), 0o555);
    try {
      expect(() => t.store.delete(p.id)).toThrow();
      expect(t.store.get(p.id).name).toBe('Keep');
    } finally {
      fs.chmodSync(path.join(t.dir, 'projects'), 0o755);
    }
  });

  it('refuses a database written by a newer app version', () => {
    const p = t.store.create({ name: 'Future', inputSize: 28, color: 'gray' });
    t.store.db(p.id).pragma('user_version = 999');
    t.store.closeAll();
    expect(() => t.store.get(p.id)).toThrow(/newer than this app/);
  });

  it('resolves projects by id or name and reports unknown ones', () => {
    const p = t.store.create({ name: 'Findme', inputSize: 28, color: 'gray' });
    expect(t.store.resolve(p.id).id).toBe(p.id);
    expect(t.store.resolve('FINDME').id).toBe(p.id);
    expect(() => t.store.resolve('nope')).toThrow(/No project/);
    expect(() => t.store.get('../../etc')).toThrow(/No project/);
  });
});
