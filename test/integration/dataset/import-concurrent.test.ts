import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../main/services/services';
import { bundleForNode } from '../../support/bundle';
import { noisePng, tempDir, write } from '../../unit/dataset/fixtures';

/**
 * Two processes importing the same folder into one project at once (the app and the CLI, or two CLIs): each file
 * is stored once, neither import fails, and together they account for every file, as two imports one after the
 * other would.
 */

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'out', 'test-cli-concurrent', 'cli.js');
const UNIQUE = 300;
/** Files whose bytes repeat another file's (a duplicate to each import that stores the first copy). */
const COPIES = 12;
const ROUNDS = 3;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Outcome> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

interface Summary {
  status: string;
  imported: number;
  duplicates: number;
  conflicts: number;
  alreadyImported: number;
  failed: unknown[];
  skipped: unknown[];
}

describe('two processes import the same folder into one project at the same time', () => {
  let src: string;

  beforeAll(async () => {
    await bundleForNode(path.join(root, 'main/cli/index.ts'), cli, [
      'electron',
      'better-sqlite3',
      'sharp',
      'onnxruntime-web',
      '@tensorflow/*',
    ]);
    src = tempDir('cnn-concurrent-src-');
    const pngs = await Promise.all(Array.from({ length: UNIQUE }, (_, i) => noisePng(32, 32, 31_000 + i)));
    pngs.forEach((bytes, i) => write(path.join(src, `class-${i % 3}`, `img-${i}.png`), bytes));
    // Copies in the same class folder as their original: duplicates, not label conflicts.
    for (let i = 0; i < COPIES; i++) write(path.join(src, `class-${i % 3}`, `copy-${i}.png`), pngs[i]);
  }, 120_000);

  afterAll(() => fs.rmSync(src, { recursive: true, force: true }));

  /** Both imports completed, together stored each file once, and the project is sound. */
  function expectStoredOnce(dataDir: string, projectId: string, summaries: Summary[]): void {
    const files = UNIQUE + COPIES;
    for (const s of summaries) {
      expect(s).toMatchObject({ status: 'completed', conflicts: 0, failed: [], skipped: [] });
      // Each import accounts for every file: stored by it, the same bytes as a stored file, or this very file
      // already stored (by the other process), exactly as a second import after the first would say.
      expect(s.imported + s.duplicates + s.alreadyImported).toBe(files);
    }
    expect(summaries[0].imported + summaries[1].imported).toBe(UNIQUE);

    const projectDir = path.join(dataDir, 'projects', projectId);
    const db = new Database(path.join(projectDir, 'project.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT COUNT(*), COUNT(DISTINCT sha256) FROM images').raw().get()).toEqual([
        UNIQUE,
        UNIQUE,
      ]);
      // Every file is recorded once as a source (a file both processes saw is not a duplicate of itself).
      expect(db.prepare('SELECT COUNT(*), COUNT(DISTINCT path) FROM image_sources').raw().get()).toEqual([
        files,
        files,
      ]);
      expect(db.prepare('SELECT SUM(dup_count) FROM images').pluck().get()).toBe(COPIES);
      expect(
        db
          .prepare(
            'SELECT COUNT(*) FROM images i LEFT JOIN image_tensors t ON t.image_id = i.id WHERE t.image_id IS NULL',
          )
          .pluck()
          .get(),
      ).toBe(0);
      // Every row's blob holds exactly its bytes (both processes may have written it).
      const rows = db.prepare('SELECT sha256, ext FROM images').all() as { sha256: string; ext: string }[];
      for (const r of rows) {
        const bytes = fs.readFileSync(
          path.join(projectDir, 'blobs', r.sha256.slice(0, 2), `${r.sha256}.${r.ext}`),
        );
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(r.sha256);
      }
      const blobFiles = (
        fs.readdirSync(path.join(projectDir, 'blobs'), { recursive: true }) as string[]
      ).filter((f) => fs.statSync(path.join(projectDir, 'blobs', f)).isFile());
      expect(blobFiles).toHaveLength(UNIQUE); // no temporary or orphan files left behind
    } finally {
      db.close();
    }
  }

  it(`two CLIs: both exit 0 and every file is stored exactly once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dataDir = tempDir('cnn-concurrent-data-');
      try {
        const created = await run(['--data-dir', dataDir, '--json', 'project', 'create', 'both']);
        expect(created.code, created.stderr).toBe(0);
        const projectId = JSON.parse(created.stdout).id as string;
        const args = ['--data-dir', dataDir, 'import', 'both', src, '--json', '--batch-size', '16'];
        const [a, b] = await Promise.all([run(args), run(args)]);
        expect(a.code, a.stderr + a.stdout).toBe(0);
        expect(b.code, b.stderr + b.stdout).toBe(0);
        expectStoredOnce(dataDir, projectId, [
          JSON.parse(a.stdout) as Summary,
          JSON.parse(b.stdout) as Summary,
        ]);
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }, 300_000);

  it('the app (services in this process) and a CLI import the same folder at once', async () => {
    const dataDir = tempDir('cnn-concurrent-app-');
    const services = createServices({ dataDir, workersDir: '', mediaBaseUrl: '', version: 'test' });
    try {
      const project = services.projects.create({ name: 'app-and-cli', inputSize: 28, color: 'gray' });
      const cliRun = run(['--data-dir', dataDir, 'import', project.id, src, '--json', '--batch-size', '16']);
      // Start once the CLI has begun (its import is in the log), so the two really overlap.
      const db = services.projects.db(project.id);
      const t0 = Date.now();
      while (db.prepare('SELECT COUNT(*) FROM imports').pluck().get() === 0 && Date.now() - t0 < 30_000)
        await new Promise((resolve) => setTimeout(resolve, 5));
      const app = await services.dataset.importAndWait(project.id, { paths: [src] }, { batchSize: 16 });
      const other = await cliRun;
      expect(other.code, other.stderr + other.stdout).toBe(0);
      expectStoredOnce(dataDir, project.id, [app, JSON.parse(other.stdout) as Summary]);
    } finally {
      await services.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
