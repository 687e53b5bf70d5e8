import type { Migration } from './index';

/** The grid's default sort is by date added; without an index each page of 60,000 images costs a full sort. */
export const migration003: Migration = {
  version: 3,
  description: 'index images by date added',
  sql: `CREATE INDEX IF NOT EXISTS images_added ON images(added_at, id);`,
};
