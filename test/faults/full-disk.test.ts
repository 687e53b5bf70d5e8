/**
 * A full disk (a 4 MB tmpfs as the data folder) during an import and during a training checkpoint, and a
 * read-only data folder (the tmpfs remounted read-only): a clear error (exit 1 and a message saying what is wrong,
 * 'storage' with a details code over IPC), nothing lost (the images committed before stay whole, the database is
 * sound, the last checkpoint stays usable), and the app keeps working once there is room again.
 * Mounting needs root: elsewhere these tests skip, saying why.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatchInvoke } from '../../main/ipc/dispatch';
import { createHandlerTable } from '../../main/ipc/handler-table';
import { createServices } from '../../main/services/services';
import { storageFailure } from '../../main/storage/storage-failure';
import { decodeRunCheckpoint } from '../../native-workers/training/run-checkpoint';
import { SMALL_SET } from '../integration/training/support';
import { assertCliBuilt, runCli, sleep, startCli } from '../support/cli-process';
import { makeTempDir } from '../support/temp-dir';
import { mountTmpfs, type Tmpfs } from '../support/tmpfs';
import { noisePng, write } from '../unit/dataset/fixtures';

const probe = mountTmpfs(1);
const skipReason = typeof probe === 'string' ? probe : null;
if (typeof probe !== 'string') probe.unmount();
if (skipReason) console.warn(`full-disk and read-only tests skipped: ${skipReason}`);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Fills the file system holding `dir` to the last byte; answers the filler file. */
function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  try {
    for (;;) fs.writeSync(fd, chunk, 0, 512); // the last partial chunk's worth
  } catch {
    // full
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

/** The project's rows, checked: a sound database, and every row's original on disk and hash-correct. */
function checkImages(dataDir: string, projectId: string): string[] {
  const projectDir = path.join(dataDir, 'projects', projectId);
  const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare('SELECT sha256, ext FROM images').all() as { sha256: string; ext: string }[];
    for (const r of rows) {
      const blob = path.join(projectDir, 'blobs', r.sha256.slice(0, 2), `${r.sha256}.${r.ext}`);
      expect(sha256(fs.readFileSync(blob))).toBe(r.sha256);
    }
    return rows.map((r) => r.sha256);
  } finally {
    db.close();
  }
}

