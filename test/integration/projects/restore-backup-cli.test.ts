import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLabel, listLabels } from '../../../main/services/dataset/label-ops';
import { ProjectStore } from '../../../main/services/project-store';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';

/** `project list` reports a damaged project with its backups; `project restore-backup` brings it back (issue 13). */
describe('cnn-studio project restore-backup', () => {
  let temp: { dir: string; cleanup: () => void };

  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.cleanup());

  /** A project with labels cat (in its backup) and dog (after it), whose database is then damaged as `damage`. */
  async function damagedProject(damage: (file: string) => void): Promise<{ id: string; backup: string }> {
    const created = await runCliCaptured(temp.dir, '--json', 'project', 'create', 'Precious');
    const id = created.json().id as string;
    const store = new ProjectStore(temp.dir);
    createLabel(store.db(id), 'cat', undefined, new Date().toISOString());
    const backup = (await store.backup(id, 'manual'))!.file;
    createLabel(store.db(id), 'dog', undefined, new Date().toISOString());
    store.db(id).pragma('wal_checkpoint(TRUNCATE)');
    store.closeAll();
    damage(path.join(temp.dir, 'projects', id, 'project.sqlite'));
    return { id, backup };
  }

  it('lists the damage and backups, restores by id with --json, keeps the damaged file', async () => {
    const { id, backup } = await damagedProject((file) => {
      const bytes = fs.readFileSync(file);
      bytes.fill(0x77, 4096, bytes.length); // overwrite everything after the header page
      fs.writeFileSync(file, bytes);
    });

    const listed = await runCliCaptured(temp.dir, '--json', 'project', 'list');
    expect(listed.code).toBe(0);
    expect(listed.json()[0]).toMatchObject({ id, name: 'Precious', damage: { code: 'database-damaged' } });
    expect(listed.json()[0].damage.backups[0].file).toBe(backup); // newest first
    const human = await runCliCaptured(temp.dir, 'project', 'list');
    expect(human.out).toContain('DAMAGED');
    expect(human.out).toContain(`backup ${backup}`);
    expect(human.out).toContain(`cnn-studio project restore-backup ${id}`);

    // A damaged project has no readable name to resolve: the name is refused, the id works.
    const byName = await runCliCaptured(temp.dir, '--json', 'project', 'restore-backup', 'Precious');
    expect(byName.code).toBe(1);
    const restored = await runCliCaptured(
      temp.dir,
      '--json',
      'project',
      'restore-backup',
      id,
      '--backup',
      backup,
    );
    expect(restored.code, restored.err).toBe(0);
    expect(restored.json()).toMatchObject({ project: { id, name: 'Precious', labelCount: 1 }, backup });
    const keptAs = restored.json().keptAs as string;
    expect(fs.existsSync(path.join(temp.dir, 'projects', id, keptAs))).toBe(true);

    const store = new ProjectStore(temp.dir);
    expect(listLabels(store.db(id)).map((l) => l.name)).toEqual(['cat']);
    store.closeAll();
  });

  it('refuses a backup name that is not one of the project’s backups, and a sound project without --force', async () => {
    const { id } = await damagedProject((file) => fs.writeFileSync(file, Buffer.alloc(0)));
    const bad = await runCliCaptured(
      temp.dir,
      '--json',
      'project',
      'restore-backup',
      id,
      '--backup',
      '../../x.sqlite',
    );
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).error.code).toBe('not-found');
    expect(fs.statSync(path.join(temp.dir, 'projects', id, 'project.sqlite')).size).toBe(0);

    expect((await runCliCaptured(temp.dir, 'project', 'restore-backup', id)).code).toBe(0);
    const again = await runCliCaptured(temp.dir, 'project', 'restore-backup', id);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/opens fine/);
  });

  it('moves a damaged project to the trash by its id', async () => {
    const { id } = await damagedProject((file) => fs.writeFileSync(file, Buffer.alloc(0)));
    const deleted = await runCliCaptured(temp.dir, '--json', 'project', 'delete', id, '--yes');
    expect(deleted.code, deleted.err).toBe(0);
    expect(deleted.json()).toMatchObject({ id, name: 'Precious' }); // named by its backup
    expect((await runCliCaptured(temp.dir, '--json', 'project', 'list')).json()).toEqual([]);
  });
});
