import type { Migration } from './index';

/**
 * Label suggestions (issue 11): the model's top-1 class and its probability per unlabeled image, replaced as a
 * whole by each refresh. The class is stored by name (the run's class names), so a suggestion maps to the
 * project label of that name (labels.name, unique NOCASE) even after labels are added or re-created; set-level
 * metadata (run, time, last failure) lives in project_settings under `suggestions.*`.
 */
export const migration005: Migration = {
  version: 5,
  description: 'label suggestions',
  sql: `
    CREATE TABLE suggestions (
      image_id    INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
      run_id      TEXT NOT NULL,
      label       TEXT NOT NULL,
      confidence  REAL NOT NULL
    );
    -- "least/most confident first" and "accept above N %" without a full scan
    CREATE INDEX suggestions_confidence ON suggestions(confidence);
  `,
};
