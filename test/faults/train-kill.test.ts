/**
 * kill -9 of `cnn-studio train` at seeded moments after its first checkpoint, many times (one imported project,
 * copied per run). After every kill: the database is sound, the run shows as interrupted and resumable at the
 * checkpoint's epoch, and `train --resume` continues from exactly that epoch, keeps the epochs before it and
 * finishes with the figures of an uninterrupted run (resuming is bit-exact).
 * test/integration/training/kill-resume.test.ts kills once, right after the first epoch, and compares weights.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../main/services/services';
import { decodeRunCheckpoint } from '../../native-workers/training/run-checkpoint';
import { SMALL_SET } from '../integration/training/support';
import { assertCliBuilt, runCli, seededRandom, sleep, startCli } from '../support/cli-process';
import { makeTempDir } from '../support/temp-dir';

const KILLS = 20;
/** Attempts allowed: on a loaded machine a late kill moment may come after the run already finished. */
const MAX_ATTEMPTS = 30;
const EPOCHS = 6;
/** Images per class copied from the small Fashion-MNIST set: a few seconds per run even on a busy machine. */
const PER_CLASS = 24;
const TRAIN_ARGS = [
  'train',
  'kill',
  '--preset',
  'small',
  '--epochs',
  String(EPOCHS),
  '--workers',
  '1',
  '--seed',
  '5',
  '--json',
];

interface Epoch {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
}

