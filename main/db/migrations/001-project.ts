import type { Migration } from './index';

/** The project's own settings, so a project folder describes itself without the catalog. */
export const migration001: Migration = {
  version: 1,
  description: 'project settings',
  sql: `
    CREATE TABLE project (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      input_size  INTEGER NOT NULL CHECK (input_size BETWEEN 8 AND 256),
      color       TEXT NOT NULL CHECK (color IN ('gray', 'rgb')),
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    );
  `,
};
