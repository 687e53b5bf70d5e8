import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../main/services/services';
import { makeHarness, noisePng, tempDir, write, type Harness } from '../../unit/dataset/fixtures';

/**
 * Files an interrupted import wrote without committing their rows are removed when the project is next opened for
 * dataset work, except young ones (another process may be importing into it right now).
 */
describe('orphan blobs are swept when a project is opened for dataset work', () => {
  let h: Harness;
  let reopened: Services | undefined;
  beforeEach(async () => {
    h = await makeHarness({ inputSize: 16 });
  });
  afterEach(async () => {
    await reopened?.dispose();
    reopened = undefined;
    await h.close();
  });

  it('old row-less blob, thumbnail and temporary files go; fresh ones and referenced files stay', async () => {
    const src = tempDir('cnn-orphan-open-src-');
    for (let i = 0; i < 3; i++) write(path.join(src, `${i}.png`), await noisePng(24, 24, 700 + i));
    await h.services.dataset.importAndWait(h.projectId, { paths: [src] });
    fs.rmSync(src, { recursive: true, force: true });
    const dir = h.services.projects.projectDir(h.projectId);
    const referenced = (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => /^(blobs|thumbs)\//.test(f) && fs.statSync(path.join(dir, f)).isFile())
      .map((f) => path.join(dir, f));
    expect(referenced.length).toBeGreaterThanOrEqual(3);
    // What a killed import leaves in the log: a row that never got its summary.
    killedImport(h.services);
    await h.services.dispose();

    const sha = (c: string) => c.repeat(64);
    const old = [
      write(path.join(dir, 'blobs', 'aa', `${sha('a')}.png`), 'killed import'),
      write(path.join(dir, 'thumbs', 'aa', `${sha('a')}.webp`), 'killed import'),
      write(path.join(dir, 'blobs', 'cc', `${sha('c')}.jpg.1234-5.tmp`), 'half written'),
    ];
    const fresh = [
      write(path.join(dir, 'blobs', 'bb', `${sha('b')}.png`), 'another process, not committed yet'),
      write(path.join(dir, 'blobs', 'dd', `${sha('d')}.png.99-1.tmp`), 'another process writing'),
    ];
    const longAgo = new Date(Date.now() - 3600_000);
    for (const f of [...old, ...referenced]) fs.utimesSync(f, longAgo, longAgo);

    reopened = createServices({ dataDir: h.dataDir, workersDir: '', mediaBaseUrl: '', version: 'test' });
    expect(reopened.dataset.stats(h.projectId).total).toBe(3);
    expect(old.filter((f) => fs.existsSync(f))).toEqual([]);
    expect(fresh.filter((f) => fs.existsSync(f))).toEqual(fresh);
    expect(referenced.filter((f) => fs.existsSync(f))).toEqual(referenced);
  });

  it('without an interrupted import nothing is listed; a complete sweep is not repeated', async () => {
    const dir = h.services.projects.projectDir(h.projectId);
    const longAgo = new Date(Date.now() - 3600_000);
    const stray = () => {
      const file = write(path.join(dir, 'blobs', 'ee', `${'e'.repeat(64)}.png`), 'x');
      fs.utimesSync(file, longAgo, longAgo);
      return file;
    };
    const reopen = async () => {
      await reopened?.dispose();
      reopened = createServices({ dataDir: h.dataDir, workersDir: '', mediaBaseUrl: '', version: 'test' });
      reopened.dataset.stats(h.projectId);
    };
    await h.services.dispose();
    const first = stray();
    await reopen();
    expect(fs.existsSync(first)).toBe(true); // no import was interrupted: the folders are not even listed

    killedImport(reopened!);
    await reopen();
    expect(fs.existsSync(first)).toBe(false); // swept, and nothing young was spared: the sweep is complete

    const second = stray();
    await reopen();
    expect(fs.existsSync(second)).toBe(true); // that import's leftovers are known to be gone: not listed again
  });
});

function killedImport(services: Services): void {
  const projectId = services.projects.list()[0].id;
  services.projects
    .db(projectId)
    .prepare("INSERT INTO imports (id, started_at, status, options) VALUES (?, ?, 'running', '{}')")
    .run(`killed-${Date.now()}-${Math.random()}`, new Date().toISOString());
}
