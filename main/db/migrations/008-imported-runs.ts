import type { Migration } from './index';

/**
 * Runs imported from a model file trained elsewhere (issue 15, `import-model`): where they came from, as the JSON
 * of an ImportedModelOrigin ({format, fileName, importedAt}); NULL for runs trained in the app.
 */
export const migration008: Migration = {
  version: 8,
  description: 'imported runs',
  sql: `
    ALTER TABLE runs ADD COLUMN imported_json TEXT;
  `,
};
