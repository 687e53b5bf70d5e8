import type { Db } from '../../db/open-database';

/**
 * The statements one import runs for every file (prepared once per import): looking up what a path or the same
 * bytes already gave, and writing images, tensors, sources, label history and issues.
 */
export function prepareImportStatements(db: Db) {
  return {
    sourceByPath: db.prepare(
      'SELECT byte_size AS size, mtime_ms AS mtime, label_name AS label FROM image_sources WHERE path = ?',
    ),
    imageBySha: db.prepare(
      'SELECT i.id, i.source_path AS path, l.name AS label FROM images i LEFT JOIN labels l ON l.id = i.label_id WHERE i.sha256 = ?',
    ),
    insertImage: db.prepare(
      `INSERT INTO images (sha256, ext, file_name, source_path, byte_size, format, width, height, channels, has_alpha,
       label_id, split, split_source, split_key, dhash, import_id, added_at)
     VALUES (@sha, @ext, @fileName, @path, @byteSize, @format, @width, @height, @channels, @hasAlpha,
       @labelId, @split, @splitSource, @splitKey, @dhash, @importId, @now)`,
    ),
    insertTensor: db.prepare(
      'INSERT INTO image_tensors (image_id, size, channels, pixels) VALUES (?, ?, ?, ?)',
    ),
    insertSource: db.prepare(
      'INSERT INTO image_sources (image_id, path, byte_size, mtime_ms, label_name, import_id, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    insertHistory: db.prepare('INSERT INTO label_history (image_id, label, cause, at) VALUES (?, ?, ?, ?)'),
    insertIssue: db.prepare(
      'INSERT INTO import_issues (import_id, kind, path, reason, code, params) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    idBySha: db.prepare('SELECT id, label_id AS labelId, conflict FROM images WHERE sha256 = ?'),
    setLabel: db.prepare('UPDATE images SET label_id = ? WHERE id = ?'),
    setConflict: db.prepare('UPDATE images SET conflict = ? WHERE id = ?'),
    bumpDup: db.prepare('UPDATE images SET dup_count = dup_count + 1 WHERE id = ?'),
  };
}

export type ImportStatements = ReturnType<typeof prepareImportStatements>;
