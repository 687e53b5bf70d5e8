import { AppFailure } from '../../app/ipc/result';

/** What a failed write of the data folder met (an AppFailure's details code). */
export type StorageFailureCode = 'disk-full' | 'storage-read-only' | 'storage-permission';

/**
 * Which storage failure an error's text (Node's error code or SQLite's result code, and the message) tells, or
 * undefined. For failures that arrive as text only (a worker's message, a stored summary's error).
 */
export function storageFailureCode(text: string): StorageFailureCode | undefined {
  if (/ENOSPC|EDQUOT|SQLITE_FULL|disk is full|no space left/i.test(text)) return 'disk-full';
  if (/EROFS|SQLITE_READONLY|read-only file system|readonly database/i.test(text)) return 'storage-read-only';
  if (/EACCES|EPERM|permission denied/i.test(text)) return 'storage-permission';
  return undefined;
}

/**
 * A raw file-system or SQLite error from writing the data folder, as the AppFailure a user can act on: the disk is
 * full, the folder is read-only, or writing is not permitted. Anything else: undefined (the caller keeps it).
 * Recognised by Node's error codes and SQLite's result codes (better-sqlite3 puts them on `code`) or their texts.
 */
export function storageFailure(error: unknown): AppFailure | undefined {
  if (error instanceof AppFailure || !(error instanceof Error)) return undefined;
  const detail = error.message;
  // one literal details code per failure: the dictionaries' check reads them from the source
  switch (storageFailureCode(`${String((error as { code?: unknown }).code ?? '')} ${detail}`)) {
    case 'disk-full':
      return new AppFailure('storage', `The disk is full: free some space and try again (${detail}).`, {
        code: 'disk-full',
        detail,
      });
    case 'storage-read-only':
      return new AppFailure('storage', `The data folder is read-only: nothing can be saved (${detail}).`, {
        code: 'storage-read-only',
        detail,
      });
    case 'storage-permission':
      return new AppFailure('storage', `No permission to write the data folder (${detail}).`, {
        code: 'storage-permission',
        detail,
      });
    case undefined:
      return undefined;
  }
}
