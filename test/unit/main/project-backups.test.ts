import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLabel, listLabels } from '../../../main/services/dataset/label-ops';
import { BACKUPS_KEPT, backupFileName, listBackups } from '../../../main/services/project-backups';
import { ProjectStore } from '../../../main/services/project-store';
import { tempProjectStore } from '../../support/project-store';

/** Automatic backups (SQLite's online backup API), detection of a damaged database, and restore (issue 13). */
describe('project backups', () => {
  const t = tempProjectStore();

  const projectDir = (id: string) => path.join(t.dir, 'projects', id);
  const dbFile = (id: string) => path.join(projectDir(id), 'project.sqlite');
  const labelNames = (id: string) => listLabels(t.store.db(id)).map((l) => l.name);
  const now = () => new Date().toISOString();

  /** The t.store's connection closed and the -wal checkpointed away, so the bytes below are the whole database. */
  function settle(id: string): void {
    t.store.db(id).pragma('wal_checkpoint(TRUNCATE)');
    t.store.closeAll();
  }

  it('takes a checked copy into backups/, keeps the newest few, and skips an opening backup under a day old', async () => {
    const p = t.store.create({ name: 'Backed', inputSize: 28, color: 'gray' });
    createLabel(t.store.db(p.id), 'cat', undefined, now());
    const first = await t.store.backup(p.id, 'manual');
    expect(first?.file).toMatch(/^project-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z\.sqlite$/);
    const copy = new Database(path.join(projectDir(p.id), 'backups', first!.file), { readonly: true });
    expect(copy.prepare('SELECT name FROM labels').pluck().all()).toEqual(['cat']);
    copy.close();

    // A backup under a day old: opening the project does not take another.
    expect(await t.store.backup(p.id, 'open')).toBeNull();
    for (let i = 0; i < BACKUPS_KEPT + 2; i++) {
      await new Promise((r) => setTimeout(r, 3)); // distinct millisecond names
      await t.store.backup(p.id, 'import');
    }
    const kept = listBackups(projectDir(p.id));
    expect(kept).toHaveLength(BACKUPS_KEPT);
    expect(kept.map((b) => b.file)).not.toContain(first!.file);
    expect(
      fs.readdirSync(path.join(projectDir(p.id), 'backups')).filter((f) => f.includes('.partial')),
    ).toEqual([]);
  });

  it('takes an opening backup when a process first opens a project whose newest backup is older than a day', async () => {
    const p = t.store.create({ name: 'Stale', inputSize: 28, color: 'gray' });
    expect(listBackups(projectDir(p.id))).toEqual([]); // a new project needs none yet
    const old = new Date(Date.now() - 2 * 24 * 3_600_000);
    fs.mkdirSync(path.join(projectDir(p.id), 'backups'));
    fs.copyFileSync(dbFile(p.id), path.join(projectDir(p.id), 'backups', backupFileName(old)));
    t.store.closeAll();

    const other = new ProjectStore(t.dir); // another process
    other.get(p.id);
    await other.settleBackups();
    expect(listBackups(projectDir(p.id))).toHaveLength(2);
    other.closeAll();
  });

  it('listing and resolving projects take no backups: only opening one for work does', async () => {
    const a = t.store.create({ name: 'Listed', inputSize: 28, color: 'gray' });
    const b = t.store.create({ name: 'Used', inputSize: 28, color: 'gray' });
    t.store.closeAll();

    const other = new ProjectStore(t.dir); // another process, e.g. a CLI command on project "Used"
    expect(other.list().map((p) => p.name)).toEqual(expect.arrayContaining(['Listed', 'Used']));
    expect(other.resolve('Used').id).toBe(b.id);
    await other.settleBackups();
    expect(listBackups(projectDir(a.id))).toEqual([]);
    expect(listBackups(projectDir(b.id))).toEqual([]);
    other.db(b.id); // the command's work
    await other.settleBackups();
    expect(listBackups(projectDir(a.id))).toEqual([]);
    expect(listBackups(projectDir(b.id))).toHaveLength(1);
    other.closeAll();
  });

  for (const damage of ['garbage in the middle', 'truncated to 0 bytes'] as const) {
    it(`detects a database with ${damage}, lists it with its backups, restores the data as of the backup and keeps the damaged file`, async () => {
      const p = t.store.create({ name: 'Precious', inputSize: 28, color: 'gray' });
      createLabel(t.store.db(p.id), 'cat', undefined, now());
      const backup = await t.store.backup(p.id, 'manual');
      createLabel(t.store.db(p.id), 'dog', undefined, now()); // after the backup: lost with the damage
      settle(p.id);

      const bytes = fs.readFileSync(dbFile(p.id));
      const damaged =
        damage === 'truncated to 0 bytes'
          ? Buffer.alloc(0)
          : Buffer.concat([bytes.subarray(0, 4096), Buffer.alloc(bytes.length - 4096, 0x5a)]);
      fs.writeFileSync(dbFile(p.id), damaged);

      const listed = t.store.list().find((x) => x.id === p.id)!;
      expect(listed.name).toBe('Precious'); // from the file, or else from its newest backup
      expect(listed.damage?.code).toBe(
        damage === 'truncated to 0 bytes' ? 'database-empty' : 'database-damaged',
      );
      expect(listed.damage?.backups.map((b) => b.file)).toEqual([backup!.file]);
      // A damaged database is never copied over the good backups.
      expect(await t.store.backup(p.id, 'manual')).toBeNull();
      expect(listBackups(projectDir(p.id)).map((b) => b.file)).toEqual([backup!.file]);

      const restored = t.store.restoreBackup(p.id);
      expect(restored.backup).toBe(backup!.file);
      expect(restored.project).toMatchObject({ id: p.id, name: 'Precious', labelCount: 1 });
      expect(restored.project.problem).toBeUndefined();
      expect(labelNames(p.id)).toEqual(['cat']);
      expect(restored.keptAs).toMatch(/^project\.sqlite\.damaged-/);
      expect(fs.readFileSync(path.join(projectDir(p.id), restored.keptAs!)).equals(damaged)).toBe(true);
      expect(listBackups(projectDir(p.id)).map((b) => b.file)).toEqual([backup!.file]); // the backup stays
    });
  }

  it('restores only a listed backup file: other names, paths and unsound copies are refused', async () => {
    const p = t.store.create({ name: 'Picky', inputSize: 28, color: 'gray' });
    const good = await t.store.backup(p.id, 'manual');
    settle(p.id);
    fs.writeFileSync(dbFile(p.id), Buffer.alloc(0));
    const backups = path.join(projectDir(p.id), 'backups');
    fs.writeFileSync(path.join(backups, 'notes.sqlite'), fs.readFileSync(path.join(backups, good!.file)));
    const unsound = backupFileName(new Date(Date.now() + 60_000));
    fs.writeFileSync(path.join(backups, unsound), 'not a database');

    for (const file of ['notes.sqlite', `../backups/${good!.file}`, '../project.sqlite', '/etc/passwd'])
      expect(() => t.store.restoreBackup(p.id, { file }), file).toThrow(/No backup/);
    expect(() => t.store.restoreBackup(p.id, { file: unsound })).toThrow(/fails SQLite's check/);
    expect(fs.statSync(dbFile(p.id)).size).toBe(0);
    // Without a name: the newest sound backup (the unsound newer one is passed over).
    expect(t.store.restoreBackup(p.id).backup).toBe(good!.file);
  });
});