describe.skipIf(skipReason !== null)('a full disk and a read-only data folder', () => {
  const temp = makeTempDir('cnn-fault-disk-');
  const mounts: Tmpfs[] = [];
  const mountFor = (mb: number) => {
    const m = mountTmpfs(mb) as Tmpfs;
    mounts.push(m);
    return m;
  };
  /** A few Fashion-MNIST images per class (28 px PNGs), outside the tmpfs. */
  const small = path.join(temp.dir, 'small');

  beforeAll(() => {
    assertCliBuilt();
    for (const label of fs.readdirSync(path.join(SMALL_SET, 'train')).slice(0, 4)) {
      fs.mkdirSync(path.join(small, label), { recursive: true });
      for (const name of fs
        .readdirSync(path.join(SMALL_SET, 'train', label))
        .sort()
        .slice(0, 20))
        fs.copyFileSync(path.join(SMALL_SET, 'train', label, name), path.join(small, label, name));
    }
  });
  afterAll(() => {
    for (const m of mounts) {
      try {
        m.unmount();
      } catch {
        // already gone
      }
    }
    temp.cleanup();
  });

  it('import onto a full disk: exit 1 saying the disk is full, committed images kept, resumes once there is room', async () => {
    const disk = mountFor(4);
    const dataDir = path.join(disk.dir, 'data');
    const src = path.join(temp.dir, 'big');
    const FILES = 160; // ~5.4 MB of noise PNGs (140 px, so each gets a thumbnail too): more than the disk holds
    const shas: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const bytes = await noisePng(140, 140, 5_000 + i);
      shas.push(sha256(bytes));
      write(path.join(src, `c${i % 2}`, `i${i}.png`), bytes);
    }
    const created = await runCli(dataDir, ['--json', 'project', 'create', 'full']);
    expect(created.code, created.stderr).toBe(0);
    const projectId = JSON.parse(created.stdout).id;

    const full = await runCli(dataDir, ['import', 'full', src, '--batch-size', '16', '--json']);
    console.log(`import on a full disk: exit ${full.code}; ${full.stderr.trim()}`);
    expect(full.code).toBe(1);
    // Said plainly (not SQLite's 'database or disk is full' as an 'internal' error), whichever write met the
    // full disk first: a blob (the import's summary, status failed) or the database (an error document).
    expect(full.stderr).toMatch(/The disk is full: free some space/);
    const answer = JSON.parse(full.stdout);
    if (answer.error) expect(answer.error.code).toBe('storage');
    else expect(answer.status).toBe('failed');
    expect(full.stderr).not.toMatch(/at .*index\.js|Node\.js v/); // a message, not a crash
    const kept = checkImages(dataDir, projectId);
    expect(kept.length).toBeGreaterThan(0); // batches committed before the disk filled up
    expect(kept.length).toBeLessThan(FILES);
    // The backup after the import could not be written either: it leaves no half copy (nor its -wal/-shm) behind.
    const backups = path.join(dataDir, 'projects', projectId, 'backups');
    if (fs.existsSync(backups))
      expect(fs.readdirSync(backups).filter((f) => f.includes('.partial'))).toEqual([]);

    disk.resize(64); // space freed
    const again = await runCli(dataDir, ['import', 'full', src, '--batch-size', '16', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary).toMatchObject({ status: 'completed', duplicates: 0, alreadyImported: kept.length });
    expect(summary.imported).toBe(FILES - kept.length);
    expect(checkImages(dataDir, projectId).sort()).toEqual([...shas].sort());
    console.log(
      `import on a full disk: ${kept.length} of ${FILES} kept; the re-run imported the other ${summary.imported}`,
    );
  }, 120_000);

  it('a checkpoint onto a full disk: exit 1 saying so, the last checkpoint usable, resumes once there is room', async () => {
    const disk = mountFor(24);
    const dataDir = path.join(disk.dir, 'data');
    const created = await runCli(dataDir, ['--json', 'project', 'create', 'train']);
    const projectId = JSON.parse(created.stdout).id;
    expect((await runCli(dataDir, ['import', 'train', small])).code).toBe(0);

    const training = startCli(dataDir, [
      'train',
      'train',
      '--preset',
      'small',
      '--epochs',
      '12',
      '--workers',
      '1',
      '--json',
    ]);
    const db = new Database(path.join(dataDir, 'projects', projectId, 'project.sqlite'), { readonly: true });
    const epochs = db.prepare('SELECT COUNT(*) FROM run_epochs').pluck();
    let exited = false;
    void training.done.then(() => (exited = true));
    while (!exited && (epochs.get() as number) < 1) await sleep(3);
    db.close();
    const filler = fillDisk(disk.dir); // the next epoch's checkpoint meets a full disk
    const end = await training.done;
    console.log(`training on a full disk: exit ${end.code}; ${end.stderr.trim()}`);
    expect(end.code).toBe(1);
    expect(end.stderr).toMatch(/interrupted: the disk is full: free some space, then resume the run/);
    expect(end.stderr).not.toMatch(/Node\.js v|SqliteError/); // a message, not a crash
    // the run's answer carries the code the app words ("The disk is full. Free some space, then resume…")
    expect(JSON.parse(end.stdout)).toMatchObject({ status: 'interrupted', failure: { code: 'disk-full' } });

    const check = new Database(path.join(dataDir, 'projects', projectId, 'project.sqlite'), {
      readonly: true,
    });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    const runId = check.prepare('SELECT id FROM runs').pluck().get() as string;
    check.close();
    const runDir = path.join(dataDir, 'projects', projectId, 'runs', runId);
    const checkpoint = decodeRunCheckpoint(
      new Uint8Array(fs.readFileSync(path.join(runDir, 'checkpoint.bin'))),
    );
    const checkpointEpoch = checkpoint.loop.epochs.length;
    expect(checkpointEpoch).toBeGreaterThanOrEqual(1);
    expect(fs.readdirSync(runDir).filter((f) => f.endsWith('.tmp'))).toEqual([]); // no partial file left

    fs.rmSync(filler); // space freed
    const resumed = await runCli(dataDir, ['train', 'train', '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const result = JSON.parse(resumed.stdout);
    expect(result).toMatchObject({ runId, status: 'completed', resumedFrom: { epoch: checkpointEpoch } });
    expect(result.epochs).toHaveLength(12);
    console.log(
      `training on a full disk: checkpoint of epoch ${checkpointEpoch} kept, resumed there and completed`,
    );
  }, 120_000);

  it('a read-only data folder: lists and grid pages work, writes fail saying the folder is read-only', async () => {
    const disk = mountFor(16);
    const dataDir = path.join(disk.dir, 'data');
    const created = await runCli(dataDir, ['--json', 'project', 'create', 'ro']);
    const projectId = JSON.parse(created.stdout).id;
    expect((await runCli(dataDir, ['import', 'ro', small])).code).toBe(0);
    disk.readOnly();
    try {
      const list = await runCli(dataDir, ['--json', 'project', 'list']);
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout).map((p: { name: string }) => p.name)).toEqual(['ro']);
      const stats = await runCli(dataDir, ['--json', 'dataset', 'stats', 'ro']);
      expect(stats.code, stats.stderr).toBe(0);
      expect(JSON.parse(stats.stdout).total).toBe(80);

      for (const args of [
        ['project', 'create', 'another'],
        ['import', 'ro', small],
        ['dataset', 'split', 'ro', '--ratios', '0.5,0.5,0'],
      ]) {
        const refused = await runCli(dataDir, ['--json', ...args]);
        console.log(
          `read-only data folder, ${args[0]} ${args[1]}: exit ${refused.code}; ${refused.stderr.trim()}`,
        );
        expect(refused.code, args.join(' ')).toBe(1);
        expect(refused.stderr, args.join(' ')).toMatch(/read-only|cannot be written/i);
        expect(refused.stderr).not.toMatch(/Node\.js v|SqliteError/);
      }

      // The app's view: the same through IPC.
      const services = createServices({ dataDir, workersDir: '', mediaBaseUrl: '', version: 'test' });
      const table = createHandlerTable();
      try {
        const projects = await dispatchInvoke(table, services, 'projects:list', {});
        expect(projects).toMatchObject({ ok: true });
        const page = await dispatchInvoke(table, services, 'dataset:listImages', { projectId, limit: 50 });
        expect(page.ok && (page.value as { items: unknown[] }).items).toHaveLength(50);
        const label = await dispatchInvoke(table, services, 'labels:create', { projectId, name: 'new' });
        expect(label).toMatchObject({ ok: false, error: { code: 'storage' } });
        console.log(`read-only data folder, labels:create: ${JSON.stringify(label)}`);
      } finally {
        await services.dispose();
      }
    } finally {
      disk.writable();
    }
  }, 120_000);
});

