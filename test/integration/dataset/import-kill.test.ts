import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { bundleForNode } from '../../support/bundle';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../main/services/services';
import { noisePng, tempDir, write } from '../../unit/dataset/fixtures';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'out', 'test-cli', 'cli.js');
const FILES = 1200;

function run(args: string[]): {
  child: ReturnType<typeof spawn>;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

describe('an import killed midway (SIGKILL) leaves a consistent database and resumes without duplicates', () => {
  let dataDir: string;
  let src: string;

  beforeAll(async () => {
    // The CLI as a real child process (bundled here so the test does not depend on a prior `npm run build`).
    // the same packages left to node_modules as scripts/build-node.mjs leaves (wasm-shipping ones cannot be bundled)
    await bundleForNode(path.join(root, 'main/cli/index.ts'), cli, [
      'electron',
      'better-sqlite3',
      'sharp',
      'onnxruntime-web',
      '@tensorflow/*',
    ]);
    dataDir = tempDir('cnn-kill-data-');
    src = tempDir('cnn-kill-src-');
    const pngs = await Promise.all(Array.from({ length: FILES }, (_, i) => noisePng(48, 48, 77_000 + i)));
    pngs.forEach((bytes, i) => write(path.join(src, `class-${i % 4}`, `img ${i}.png`), bytes));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('kill, check, resume', async () => {
    const created = run(['--data-dir', dataDir, '--json', 'project', 'create', 'killme']);
    const createdOut = await created.done;
    expect(createdOut.code, createdOut.stderr).toBe(0);
    const projectId = JSON.parse(createdOut.stdout).id as string;
    const dbFile = path.join(dataDir, 'projects', projectId, 'project.sqlite');

    const first = run([
      '--data-dir',
      dataDir,
      'import',
      'killme',
      src,
      '--batch-size',
      '20',
      '--concurrency',
      '2',
      '--json',
    ]);
    // Kill once a few batches are committed.
    const reader = new Database(dbFile, { readonly: true, fileMustExist: true });
    const count = () => {
      try {
        return reader.prepare('SELECT COUNT(*) FROM images').pluck().get() as number;
      } catch {
        return 0; // tables not created yet
      }
    };
    const t0 = Date.now();
    while (count() < 100 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 10));
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const partial = count();
    reader.close();
    expect(partial).toBeGreaterThanOrEqual(100);
    expect(partial).toBeLessThan(FILES);

    // Integrity: the file is sound, every row has its blob and its tensor, batches are whole.
    const db = new Database(dbFile);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const rows = db.prepare('SELECT id, sha256, ext FROM images').all() as {
      id: number;
      sha256: string;
      ext: string;
    }[];
    for (const r of rows) {
      expect(
        fs.existsSync(
          path.join(dataDir, 'projects', projectId, 'blobs', r.sha256.slice(0, 2), `${r.sha256}.${r.ext}`),
        ),
      ).toBe(true);
    }
    expect(
      db
        .prepare(
          'SELECT COUNT(*) FROM images i LEFT JOIN image_tensors t ON t.image_id = i.id WHERE t.image_id IS NULL',
        )
        .pluck()
        .get(),
    ).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM image_sources').pluck().get()).toBe(rows.length);
    expect(rows.length % 20).toBe(0); // whole batches of 20 only
    expect(db.prepare('SELECT status FROM imports').pluck().get()).toBe('running'); // never finished
    db.close();

    // Resume: the same command finishes the rest; nothing is stored twice; orphan blobs are gone.
    const second = run(['--data-dir', dataDir, 'import', 'killme', src, '--json']);
    const out = await second.done;
    expect(out.code, out.stderr).toBe(0);
    const summary = JSON.parse(out.stdout);
    expect(summary).toMatchObject({
      status: 'completed',
      duplicates: 0,
      conflicts: 0,
      failed: [],
      skipped: [],
    });
    expect(summary.alreadyImported).toBe(partial);
    expect(summary.imported).toBe(FILES - partial);
    expect(Object.values(summary.perLabel as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
      FILES - partial,
    );

    const services = createServices({ dataDir, workersDir: '', mediaBaseUrl: '', version: 'test' });
    try {
      const check = services.projects.db(projectId);
      expect(check.prepare('SELECT COUNT(*), COUNT(DISTINCT sha256) FROM images').raw().get()).toEqual([
        FILES,
        FILES,
      ]);
      expect(check.prepare('SELECT COUNT(DISTINCT path) FROM image_sources').pluck().get()).toBe(FILES);
      const blobCount = fs
        .readdirSync(path.join(dataDir, 'projects', projectId, 'blobs'), { recursive: true })
        .filter((f) => String(f).endsWith('.png')).length;
      expect(blobCount).toBe(FILES);
      const stats = services.dataset.stats(projectId);
      expect(stats.total).toBe(FILES);
      expect(stats.perLabel.map((l) => l.count)).toEqual([300, 300, 300, 300]);
      expect(stats.perSplit.none).toBe(0);
      const listed = services.dataset
        .listImports(projectId)
        .map((i) => i.status)
        .sort();
      expect(listed).toEqual(['completed', 'interrupted']);
    } finally {
      await services.dispose();
    }
  });

  // Root reads chmod 000 files, so as root the real permission check runs the CLI as user nobody (setpriv).
  it('a chmod 000 file is listed as unreadable, every other file imported (run as an unprivileged user)', async () => {
    const asRoot = process.getuid?.() === 0;
    const prefix = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const probe = spawnSync(
      prefix[0] ?? process.execPath,
      [...prefix.slice(1), ...(asRoot ? [process.execPath] : []), '-e', `require(${JSON.stringify(cli)})`],
      {
        encoding: 'utf8',
        env: { ...process.env, HOME: os.tmpdir() },
      },
    );
    if (probe.error || (probe.status !== 0 && !/Usage|cnn-studio/.test(probe.stdout + probe.stderr))) {
      console.warn('skipped: cannot run the CLI as an unprivileged user here', probe.error ?? probe.stderr);
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-perm-'));
    fs.chmodSync(dir, 0o777);
    const srcDir = path.join(dir, 'src');
    fs.mkdirSync(path.join(srcDir, 'cls'), { recursive: true });
    fs.copyFileSync(path.join(src, 'class-0', 'img 0.png'), path.join(srcDir, 'cls', 'locked.png'));
    fs.copyFileSync(path.join(src, 'class-0', 'img 4.png'), path.join(srcDir, 'cls', 'ok.png'));
    fs.chmodSync(path.join(srcDir, 'cls', 'locked.png'), 0o000);
    if (asRoot) spawnSync('chown', ['-R', '65534:65534', dir]);
    const data = path.join(dir, 'data');
    const runAs = (args: string[]) =>
      spawnSync(
        prefix[0] ?? process.execPath,
        [...prefix.slice(1), ...(asRoot ? [process.execPath] : []), cli, '--data-dir', data, ...args],
        {
          encoding: 'utf8',
          env: { ...process.env, HOME: dir },
        },
      );
    expect(runAs(['project', 'create', 'perm']).status).toBe(0);
    const r = runAs(['import', 'perm', srcDir, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.imported).toBe(1);
    expect(summary.failed).toEqual([
      { path: path.join(srcDir, 'cls', 'locked.png'), reason: 'cannot read: permission denied (unreadable)' },
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
