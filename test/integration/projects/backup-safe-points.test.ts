import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listBackups } from '../../../main/services/project-backups';
import { makeTestServices } from '../../support/services';
import { projectWithImages, quickSettings } from '../training/support';

/** Automatic backups at the safe points (issue 13): after an import finishes and after a training run ends. */
describe('automatic backups at safe points', () => {
  let t: ReturnType<typeof makeTestServices>;

  beforeEach(() => {
    t = makeTestServices();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  /** The number of images and runs a backup file holds. */
  function contents(projectId: string, file: string): { images: number; runs: number } {
    const db = new Database(path.join(t.dataDir, 'projects', projectId, 'backups', file), { readonly: true });
    try {
      return {
        images: db.prepare('SELECT COUNT(*) FROM images').pluck().get() as number,
        runs: db.prepare("SELECT COUNT(*) FROM runs WHERE status = 'completed'").pluck().get() as number,
      };
    } finally {
      db.close();
    }
  }

  it('backs up after an import and after a completed run, each copy holding what was just written', async () => {
    const { services } = t;
    const projectId = await projectWithImages(services, 'Safe points');
    await services.projects.settleBackups();
    const dir = path.join(t.dataDir, 'projects', projectId);
    const afterImport = listBackups(dir);
    expect(afterImport).toHaveLength(1);
    expect(contents(projectId, afterImport[0].file)).toEqual({ images: 500, runs: 0 });

    const run = services.training.start(projectId, quickSettings({ epochs: 1 }));
    expect((await services.training.waitFor(projectId, run.id)).run.status).toBe('completed');
    await services.projects.settleBackups();
    const afterRun = listBackups(dir);
    expect(afterRun).toHaveLength(2);
    expect(contents(projectId, afterRun[0].file)).toEqual({ images: 500, runs: 1 });
  });
});