// The same promise without a mount (runs everywhere, so also where the tmpfs tests skip): the blob store's writes
// fail with ENOSPC after a number of files, as they would on a full disk.
describe('an injected ENOSPC during an import', () => {
  it('fails the import saying the disk is full, keeps what was committed, and the next import completes', async () => {
    const temp = makeTempDir('cnn-fault-enospc-');
    const src = path.join(temp.dir, 'src');
    const FILES = 60;
    for (let i = 0; i < FILES; i++)
      write(path.join(src, `c${i % 3}`, `i${i}.png`), await noisePng(40, 40, 8_000 + i));
    const services = createServices({
      dataDir: path.join(temp.dir, 'data'),
      workersDir: '',
      mediaBaseUrl: '',
      version: 'test',
    });
    try {
      const project = services.projects.create({ name: 'enospc', inputSize: 28, color: 'gray' });
      const realWrite = fs.writeFileSync;
      let writes = 0;
      const spy = vi
        .spyOn(fs, 'writeFileSync')
        .mockImplementation((...args: Parameters<typeof fs.writeFileSync>) => {
          if (String(args[0]).includes(`${path.sep}blobs${path.sep}`) && ++writes > 25)
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          return realWrite(...args);
        });
      let summary;
      try {
        summary = await services.dataset.importAndWait(project.id, { paths: [src] }, { batchSize: 10 });
      } finally {
        spy.mockRestore();
      }
      expect(summary.status).toBe('failed');
      expect(storageFailure(new Error(summary.error))?.details).toMatchObject({ code: 'disk-full' });
      const kept = checkImages(path.join(temp.dir, 'data'), project.id);
      expect(kept.length).toBeGreaterThanOrEqual(20); // the batches committed before the disk "filled up"
      expect(kept.length).toBeLessThan(FILES);

      const again = await services.dataset.importAndWait(project.id, { paths: [src] });
      expect(again).toMatchObject({ status: 'completed', alreadyImported: kept.length, duplicates: 0 });
      expect(checkImages(path.join(temp.dir, 'data'), project.id)).toHaveLength(FILES);
      console.log(
        `injected ENOSPC: ${kept.length} of ${FILES} kept; the next import added ${again.imported}`,
      );
    } finally {
      await services.dispose();
      temp.cleanup();
    }
  }, 60_000);
});