describe('kill -9 during training, at seeded moments after the first checkpoint', () => {
  const temp = makeTempDir('cnn-fault-train-');
  const template = path.join(temp.dir, 'template');
  let projectId = '';
  let straight: { epochs: Epoch[] };
  /** An uninterrupted run's time per epoch: from the first epoch's record to the last's, divided. */
  let epochMs = 0;
  /** An uninterrupted run's time from its last epoch's record to the process's exit (final model, predictions). */
  let tailMs = 0;

  beforeAll(async () => {
    assertCliBuilt();
    const created = await runCli(template, ['--json', 'project', 'create', 'kill']);
    expect(created.code, created.stderr).toBe(0);
    projectId = JSON.parse(created.stdout).id;
    const src = path.join(temp.dir, 'src');
    for (const label of fs.readdirSync(path.join(SMALL_SET, 'train')).slice(0, 5)) {
      fs.mkdirSync(path.join(src, label), { recursive: true });
      for (const name of fs
        .readdirSync(path.join(SMALL_SET, 'train', label))
        .sort()
        .slice(0, PER_CLASS))
        fs.copyFileSync(path.join(SMALL_SET, 'train', label, name), path.join(src, label, name));
    }
    const imported = await runCli(template, ['import', 'kill', src]);
    expect(imported.code, imported.stderr).toBe(0);

    const baseline = path.join(temp.dir, 'baseline');
    fs.cpSync(template, baseline, { recursive: true });
    const training = startCli(baseline, TRAIN_ARGS);
    const firstEpochAt = await epochsRecorded(baseline, training.done, 1);
    const lastEpochAt = await epochsRecorded(baseline, training.done, EPOCHS);
    const end = await training.done;
    tailMs = Date.now() - lastEpochAt;
    epochMs = (lastEpochAt - firstEpochAt) / (EPOCHS - 1);
    expect(end.code, end.stderr).toBe(0);
    straight = JSON.parse(end.stdout);
    expect(straight.epochs).toHaveLength(EPOCHS);
    fs.rmSync(baseline, { recursive: true, force: true });
  }, 120_000);
  afterAll(() => temp.cleanup());

  /** Resolves (with the time) once `epochs` epochs of the run, and so their checkpoints, are on record. */
  async function epochsRecorded(dataDir: string, exited: Promise<unknown>, epochs = 1): Promise<number> {
    let gone = false;
    void exited.then(() => (gone = true));
    const db = new Database(path.join(dataDir, 'projects', projectId, 'project.sqlite'), { readonly: true });
    try {
      const count = db.prepare('SELECT COUNT(*) FROM run_epochs').pluck();
      while (!gone) {
        if ((count.get() as number) >= epochs) return Date.now();
        await sleep(3);
      }
      return Date.now(); // it ended (or was killed) first
    } finally {
      db.close();
    }
  }

  it(`${KILLS} kills: integrity ok, shown interrupted, resumes at its last checkpoint, completes`, async () => {
    const random = seededRandom(1128);
    const figures: { afterEpoch: number; delayMs: number; checkpointEpoch: number; recorded: number }[] = [];
    let finishedFirst = 0;
    /** Halved after each attempt that finished before its kill: the same slot is retried sooner. */
    let retryScale = 1;
    for (let attempt = 0; figures.length < KILLS && attempt < MAX_ATTEMPTS; attempt++) {
      const dataDir = path.join(temp.dir, `run-${attempt}`);
      fs.cpSync(template, dataDir, { recursive: true });
      const dbFile = path.join(dataDir, 'projects', projectId, 'project.sqlite');
      // Spread by progress, not by clock (the machine's load varies): after epoch `afterEpoch` is on record, a
      // seeded moment within the next epoch's time; after the last epoch, within the baseline's tail (the final
      // model and predictions), which on a fast machine is much shorter than an epoch.
      const afterEpoch = 1 + (figures.length % EPOCHS);
      const windowMs = afterEpoch === EPOCHS ? tailMs * 0.8 : epochMs;
      const delayMs = Math.round(windowMs * random() * retryScale);

      const training = startCli(dataDir, TRAIN_ARGS);
      await epochsRecorded(dataDir, training.done, afterEpoch);
      await sleep(delayMs);
      training.child.kill('SIGKILL');
      const killed = await training.done;
      if (killed.signal !== 'SIGKILL') {
        // It finished before the kill moment (the machine ran faster than the baseline): not a kill, try again.
        expect(killed.code, killed.stderr).toBe(0);
        finishedFirst++;
        retryScale /= 2;
        console.log(`train kill attempt ${attempt + 1}: finished before the kill at ${delayMs} ms`);
        fs.rmSync(dataDir, { recursive: true, force: true });
        continue;
      }

      const db = new Database(dbFile, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const { id: runId, status } = db.prepare('SELECT id, status FROM runs').get() as {
        id: string;
        status: string;
      };
      if (status === 'completed') {
        // Killed while exiting, after the run was recorded as complete: nothing left to resume; try again.
        db.close();
        finishedFirst++;
        retryScale /= 2;
        console.log(
          `train kill attempt ${attempt + 1}: the run had completed before the kill at ${delayMs} ms`,
        );
        fs.rmSync(dataDir, { recursive: true, force: true });
        continue;
      }
      expect(status).toBe('running'); // as the dead process left it
      const recorded = db
        .prepare(
          `SELECT epoch, train_loss AS trainLoss, train_accuracy AS trainAccuracy, val_loss AS valLoss,
                  val_accuracy AS valAccuracy FROM run_epochs WHERE run_id = ? ORDER BY epoch`,
        )
        .all(runId) as Epoch[];
      db.close();
      const checkpointFile = path.join(dataDir, 'projects', projectId, 'runs', runId, 'checkpoint.bin');
      const checkpoint = decodeRunCheckpoint(new Uint8Array(fs.readFileSync(checkpointFile)));
      const checkpointEpoch = checkpoint.loop.epochs.length;
      // The row of an epoch is written after its checkpoint: at most one epoch may be on disk but not on record.
      expect(checkpointEpoch - recorded.length).toBeGreaterThanOrEqual(0);
      expect(checkpointEpoch - recorded.length).toBeLessThanOrEqual(1);

      // What the app and `runs list` show (the services in this process, over the same folder).
      const services = createServices({ dataDir, workersDir: '', mediaBaseUrl: '', version: 'test' });
      try {
        const shown = services.runs.list(projectId).find((r) => r.id === runId);
        expect(shown).toMatchObject({ status: 'interrupted', resumable: true });
        expect(shown!.checkpointEpoch).toBe(recorded.length); // a checkpoint ahead of the record is a bonus
      } finally {
        await services.dispose();
      }

      const resumed = await runCli(dataDir, ['train', 'kill', '--resume', '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      const result = JSON.parse(resumed.stdout);
      expect(result).toMatchObject({ runId, status: 'completed', resumedFrom: { epoch: checkpointEpoch } });
      expect(result.epochs.map((e: Epoch) => e.epoch)).toEqual(
        Array.from({ length: EPOCHS }, (_, i) => i + 1),
      );
      // The epochs before the kill are kept as they were, and the resumed ones match an uninterrupted run's.
      for (const before of recorded) expect(result.epochs[before.epoch - 1]).toMatchObject(before);
      expect(result.epochs.map((e: Epoch) => e.valLoss)).toEqual(straight.epochs.map((e) => e.valLoss));

      retryScale = 1;
      figures.push({ afterEpoch, delayMs, checkpointEpoch, recorded: recorded.length });
      console.log(
        `train kill ${figures.length}/${KILLS}: killed ${delayMs} ms after epoch ${afterEpoch} was recorded ` +
          `(~${Math.round(epochMs)} ms per epoch, ~${Math.round(tailMs)} ms after the last); checkpoint at epoch ${checkpointEpoch}, ${recorded.length} epochs on ` +
          `record; resumed at epoch ${result.resumedFrom.epoch} and completed ${EPOCHS}`,
      );
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    console.log(
      `train kills: ${figures.length} kills (${finishedFirst} attempts finished first), kill delays ` +
        `${Math.min(...figures.map((f) => f.delayMs))}–${Math.max(...figures.map((f) => f.delayMs))} ms after ` +
        `an epoch's record, checkpoint epochs at the kill: ${figures.map((f) => f.checkpointEpoch).join(', ')}`,
    );
    expect(figures.length).toBe(KILLS);
    // The kills landed at several epochs, not all at one spot.
    expect(new Set(figures.map((f) => f.checkpointEpoch)).size).toBeGreaterThanOrEqual(3);
  }, 300_000);
});
