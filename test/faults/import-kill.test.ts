/**
 * kill -9 of `cnn-studio import` at seeded moments spread over the whole import (startup, scan, every batch),
 * many times. test/integration/dataset/import-kill.test.ts kills once at a fixed point and checks the import log;
 * this one checks, after every kill, what a user relies on: the database is sound, no write the process had
 * committed (seen by a second connection right before the kill) is lost, every row has its original (hash-correct)
 * and thumbnail, and re-running the same command completes the set exactly once.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, runCli, seededRandom, sleep, startCli } from '../support/cli-process';
import { makeTempDir } from '../support/temp-dir';
import { noisePng, write } from '../unit/dataset/fixtures';

const RUNS = 22;
const FILES = 400;
/** Every 4th image is larger than the thumbnail size, so it gets a thumbnail file too. */
const withThumb = (i: number) => i % 4 === 0;
const IMPORT_ARGS = ['import', 'kill', '--batch-size', '16', '--concurrency', '2', '--json'];

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface RunFigures {
  run: number;
  killAtMs: number;
  acknowledged: number;
  afterKill: number;
  reimported: number;
}

describe('kill -9 during import, at seeded moments over the whole import', () => {
  const temp = makeTempDir('cnn-fault-import-');
  const src = path.join(temp.dir, 'src');
  const template = path.join(temp.dir, 'template');
  /** sha256 of every source file → whether the import makes a thumbnail for it. */
  const expected = new Map<string, boolean>();
  let projectDirName = '';
  let fullImportMs = 0;
  let firstCommitMs = 0;
  const figures: RunFigures[] = [];

  beforeAll(async () => {
    assertCliBuilt();
    const images = await Promise.all(
      Array.from({ length: FILES }, (_, i) =>
        withThumb(i) ? noisePng(140, 140, 91_000 + i) : noisePng(40, 40, 91_000 + i),
      ),
    );
    images.forEach((bytes, i) => {
      write(path.join(src, `class-${i % 3}`, `img-${i}.png`), bytes);
      expected.set(sha256(bytes), withThumb(i));
    });
    const created = await runCli(template, ['--json', 'project', 'create', 'kill']);
    expect(created.code, created.stderr).toBe(0);
    projectDirName = JSON.parse(created.stdout).id;

    // One uninterrupted import: how long the process takes to its first commit (startup and scan), and in all.
    const baseline = path.join(temp.dir, 'baseline');
    fs.cpSync(template, baseline, { recursive: true });
    const t0 = Date.now();
    const timed = startCli(baseline, [...IMPORT_ARGS, src]);
    const reader = new Database(path.join(baseline, 'projects', projectDirName, 'project.sqlite'), {
      readonly: true,
    });
    const count = reader.prepare('SELECT COUNT(*) FROM images').pluck();
    let exited = false;
    void timed.done.then(() => (exited = true));
    while (!exited && (count.get() as number) === 0) await sleep(2);
    firstCommitMs = Date.now() - t0;
    reader.close();
    const full = await timed.done;
    fullImportMs = Date.now() - t0;
    expect(full.code, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout).imported).toBe(FILES);
    fs.rmSync(baseline, { recursive: true, force: true });
  });
  afterAll(() => temp.cleanup());

  /** Fails unless the project folder holds exactly a sound database whose rows all have their files. */
  async function checkProject(dataDir: string): Promise<Set<string>> {
    const projectDir = path.join(dataDir, 'projects', projectDirName);
    const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const rows = db.prepare('SELECT id, sha256, ext FROM images').all() as {
        id: number;
        sha256: string;
        ext: string;
      }[];
      for (const r of rows) {
        expect(expected.has(r.sha256), `row ${r.id} is an image of the source set`).toBe(true);
        const blob = path.join(projectDir, 'blobs', r.sha256.slice(0, 2), `${r.sha256}.${r.ext}`);
        expect(fs.existsSync(blob), `blob of image ${r.id}`).toBe(true);
        expect(sha256(fs.readFileSync(blob)), `blob of image ${r.id} is whole`).toBe(r.sha256);
        if (expected.get(r.sha256)) {
          const thumb = path.join(projectDir, 'thumbs', r.sha256.slice(0, 2), `${r.sha256}.webp`);
          expect(fs.existsSync(thumb), `thumbnail of image ${r.id}`).toBe(true);
          const meta = await sharp(thumb).metadata(); // throws on a truncated file
          expect(meta.format).toBe('webp');
        }
      }
      const withoutTensor = db
        .prepare(
          'SELECT COUNT(*) FROM images i LEFT JOIN image_tensors t ON t.image_id = i.id WHERE t.image_id IS NULL',
        )
        .pluck()
        .get();
      expect(withoutTensor).toBe(0);
      return new Set(rows.map((r) => r.sha256));
    } finally {
      db.close();
    }
  }

  it(`${RUNS} kills: integrity ok, nothing committed lost, every row whole, a re-run completes the set once`, async () => {
    const random = seededRandom(20261128);
    let killedMidImport = 0;
    for (let run = 0; run < RUNS; run++) {
      const dataDir = path.join(temp.dir, `run-${run}`);
      fs.cpSync(template, dataDir, { recursive: true });
      const dbFile = path.join(dataDir, 'projects', projectDirName, 'project.sqlite');
      // Stratified over the uninterrupted import: run k aims at a seeded point of the k-th slice. Before the first
      // commit (startup, scan) that point is a time; after it, a number of committed images (the machine's load
      // changes the speed, not the order), plus a seeded pause of up to one batch so the kill lands mid-batch.
      const point = ((run + random()) / RUNS) * fullImportMs;
      const share = (point - firstCommitMs) / (fullImportMs - firstCommitMs);
      const targetCount = share <= 0 ? 0 : Math.min(FILES - 64, Math.ceil(share * FILES));
      const pauseMs = Math.round(random() * 60);

      const reader = new Database(dbFile, { readonly: true });
      const count = reader.prepare('SELECT COUNT(*) FROM images').pluck();
      const started = Date.now();
      const importing = startCli(dataDir, [...IMPORT_ARGS, src]);
      let exited = false;
      void importing.done.then(() => (exited = true));
      if (targetCount === 0) await sleep(point);
      else {
        while (!exited && (count.get() as number) < targetCount) await sleep(2);
        await sleep(pauseMs);
      }
      const killAtMs = Date.now() - started;
      // What a second connection sees as committed right before the kill: this must survive it.
      const acknowledged = reader.prepare('SELECT sha256 FROM images').pluck().all() as string[];
      importing.child.kill('SIGKILL');
      const killed = await importing.done;
      reader.close();
      if (killed.signal === 'SIGKILL') killedMidImport++;

      const present = await checkProject(dataDir);
      for (const sha of acknowledged) expect(present.has(sha), `committed image ${sha} survives`).toBe(true);

      const again = await runCli(dataDir, [...IMPORT_ARGS, src]);
      expect(again.code, again.stderr).toBe(0);
      const summary = JSON.parse(again.stdout);
      expect(summary).toMatchObject({ status: 'completed', duplicates: 0, conflicts: 0, failed: [] });
      expect(summary.alreadyImported).toBe(present.size);
      expect(summary.imported).toBe(FILES - present.size);

      const complete = await checkProject(dataDir);
      expect([...complete].sort()).toEqual([...expected.keys()].sort());
      const db = new Database(dbFile, { readonly: true });
      expect(db.prepare('SELECT COUNT(*) FROM images').pluck().get()).toBe(FILES);
      expect(db.prepare('SELECT COUNT(DISTINCT path) FROM image_sources').pluck().get()).toBe(FILES);
      db.close();
      const blobFiles = fs.readdirSync(path.join(dataDir, 'projects', projectDirName, 'blobs'), {
        recursive: true,
      });
      expect(blobFiles.filter((f) => String(f).endsWith('.png')).length).toBe(FILES); // no stray copies

      figures.push({
        run,
        killAtMs,
        acknowledged: acknowledged.length,
        afterKill: present.size,
        reimported: summary.imported,
      });
      console.log(
        `import kill ${run + 1}/${RUNS}: killed at ${killAtMs} ms (uninterrupted: first commit at ` +
          `${firstCommitMs} ms, done at ${fullImportMs} ms)` +
          `${killed.signal === 'SIGKILL' ? '' : ' (had already exited)'}; ` +
          `${acknowledged.length} acknowledged, ${present.size} committed after the kill, ` +
          `re-run imported ${summary.imported} → ${FILES}`,
      );
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    const acknowledgedTotal = figures.reduce((a, f) => a + f.acknowledged, 0);
    console.log(
      `import kills: ${killedMidImport}/${RUNS} killed mid-import, kill moments ` +
        `${Math.min(...figures.map((f) => f.killAtMs))}–${Math.max(...figures.map((f) => f.killAtMs))} ms, ` +
        `${acknowledgedTotal} acknowledged images checked, none lost; ` +
        `committed after a kill: ${figures.map((f) => f.afterKill).join(', ')}`,
    );
    expect(killedMidImport).toBeGreaterThanOrEqual(20);
    // The kills reached both the start (nothing committed yet) and the middle of the import.
    expect(figures.some((f) => f.afterKill === 0)).toBe(true);
    expect(figures.some((f) => f.afterKill > FILES / 3)).toBe(true);
  }, 240_000);
});
