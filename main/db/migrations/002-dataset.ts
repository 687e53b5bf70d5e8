import type { Migration } from './index';

/**
 * The dataset: labels, images (content-addressed blobs under `<projectDir>/blobs`), where each file came from,
 * the preprocessed tensor cache, imports and their problems, the labeling action log and label history.
 */
export const migration002: Migration = {
  version: 2,
  description: 'dataset: labels, images, tensors, imports, action log',
  sql: `
    CREATE TABLE labels (
      id          INTEGER PRIMARY KEY,
      name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
      color       TEXT NOT NULL,
      created_at  TEXT NOT NULL
    );

    CREATE TABLE images (
      id            INTEGER PRIMARY KEY,
      sha256        TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
      ext           TEXT NOT NULL,
      file_name     TEXT NOT NULL,
      source_path   TEXT NOT NULL,
      byte_size     INTEGER NOT NULL,
      format        TEXT NOT NULL,
      width         INTEGER NOT NULL,
      height        INTEGER NOT NULL,
      channels      INTEGER NOT NULL,
      has_alpha     INTEGER NOT NULL DEFAULT 0,
      label_id      INTEGER REFERENCES labels(id) ON DELETE SET NULL,
      split         TEXT CHECK (split IN ('train', 'val', 'test')),
      split_source  TEXT CHECK (split_source IN ('auto', 'manual', 'folder')),
      split_key     REAL NOT NULL DEFAULT 0,
      dhash         TEXT,
      conflict      TEXT,
      dup_count     INTEGER NOT NULL DEFAULT 0,
      import_id     TEXT NOT NULL,
      added_at      TEXT NOT NULL,
      removed_at    TEXT
    );
    CREATE INDEX images_label ON images(label_id);
    CREATE INDEX images_split ON images(split);
    CREATE INDEX images_name ON images(file_name);
    CREATE INDEX images_dhash ON images(dhash);

    -- The preprocessed network input (uint8, C×H×W) so training never decodes an image twice.
    CREATE TABLE image_tensors (
      image_id  INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
      size      INTEGER NOT NULL,
      channels  INTEGER NOT NULL,
      pixels    BLOB NOT NULL
    );

    -- Every file seen for an image (first import and duplicates); lets a repeated import skip what it has.
    CREATE TABLE image_sources (
      id          INTEGER PRIMARY KEY,
      image_id    INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      path        TEXT NOT NULL,
      byte_size   INTEGER NOT NULL,
      mtime_ms    INTEGER NOT NULL,
      label_name  TEXT,
      import_id   TEXT NOT NULL,
      seen_at     TEXT NOT NULL
    );
    CREATE INDEX image_sources_path ON image_sources(path);
    CREATE INDEX image_sources_image ON image_sources(image_id);

    CREATE TABLE imports (
      id           TEXT PRIMARY KEY,
      started_at   TEXT NOT NULL,
      finished_at  TEXT,
      status       TEXT NOT NULL,
      options      TEXT NOT NULL,
      summary      TEXT
    );

    CREATE TABLE import_issues (
      id         INTEGER PRIMARY KEY,
      import_id  TEXT NOT NULL,
      kind       TEXT NOT NULL CHECK (kind IN ('failed', 'skipped')),
      path       TEXT NOT NULL,
      reason     TEXT NOT NULL
    );
    CREATE INDEX import_issues_path ON import_issues(path);

    CREATE TABLE label_history (
      id        INTEGER PRIMARY KEY,
      image_id  INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      label     TEXT,
      cause     TEXT NOT NULL,
      at        TEXT NOT NULL
    );
    CREATE INDEX label_history_image ON label_history(image_id);

    -- Undoable labeling actions; 'undone' ones form the redo stack until a new action discards them.
    CREATE TABLE actions (
      id           INTEGER PRIMARY KEY,
      description  TEXT NOT NULL,
      ops          TEXT NOT NULL,
      undone       INTEGER NOT NULL DEFAULT 0,
      at           TEXT NOT NULL
    );

    CREATE TABLE dataset_settings (
      key    TEXT PRIMARY KEY,
      value  TEXT NOT NULL
    );
  `,
};
