/**
 * Where a run's files live: `<projectDir>/runs/<runId>/` (checkpoint.bin, best.model, final.model, and init.model
 * for a run that continues from trained weights). Run ids come
 * from the database, so each path is validated (a UUID) and checked to stay inside the project folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../app/ipc/result';
import type { RunFiles } from '../../../native-workers/training/messages';

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function runFiles(projectDir: string, runId: string): RunFiles {
  if (!RUN_ID.test(runId))
    throw new AppFailure('storage', `Invalid run id ${JSON.stringify(runId)}.`, { code: 'bad-run-id' });
  const root = path.resolve(projectDir, 'runs');
  const dir = path.resolve(root, runId);
  if (path.dirname(dir) !== root)
    throw new AppFailure('storage', 'Run folder escapes the project folder.', { code: 'path-escape' });
  return {
    dir,
    checkpoint: path.join(dir, 'checkpoint.bin'),
    bestModel: path.join(dir, 'best.model'),
    finalModel: path.join(dir, 'final.model'),
    initModel: path.join(dir, 'init.model'),
  };
}

export function ensureRunDir(files: RunFiles): void {
  fs.mkdirSync(files.dir, { recursive: true });
}

export function removeRunFiles(files: RunFiles): void {
  fs.rmSync(files.dir, { recursive: true, force: true });
}
