import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHarness, noisePng, tempDir, write, type Harness } from '../../unit/dataset/fixtures';

/** What the importer does when another process touches the same project's files mid-import. */
describe('import commits against other processes', () => {
  let h: Harness;
  let src: string;
  beforeEach(async () => {
    h = await makeHarness({ inputSize: 16 });
    src = tempDir('cnn-race-src-');
    for (let i = 0; i < 3; i++) write(path.join(src, 'k', `${i}.png`), await noisePng(20, 20, 500 + i));
  });
  afterEach(async () => {
    await h.close();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('a blob removed before its commit (another process swept it) fails the import; no row lacks its file', async () => {
    const projectDir = h.services.projects.projectDir(h.projectId);
    const first = fs.readFileSync(path.join(src, 'k', '0.png'));
    const sha = createHash('sha256').update(first).digest('hex');
    let reads = 0;
    const summary = await h.services.dataset.importAndWait(
      h.projectId,
      { paths: [src] },
      {
        concurrency: 1,
        batchSize: 100,
        readFile: async (file) => {
          // By the second read the first file's blob is written but not committed: take it away.
          if (++reads === 2) fs.rmSync(path.join(projectDir, 'blobs', sha.slice(0, 2), `${sha}.png`));
          return fs.readFileSync(file);
        },
      },
    );
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/vanished/);
    const db = h.services.projects.db(h.projectId);
    const rows = db.prepare('SELECT sha256, ext FROM images').all() as { sha256: string; ext: string }[];
    for (const r of rows)
      expect(
        fs.existsSync(path.join(projectDir, 'blobs', r.sha256.slice(0, 2), `${r.sha256}.${r.ext}`)),
      ).toBe(true);
    // Running it again stores everything.
    const again = await h.services.dataset.importAndWait(h.projectId, { paths: [src] });
    expect(again.status).toBe('completed');
    expect(db.prepare('SELECT COUNT(*) FROM images').pluck().get()).toBe(3);
  });

  it('a partial blob a killed import left under the final name is replaced whole; no temporary file stays', async () => {
    const projectDir = h.services.projects.projectDir(h.projectId);
    const bytes = fs.readFileSync(path.join(src, 'k', '1.png'));
    const sha = createHash('sha256').update(bytes).digest('hex');
    const partial = write(
      path.join(projectDir, 'blobs', sha.slice(0, 2), `${sha}.png`),
      bytes.subarray(0, 10),
    );
    await h.services.dataset.importAndWait(h.projectId, { paths: [src] });
    expect(fs.readFileSync(partial).equals(bytes)).toBe(true);
    const names = (fs.readdirSync(projectDir, { recursive: true }) as string[]).map((f) => path.basename(f));
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(names.filter((n) => /^[0-9a-f]{64}\.png$/.test(n))).toHaveLength(3);
  });
});
