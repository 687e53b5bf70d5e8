/**
 * Writes a folder all at once: everything goes into `<dir>/.partial-<id>/` first and is renamed into `dir` at the
 * end, so a failure (a crafted row, a full disk) leaves `dir` as it was, never a half package.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../app/ipc/result';

/** Fails with `conflict` ('not-a-folder', 'dir-not-empty') unless `dir` is missing or an empty folder. */
export function checkTargetFolder(dir: string): string {
  const target = path.resolve(dir);
  if (!fs.existsSync(target)) return target;
  if (!fs.statSync(target).isDirectory())
    throw new AppFailure('conflict', `${target} is not a folder.`, { code: 'not-a-folder', dir: target });
  if (fs.readdirSync(target).length > 0)
    throw new AppFailure('conflict', `Export folder ${target} is not empty.`, {
      code: 'dir-not-empty',
      dir: target,
    });
  return target;
}

/** Runs `write(staging)` and moves what it wrote into `dir`; on failure removes all of it (and `dir` if made here). */
export async function writeFolderAtomically<T>(
  dir: string,
  write: (staging: string) => Promise<T>,
): Promise<{ target: string; value: T }> {
  const target = checkTargetFolder(dir);
  const firstMade = fs.mkdirSync(target, { recursive: true });
  const staging = path.join(target, `.partial-${randomUUID()}`);
  const moved: string[] = [];
  try {
    fs.mkdirSync(staging);
    const value = await write(staging);
    for (const entry of fs.readdirSync(staging)) {
      fs.renameSync(path.join(staging, entry), path.join(target, entry));
      moved.push(entry);
    }
    fs.rmdirSync(staging);
    return { target, value };
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    for (const entry of moved) fs.rmSync(path.join(target, entry), { recursive: true, force: true });
    if (firstMade) removeEmptyUpTo(target, firstMade);
    throw error;
  }
}

/** Removes `dir` and its parents up to `top` (inclusive) while they are empty: the folders this export made. */
function removeEmptyUpTo(dir: string, top: string): void {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      fs.rmdirSync(d);
    } catch {
      return; // not empty (someone else's files) or gone: leave it
    }
    if (d === top || path.dirname(d) === d) return;
  }
}
