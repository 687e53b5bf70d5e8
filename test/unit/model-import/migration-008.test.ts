/** Migration 008: a project database of version 7 gains runs.imported_json; its trained runs read imported: null. */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openDatabase } from '../../../main/db/open-database';
import { projectMigrations } from '../../../main/db/migrations/index';
import { RunRepository } from '../../../main/services/training/run-repository';
import { presetSettings } from '../../../main/services/training/settings';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { makeTempDir } from '../../support/temp-dir';

const temp = makeTempDir('migration-008-');
afterAll(() => temp.cleanup());

describe('migration 008 (imported runs)', () => {
  it('adds imported_json to an existing database; a run trained before reads imported: null', () => {
    const file = path.join(temp.dir, 'project.sqlite');
    const old = openDatabase(file, projectMigrations.slice(0, 7));
    expect(old.pragma('user_version', { simple: true })).toBe(7);
    // a run as the version-7 app wrote it (the repository of this version reads the new column)
    old
      .prepare(
        `INSERT INTO runs (id, seq, name, status, preset, settings_json, spec_json, class_names_json,
           class_label_ids_json, left_out_json, train_count, val_count, test_count, epochs_planned, workers,
           created_at, snapshot)
         VALUES (?, 1, 'trained', 'completed', 'small', ?, ?, '["a","b"]', '[1,2]', '[]', 0, 0, 0, 5, 1, ?, ?)`,
      )
      .run(
        '11111111-2222-4333-8444-555555555555',
        JSON.stringify(presetSettings('small')),
        JSON.stringify(presetSpec('small', { height: 28, width: 28, channels: 1 }, 2)),
        new Date().toISOString(),
        Buffer.alloc(0),
      );
    old.close();
  });

  it('reads the migrated database', () => {
    const db = openDatabase(path.join(temp.dir, 'project.sqlite'), projectMigrations);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(8);
      const columns = (db.pragma('table_info(runs)') as { name: string }[]).map((c) => c.name);
      expect(columns).toContain('imported_json');
      const [run] = new RunRepository(db).list();
      expect(run).toMatchObject({ name: 'trained', imported: null, epochsDone: 0 });
    } finally {
      db.close();
    }
  });
});
