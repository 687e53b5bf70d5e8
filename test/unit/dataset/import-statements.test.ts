import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../main/db/open-database';
import {
  prepareImportStatements,
  type ImportStatements,
} from '../../../main/services/dataset/import-statements';
import { makeHarness, type Harness } from './fixtures';

describe('prepareImportStatements', () => {
  let h: Harness;
  let db: Db;
  let st: ImportStatements;
  const now = '2026-11-27T00:00:00.000Z';

  beforeAll(async () => {
    h = await makeHarness();
    db = h.services.projects.db(h.projectId);
    st = prepareImportStatements(db);
    db.prepare(
      "INSERT INTO imports (id, started_at, status, options) VALUES ('imp', ?, 'running', '{}')",
    ).run(now);
    db.prepare("INSERT INTO labels (name, color, created_at) VALUES ('Bag', '#ff0000', ?)").run(now);
  });
  afterAll(async () => {
    await h.close();
  });

  const image = (sha: string, path: string, labelId: number | null) => ({
    sha,
    ext: 'png',
    fileName: 'a.png',
    path,
    byteSize: 10,
    format: 'png',
    width: 2,
    height: 2,
    channels: 1,
    hasAlpha: 0,
    labelId,
    split: 'train',
    splitSource: 'auto',
    splitKey: 0.5,
    dhash: null,
    importId: 'imp',
    now,
  });

  it('writes an image, its tensor, source and history, and finds it again by path and by bytes', () => {
    const labelId = db.prepare("SELECT id FROM labels WHERE name = 'Bag'").pluck().get() as number;
    const id = Number(st.insertImage.run(image('a'.repeat(64), '/src/a.png', labelId)).lastInsertRowid);
    st.insertTensor.run(id, 2, 1, Buffer.from([1, 2, 3, 4]));
    st.insertSource.run(id, '/src/a.png', 10, 123, 'Bag', 'imp', now);
    st.insertHistory.run(id, 'Bag', 'import', now);
    expect(st.sourceByPath.get('/src/a.png')).toEqual({ size: 10, mtime: 123, label: 'Bag' });
    expect(st.sourceByPath.get('/src/none.png')).toBeUndefined();
    expect(st.imageBySha.get('a'.repeat(64))).toEqual({ id, path: '/src/a.png', label: 'Bag' });
    expect(st.idBySha.get('a'.repeat(64))).toEqual({ id, labelId, conflict: null });
  });

  it('updates labels, conflicts and duplicate counts', () => {
    const id = Number(st.insertImage.run(image('b'.repeat(64), '/src/b.png', null)).lastInsertRowid);
    const labelId = db.prepare("SELECT id FROM labels WHERE name = 'Bag'").pluck().get() as number;
    st.setLabel.run(labelId, id);
    st.setConflict.run('["Bag","Coat"]', id);
    st.bumpDup.run(id);
    st.bumpDup.run(id);
    const row = db.prepare('SELECT label_id, conflict, dup_count FROM images WHERE id = ?').get(id);
    expect(row).toEqual({ label_id: labelId, conflict: '["Bag","Coat"]', dup_count: 2 });
  });

  it('records an import issue with its code and params', () => {
    st.insertIssue.run('imp', 'failed', '/src/c.png', 'truncated', 'truncated', JSON.stringify({ bytes: 3 }));
    const row = db
      .prepare("SELECT kind, reason, code, params, dismissed_at FROM import_issues WHERE path = '/src/c.png'")
      .get();
    expect(row).toEqual({
      kind: 'failed',
      reason: 'truncated',
      code: 'truncated',
      params: '{"bytes":3}',
      dismissed_at: null,
    });
  });
});
