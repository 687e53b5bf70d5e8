import type { Migration } from './index';

/**
 * Import failures can be dismissed (issue 12): a dismissed failure leaves Health's unreadable files but stays in
 * the import log. A later failure of the same path is a new row, not dismissed, so it shows again.
 */
export const migration007: Migration = {
  version: 7,
  description: 'dismissed import failures',
  sql: `
    ALTER TABLE import_issues ADD COLUMN dismissed_at TEXT;
  `,
};
