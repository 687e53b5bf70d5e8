/**
 * A size-limited tmpfs for the full-disk and read-only fault tests. Mounting needs root (and a kernel that lets
 * this container mount); `mountTmpfs` answers why not instead, so a test can skip with that message.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Tmpfs {
  dir: string;
  /** Changes the size limit (more room: "space was freed"). */
  resize(megabytes: number): void;
  readOnly(): void;
  writable(): void;
  unmount(): void;
}

const mount = (...args: string[]) => execFileSync('mount', args, { stdio: 'pipe' });

export function mountTmpfs(megabytes: number): Tmpfs | string {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-tmpfs-'));
  try {
    mount('-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs here: ${(error as Error).message.split('\n')[0]}`;
  }
  return {
    dir,
    resize: (mb) => void mount('-o', `remount,size=${mb}m`, dir),
    readOnly: () => void mount('-o', 'remount,ro', dir),
    writable: () => void mount('-o', 'remount,rw', dir),
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
