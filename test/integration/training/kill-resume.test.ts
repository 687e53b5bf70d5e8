/**
 * kill -9 of the whole CLI process during training: the run shows as interrupted (never running forever), and
 * `train --resume` continues it from its last checkpoint to exactly the weights of an uninterrupted run.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';
import { finalWeights, SMALL_SET } from './support';

const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'bin', 'cnn-studio.js');

function cli(dataDir: string, args: string[]) {
  const child = spawn(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

describe('training killed with SIGKILL resumes from its checkpoint', () => {
  const temp = makeTempDir('cnn-train-kill-');
  let projectId = '';
  const train = [
    'train',
    'kill',
    '--preset',
    'small',
    '--epochs',
    '6',
    '--workers',
    '2',
    '--seed',
    '11',
    '--json',
  ];

  beforeAll(async () => {
    const created = await runCliCaptured(temp.dir, '--json', 'project', 'create', 'kill');
    projectId = created.json().id;
    expect((await runCliCaptured(temp.dir, 'import', 'kill', path.join(SMALL_SET, 'train'))).code).toBe(0);
  });
  afterAll(() => temp.cleanup());

  it('kill, see it interrupted, resume, same weights as an uninterrupted run', async () => {
    const straight = await cli(temp.dir, [...train, '--name', 'straight']).done;
    expect(straight.code, straight.stderr).toBe(0);
    const straightRun = JSON.parse(straight.stdout);
    expect(straightRun.status).toBe('completed');

    const killed = cli(temp.dir, [...train, '--name', 'killed']);
    const dbFile = path.join(temp.dir, 'projects', projectId, 'project.sqlite');
    const db = new Database(dbFile, { readonly: true });
    let runId: string | undefined;
    const deadline = Date.now() + 60_000;
    // kill as soon as the first epoch (and so its checkpoint) is recorded
    while (Date.now() < deadline) {
      const row = db
        .prepare(
          `SELECT r.id, (SELECT COUNT(*) FROM run_epochs e WHERE e.run_id = r.id) AS n FROM runs r WHERE r.name = 'killed'`,
        )
        .get() as { id: string; n: number } | undefined;
      if (row && row.n >= 1) {
        runId = row.id;
        killed.child.kill('SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const end = await killed.done;
    expect(end.signal).toBe('SIGKILL');
    expect(runId).toBeDefined();
    const status = db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId);
    db.close();
    expect(status).toBe('running'); // as the dead process left it
    expect(fs.existsSync(path.join(temp.dir, 'projects', projectId, 'runs', runId!, 'checkpoint.bin'))).toBe(
      true,
    );

    const listed = await runCliCaptured(temp.dir, '--json', 'runs', 'list', 'kill');
    const shown = listed.json().find((r: { id: string }) => r.id === runId);
    expect(shown.status).toBe('interrupted');
    expect(shown.resumable).toBe(true);

    const resumed = await cli(temp.dir, ['train', 'kill', '--resume', '--json']).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const result = JSON.parse(resumed.stdout);
    expect(result.runId).toBe(runId);
    expect(result.status).toBe('completed');
    expect(result.resumedFrom.epoch).toBeGreaterThanOrEqual(1);
    expect(result.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);

    const a = finalWeights(temp.dir, projectId, straightRun.runId);
    const b = finalWeights(temp.dir, projectId, runId!);
    expect(Buffer.from(b.params.buffer).equals(Buffer.from(a.params.buffer))).toBe(true);
    expect(Buffer.from(b.state.buffer).equals(Buffer.from(a.state.buffer))).toBe(true);
    // the per-epoch figures the checkpoint carried match too (the validation of the same weights)
    expect(result.epochs.map((e: { valLoss: number }) => e.valLoss)).toEqual(
      straightRun.epochs.map((e: { valLoss: number }) => e.valLoss),
    );

    const nothing = await cli(temp.dir, ['train', 'kill', '--resume', '--json']).done;
    expect(nothing.code).toBe(1);
  });
});
