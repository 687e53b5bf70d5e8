import { AppFailure } from '../../app/ipc/result';

/**
 * A raw file-system or SQLite error from writing the data folder, as the AppFailure a user can act on: the disk is
 * full, the folder is read-only, or writing is not permitted. Anything else: undefined (the caller keeps it).
 * Recognised by Node's error codes and SQLite's result codes (better-sqlite3 puts them on `code`) or their texts.
 */
export function storageFailure(error: unknown): AppFailure | undefined {
  if (error instanceof AppFailure || !(error instanceof Error)) return undefined;
  const code = String((error as { code?: unknown }).code ?? '');
  const text = `${code} ${error.message}`;
  const detail = error.message;
  if (/ENOSPC|EDQUOT|SQLITE_FULL|disk is full|no space left/i.test(text))
    return new AppFailure('storage', `The disk is full: free some space and try again (${detail}).`, {
      code: 'disk-full',
      detail,
    });
  if (/EROFS|SQLITE_READONLY|read-only file system|readonly database/i.test(text))
    return new AppFailure('storage', `The data folder is read-only: nothing can be saved (${detail}).`, {
      code: 'storage-read-only',
      detail,
    });
  if (/EACCES|EPERM|permission denied/i.test(text))
    return new AppFailure('storage', `No permission to write the data folder (${detail}).`, {
      code: 'storage-permission',
      detail,
    });
  return undefined;
}
