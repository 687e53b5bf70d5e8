import type { Migration } from './index';

/**
 * Training runs: one row per run (its settings, spec, outcome and frozen dataset: image, class index and split at
 * the time, packed in one blob so that starting a 60,000-image run writes one row, not 60,000), its epochs, the
 * final model's predictions, and per-project settings (the remembered training settings, the run picked as the project's model).
 *
 * A run that is `running`/`paused` names the process that owns it (pid + a random token + a heartbeat), so
 * another process (or this one after a crash) can tell a live run from one whose process died (`interrupted`).
 */
export const migration004: Migration = {
  version: 4,
  description: 'training runs, epochs, dataset snapshots, predictions, project settings',
  sql: `
    CREATE TABLE runs (
      id                  TEXT PRIMARY KEY,
      seq                 INTEGER NOT NULL UNIQUE,
      name                TEXT NOT NULL COLLATE NOCASE UNIQUE,
      status              TEXT NOT NULL CHECK (status IN
                            ('queued', 'running', 'paused', 'completed', 'stopped', 'failed', 'interrupted')),
      preset              TEXT NOT NULL,
      settings_json       TEXT NOT NULL,
      spec_json           TEXT NOT NULL,
      class_names_json    TEXT NOT NULL,
      class_label_ids_json TEXT NOT NULL,
      left_out_json       TEXT NOT NULL,
      train_count         INTEGER NOT NULL,
      val_count           INTEGER NOT NULL,
      test_count          INTEGER NOT NULL,
      epochs_planned      INTEGER NOT NULL,
      workers             INTEGER NOT NULL,
      created_at          TEXT NOT NULL,
      started_at          TEXT,
      finished_at         TEXT,
      best_epoch          INTEGER,
      final_val_accuracy  REAL,
      images_per_second   REAL,
      kernels             TEXT,
      early_stopped       INTEGER NOT NULL DEFAULT 0,
      failure_code        TEXT,
      failure_detail      TEXT,
      checkpoint_epoch    INTEGER,
      has_model           INTEGER NOT NULL DEFAULT 0,
      owner_pid           INTEGER,
      owner_token         TEXT,
      heartbeat_at        INTEGER,
      -- the dataset snapshot: int32 triples (image id, class index, split 0 train / 1 val / 2 test), little-endian
      snapshot            BLOB NOT NULL
    );

    CREATE TABLE run_epochs (
      run_id            TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      epoch             INTEGER NOT NULL,
      train_loss        REAL NOT NULL,
      train_accuracy    REAL NOT NULL,
      val_loss          REAL,
      val_accuracy      REAL,
      seconds           REAL NOT NULL,
      images_per_second REAL NOT NULL,
      learning_rate     REAL NOT NULL,
      PRIMARY KEY (run_id, epoch)
    ) WITHOUT ROWID;

    CREATE TABLE run_predictions (
      run_id              TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      image_id            INTEGER NOT NULL,
      predicted           INTEGER NOT NULL,
      predicted_label_id  INTEGER,
      confidence          REAL NOT NULL,
      probabilities       BLOB NOT NULL,
      PRIMARY KEY (run_id, image_id)
    ) WITHOUT ROWID;

    CREATE TABLE project_settings (
      key    TEXT PRIMARY KEY,
      value  TEXT NOT NULL
    );

    -- The project's model: the run picked with runs:use, else the newest completed run (both need weights).
    CREATE VIEW model_run AS
      SELECT id FROM runs
      WHERE has_model = 1
        AND (status = 'completed' OR id = (SELECT value FROM project_settings WHERE key = 'model.runId'))
      ORDER BY id IS (SELECT value FROM project_settings WHERE key = 'model.runId') DESC, seq DESC
      LIMIT 1;
  `,
};
