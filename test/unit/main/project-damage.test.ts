import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../main/services/project-store';
import { tempProjectStore } from '../../support/project-store';

/** Issue 13 item 9: an existing project's missing or empty database is damage, never a new empty project. */
describe('ProjectStore: damaged projects', () => {
  const t = tempProjectStore();

  const dbFile = (id: string) => path.join(t.dir, 'projects', id, 'project.sqlite');

  /** Leaves the project's database as `bytes` (its -wal/-shm gone), the t.store's connection closed. */
  function overwrite(id: string, bytes: Buffer): void {
    t.store.closeAll();
    for (const suffix of ['-wal', '-shm']) fs.rmSync(dbFile(id) + suffix, { force: true });
    fs.writeFileSync(dbFile(id), bytes);
  }

  it('lists a 0-byte project.sqlite as damaged (database-empty) and leaves the file 0 bytes', () => {
    const p = t.store.create({ name: 'Emptied', inputSize: 28, color: 'gray' });
    overwrite(p.id, Buffer.alloc(0));
    const fresh = new ProjectStore(t.dir);
    const listed = fresh.list().find((x) => x.id === p.id);
    expect(listed?.damage?.code).toBe('database-empty');
    expect(listed?.problem).toMatch(/empty \(0 bytes\)/);
    expect(() => fresh.get(p.id)).toThrow(/empty/);
    expect(() => fresh.db(p.id)).toThrow(/empty/);
    expect(fs.statSync(dbFile(p.id)).size).toBe(0);
    fresh.closeAll();
  });

  it('lists a project folder without project.sqlite as damaged (database-missing) and creates no file', () => {
    const p = t.store.create({ name: 'Gone', inputSize: 28, color: 'gray' });
    t.store.closeAll();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile(p.id) + suffix, { force: true });
    const listed = t.store.list().find((x) => x.id === p.id);
    expect(listed?.damage?.code).toBe('database-missing');
    expect(fs.existsSync(dbFile(p.id))).toBe(false);
  });

  it('moves a damaged project to the trash under the name its file still tells, else its id, and restores it', () => {
    const garbled = t.store.create({ name: 'Garbled', inputSize: 28, color: 'gray' });
    const emptied = t.store.create({ name: 'Emptied', inputSize: 28, color: 'gray' });
    t.store.closeAll();
    // Garbage in the middle of the file: the header (and the project row on page 2) may still be readable.
    const bytes = fs.readFileSync(dbFile(garbled.id));
    bytes.fill(0xa5, 4096 * 2, bytes.length);
    overwrite(garbled.id, bytes);
    overwrite(emptied.id, Buffer.alloc(0));

    const trashedEmpty = t.store.delete(emptied.id);
    expect(trashedEmpty.name).toBe(emptied.id);
    const trashedGarbled = t.store.delete(garbled.id);
    expect([garbled.id, 'Garbled']).toContain(trashedGarbled.name);
    expect(t.store.list()).toEqual([]);
    expect(
      t.store
        .listTrash()
        .map((t) => t.id)
        .sort(),
    ).toEqual([emptied.id, garbled.id].sort());
    expect(fs.statSync(path.join(t.dir, 'trash', emptied.id, 'project.sqlite')).size).toBe(0);

    const back = t.store.restore(emptied.id);
    expect(back).toMatchObject({ id: emptied.id, damage: { code: 'database-empty' } });
    expect(t.store.list().map((x) => x.id)).toEqual([emptied.id]);
  });

  it('never lists a create that a killed process left half-made, and the next create removes it', () => {
    // What a process killed inside create() leaves: its staging folder with a partial database.
    const staging = path.join(t.dir, 'projects', '.new-0b5e1f7c-dead-4bad-8bad-000000000000');
    fs.mkdirSync(staging);
    fs.writeFileSync(path.join(staging, 'project.sqlite'), Buffer.alloc(0));
    expect(t.store.list()).toEqual([]);
    t.store.create({ name: 'Next', inputSize: 28, color: 'gray' });
    expect(fs.existsSync(staging)).toBe(false);
    expect(t.store.list().map((p) => p.name)).toEqual(['Next']);
  });

  it('lists the others when a project is moved away by another process while the list is read', () => {
    const gone = t.store.create({ name: 'Gone soon', inputSize: 28, color: 'gray' });
    t.store.create({ name: 'Stays', inputSize: 28, color: 'gray' });
    t.store.closeAll();
    const trash = path.join(t.dir, 'trash', gone.id);
    /** Another process deletes `gone` between this one's folder listing and its reading of that project. */
    class RacingStore extends ProjectStore {
      override summary(id: string) {
        if (id === gone.id && fs.existsSync(this.projectDir(id))) fs.renameSync(this.projectDir(id), trash);
        return super.summary(id);
      }
    }
    const racing = new RacingStore(t.dir);
    expect(racing.list().map((p) => p.name)).toEqual(['Stays']);
    racing.closeAll();
  });

  it('refuses restore-backup of a project without backups, and of a sound project unless forced', () => {
    const p = t.store.create({ name: 'Sound', inputSize: 28, color: 'gray' });
    expect(() => t.store.restoreBackup(p.id)).toThrow(/opens fine/);
    expect(() => t.store.restoreBackup(p.id, { force: true })).toThrow(/no backups/);
    overwrite(p.id, Buffer.alloc(0));
    expect(() => t.store.restoreBackup(p.id)).toThrow(/no backups/);
    expect(fs.statSync(dbFile(p.id)).size).toBe(0);
  });
});
