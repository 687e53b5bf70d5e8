import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../support/cli';
import { solidImage, tempDir, write } from '../../unit/dataset/fixtures';

/**
 * `import` exits 1 when it failed or no file was usable (with --json its one summary is still printed), and 0
 * when it finished with images in the project, bad files listed beside them.
 */
describe('import exit codes', () => {
  let dataDir: string;
  let src: string;
  beforeEach(async () => {
    dataDir = tempDir('cnn-exit-data-');
    src = tempDir('cnn-exit-src-');
    expect((await runCliCaptured(dataDir, 'project', 'create', 'exits')).code).toBe(0);
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('only broken and missing files: exit 1, the summary printed, the reason on stderr', async () => {
    write(path.join(src, 'broken.png'), Buffer.from('not a png at all'));
    write(path.join(src, 'empty.jpg'), Buffer.alloc(0));
    const missing = path.join(src, 'missing.png');
    const r = await runCliCaptured(dataDir, 'import', 'exits', src, missing, '--json');
    expect(r.code).toBe(1);
    const summary = r.json();
    expect(summary).toMatchObject({ status: 'completed', imported: 0 });
    expect(summary.failed).toHaveLength(3);
    expect(r.err).toMatch(/^error: no image was imported: 3 files could not be/m);
    const human = await runCliCaptured(dataDir, 'import', 'exits', src);
    expect(human.code).toBe(1);
    expect(human.out).toMatch(/failed: .*broken\.png/);
  });

  it('an empty folder: exit 1 (nothing to import)', async () => {
    const r = await runCliCaptured(dataDir, 'import', 'exits', src, '--json');
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ imported: 0, failed: [] });
    expect(r.err).toMatch(/no image files found/);
  });

  it('some good files and some bad: exit 0 with the bad ones listed; a repeat (all already imported): exit 0', async () => {
    write(path.join(src, 'good.png'), await solidImage('png', { seed: 4242 }));
    write(path.join(src, 'bad.png'), Buffer.from('garbage'));
    const r = await runCliCaptured(dataDir, 'import', 'exits', src, '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ imported: 1, failed: [{ path: path.join(src, 'bad.png') }] });
    const again = await runCliCaptured(dataDir, 'import', 'exits', path.join(src, 'good.png'), '--json');
    expect([again.code, again.json().alreadyImported]).toEqual([0, 1]);
  });

  it('an import whose storage fails (status failed): exit 1 with the error', async () => {
    write(path.join(src, 'good.png'), await solidImage('png', { seed: 4343 }));
    const projects = path.join(dataDir, 'projects');
    const [id] = fs.readdirSync(projects);
    write(path.join(projects, id, 'blobs'), 'a file where the blob folder belongs'); // mkdir fails
    const r = await runCliCaptured(dataDir, 'import', 'exits', src, '--json');
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ status: 'failed', imported: 0 });
    expect(r.err).toMatch(/^error: the import failed: /m);
  });
});
