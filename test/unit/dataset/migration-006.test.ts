import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectMigrations } from '../../../main/db/migrations/index';
import { openDatabase } from '../../../main/db/open-database';
import { tempDir } from './fixtures';

describe('migration 006 (import issue codes, label-history cause codes) on a database of schema 005', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('gives old import issues and label-history rows codes derived from their English text', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'project.db');
    const old = openDatabase(
      file,
      projectMigrations.filter((m) => m.version <= 5),
    );
    expect(old.pragma('user_version', { simple: true })).toBe(5);
    const issue = old.prepare(
      "INSERT INTO import_issues (import_id, kind, path, reason) VALUES ('i', ?, ?, ?)",
    );
    issue.run('failed', '/a/fake.jpg', 'not an image sharp can read (unknown or corrupt format)');
    issue.run('skipped', '/a/notes.txt', 'not an image file (.txt)');
    issue.run('failed', '/a/gone', 'no such file or folder');
    issue.run('failed', '/a/odd', 'something nobody wrote a rule for');
    old
      .prepare(
        `INSERT INTO images (sha256, ext, file_name, source_path, byte_size, format, width, height, channels, import_id, added_at)
         VALUES (?, 'png', 'x.png', '/a/x.png', 1, 'png', 1, 1, 1, 'i', 't')`,
      )
      .run('0'.repeat(64));
    const history = old.prepare(
      "INSERT INTO label_history (image_id, label, cause, at) VALUES (1, NULL, ?, 't')",
    );
    for (const cause of [
      'import',
      'Label 5 images "fig"',
      'undo: Label 5 images "fig"',
      'redo: Unlabel 1 image',
      'suggestion',
      'import (duplicate carried a label)',
      'Merge "a" into "b"',
      'Delete label "a"',
      '???',
    ])
      history.run(cause);
    old.close();

    const db = openDatabase(file, projectMigrations);
    expect(db.pragma('user_version', { simple: true })).toBe(projectMigrations.at(-1)!.version);
    expect(db.prepare('SELECT path, code, reason FROM import_issues ORDER BY id').all()).toEqual([
      {
        path: '/a/fake.jpg',
        code: 'not-an-image',
        reason: 'not an image this app can read (unknown or corrupt format)',
      },
      { path: '/a/notes.txt', code: 'not-an-image-file', reason: 'not an image file (.txt)' },
      { path: '/a/gone', code: 'not-found', reason: 'no such file or folder' },
      { path: '/a/odd', code: 'unknown', reason: 'something nobody wrote a rule for' },
    ]);
    expect(db.prepare('SELECT cause FROM label_history ORDER BY id').pluck().all()).toEqual([
      'import',
      'label',
      'undo',
      'redo',
      'suggestion',
      'import',
      'merge-labels',
      'delete-label',
      'other',
    ]);
    db.close();
  });
});
