import type { Migration } from './index';

/**
 * Main sends data, not English (issue 12): an import issue gets its code (ImportIssueCode) and the code's params
 * (JSON), and label-history causes become LabelChangeCause codes. Rows written before get codes derived from
 * their English text ('unknown' / 'other' when it says nothing recognisable); the English `reason` stays as the
 * technical detail. Undo descriptions need no migration: old English ones are read as `{kind: 'other', text}`.
 */
export const migration006: Migration = {
  version: 6,
  description: 'import issue codes and label-history cause codes',
  sql: `
    ALTER TABLE import_issues ADD COLUMN code TEXT NOT NULL DEFAULT 'unknown';
    ALTER TABLE import_issues ADD COLUMN params TEXT;
    UPDATE import_issues SET code = CASE
      WHEN reason LIKE 'not an image file%' THEN 'not-an-image-file'
      WHEN reason LIKE 'not a regular file%' THEN 'not-a-file'
      WHEN reason LIKE 'is a folder%' THEN 'not-a-file'
      WHEN reason LIKE 'cannot list folder%' OR reason LIKE 'cannot open folder%' THEN 'folder-unreadable'
      WHEN reason LIKE 'broken symlink%' THEN 'broken-symlink'
      WHEN reason LIKE 'symlink points outside%' THEN 'symlink-outside'
      WHEN reason LIKE '%no such file or folder%' THEN 'not-found'
      WHEN reason LIKE '%permission denied%' THEN 'permission-denied'
      WHEN reason LIKE '%too many levels of symbolic links%' THEN 'symlink-loop'
      WHEN reason LIKE '%input/output error%' THEN 'io-error'
      WHEN reason LIKE 'cannot read:%' THEN 'read-failed'
      WHEN reason LIKE 'empty file%' THEN 'empty-file'
      WHEN reason LIKE 'file too large%' THEN 'file-too-large'
      WHEN reason LIKE 'image too large%' THEN 'too-large'
      WHEN reason LIKE 'unsupported image format%' THEN 'unsupported-format'
      WHEN reason LIKE 'HEIC%' THEN 'heic-unsupported'
      WHEN reason LIKE 'invalid image header%' THEN 'invalid-header'
      WHEN reason LIKE 'not an image sharp can read%' THEN 'not-an-image'
      WHEN reason LIKE 'truncated or corrupt image%' THEN 'truncated'
      WHEN reason LIKE 'cannot decode image%' THEN 'corrupt'
      WHEN reason LIKE 'same bytes as a file that failed%' THEN 'same-as-failed'
      ELSE 'unknown' END;
    -- The reason no longer names the image library.
    UPDATE import_issues SET reason = 'not an image this app can read (unknown or corrupt format)'
      WHERE reason = 'not an image sharp can read (unknown or corrupt format)';
    UPDATE label_history SET cause = CASE
      WHEN cause LIKE 'import%' THEN 'import'
      WHEN cause LIKE 'undo:%' THEN 'undo'
      WHEN cause LIKE 'redo:%' THEN 'redo'
      WHEN cause = 'suggestion' THEN 'suggestion'
      WHEN cause LIKE 'Merge %' THEN 'merge-labels'
      WHEN cause LIKE 'Delete label %' THEN 'delete-label'
      WHEN cause LIKE 'Label %' OR cause LIKE 'Unlabel %' THEN 'label'
      ELSE 'other' END;
  `,
};
