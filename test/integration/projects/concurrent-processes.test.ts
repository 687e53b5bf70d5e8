import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../main/services/project-store';
import { listLabels } from '../../../main/services/dataset/label-ops';
import { bundleForNode } from '../../support/bundle';
import { makeTempDir } from '../../support/temp-dir';

const root = path.resolve(__dirname, '../../..');
const worker = path.join(root, 'out', 'test-projects', 'project-worker.js');

interface WorkerAnswer {
  ok: boolean;
  code?: string;
  results?: ({ id: string } | { code: string })[];
  failures?: { code: string; message: string }[];
}

/** Runs the worker script as its own Node process and answers its one JSON line. */
function runWorker(args: string[]): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as WorkerAnswer);
      } catch {
        reject(new Error(`worker exited ${code}: ${stdout}\n${stderr}`));
      }
    });
  });
}

/** A moment far enough ahead for every process to have started and loaded the services. */
const startAtSoon = () => String(Date.now() + 2500);

/**
 * Issue 13 item 2: the app and CLIs writing one data folder at once. Real processes, not threads: SQLite's locks
 * and the catalog lock are per process.
 */
describe('several processes writing one data folder', () => {
  let temp: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    await bundleForNode(path.join(__dirname, 'support/project-worker.ts'), worker, [
      'electron',
      'better-sqlite3',
      'sharp',
      'onnxruntime-web',
      '@tensorflow/*',
    ]);
  });
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.cleanup());
  afterAll(() => fs.rmSync(path.dirname(worker), { recursive: true, force: true }));

  it('label edits from two processes wait for each other: none fails, every write is there', async () => {
    const store = new ProjectStore(temp.dir);
    store.ensureLayout();
    const project = store.create({ name: 'Shared', inputSize: 28, color: 'gray' });
    store.closeAll();
    const count = 60;
    const startAt = startAtSoon();
    const answers = await Promise.all(
      ['a', 'b'].map((tag) => runWorker(['labels', temp.dir, project.id, tag, String(count), startAt])),
    );
    for (const answer of answers) expect(answer.failures).toEqual([]);
    const names = listLabels(store.db(project.id)).map((l) => l.name);
    const expected = ['a', 'b'].flatMap((tag) =>
      Array.from({ length: count }, (_, i) => `${tag}-${i}-renamed`),
    );
    expect(names.sort()).toEqual(expected.sort());
    store.closeAll();
  });

  it('processes creating one name at once: exactly one project is made, the others get project-exists', async () => {
    const processes = 6;
    const rounds = 8; // each round a new name, all processes at once: a race that one round may miss by luck
    const startAt = startAtSoon();
    const answers = await Promise.all(
      Array.from({ length: processes }, () =>
        runWorker(['create', temp.dir, 'Same', String(rounds), startAt]),
      ),
    );
    const made: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const results = answers.map((a) => a.results![round]);
      const ids = results.flatMap((r) => ('id' in r ? [r.id] : []));
      expect(ids, `round ${round}`).toHaveLength(1);
      expect(results.flatMap((r) => ('code' in r ? [r.code] : []))).toEqual(
        Array(processes - 1).fill('project-exists'),
      );
      made.push(...ids);
    }
    const store = new ProjectStore(temp.dir);
    expect(
      store
        .list()
        .map((p) => p.name)
        .sort(),
    ).toEqual(Array.from({ length: rounds }, (_, r) => `Same ${r}`));
    // No half-made project folder is left behind.
    expect(fs.readdirSync(path.join(temp.dir, 'projects')).sort()).toEqual(made.sort());
    store.closeAll();
  });

  it('processes renaming different projects to one name at once: exactly one gets it, the others project-exists', async () => {
    const store = new ProjectStore(temp.dir);
    store.ensureLayout();
    const ids = ['One', 'Two', 'Three', 'Four'].map(
      (name) => store.create({ name, inputSize: 28, color: 'gray' }).id,
    );
    store.closeAll();
    const rounds = 8;
    const startAt = startAtSoon();
    const answers = await Promise.all(
      ids.map((id) => runWorker(['rename', temp.dir, id, 'Same', String(rounds), startAt])),
    );
    for (let round = 0; round < rounds; round++) {
      const results = answers.map((a) => a.results![round]);
      expect(
        results.filter((r) => 'id' in r),
        `round ${round}`,
      ).toHaveLength(1);
      expect(results.flatMap((r) => ('code' in r ? [r.code] : []))).toEqual(
        Array(ids.length - 1).fill('project-exists'),
      );
    }
    const names = store.list().map((p) => p.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length); // no two projects share a name
    store.closeAll();
  });
});
