import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../app/ipc/result';
import { storageFailure } from '../../../main/storage/storage-failure';

const errno = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('storageFailure', () => {
  it('words a full disk, a read-only folder and a refused write, from Node and from SQLite', () => {
    const cases: [Error, string][] = [
      [errno('ENOSPC', 'ENOSPC: no space left on device, write'), 'disk-full'],
      [errno('SQLITE_FULL', 'database or disk is full'), 'disk-full'],
      [errno('EROFS', 'EROFS: read-only file system, open'), 'storage-read-only'],
      [errno('SQLITE_READONLY', 'attempt to write a readonly database'), 'storage-read-only'],
      [errno('EACCES', 'EACCES: permission denied, open'), 'storage-permission'],
      [new Error('ENOSPC: no space left on device, write'), 'disk-full'], // a message only (an import summary)
    ];
    for (const [error, code] of cases) {
      const failure = storageFailure(error);
      expect(failure, error.message).toBeInstanceOf(AppFailure);
      expect(failure!.code).toBe('storage');
      expect(failure!.details).toEqual({ code, detail: error.message });
    }
  });

  it('leaves other errors, and AppFailures, to the caller', () => {
    expect(storageFailure(new Error('x is not a function'))).toBeUndefined();
    expect(storageFailure(new AppFailure('not-found', 'gone', { code: 'project-missing' }))).toBeUndefined();
    expect(storageFailure('ENOSPC')).toBeUndefined();
  });
});
