/**
 * Crash-safe file replacement: write a temporary file next to the target, fsync it, rename it over the target and
 * fsync the folder. After a crash (or kill -9) at any point the target is either the old file or the new one,
 * never a partial write.
 */
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    try {
      let offset = 0;
      while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (error) {
    // a full disk fails the write: the partial temporary file must not keep the space it took
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  syncDir(path.dirname(file));
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // some platforms (Windows) cannot fsync a folder; the rename is still atomic
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
