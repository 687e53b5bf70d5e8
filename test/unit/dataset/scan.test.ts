import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanPaths } from '../../../main/services/dataset/scan';
import { tempDir, write } from './fixtures';

const dirs: string[] = [];
const fresh = () => {
  const d = tempDir('cnn-scan-');
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const rel = (root: string, files: { path: string; label: string | null; split: string | null }[]) =>
  files.map((f) => [path.relative(root, f.path), f.label, f.split]);

describe('scanPaths', () => {
  it('top-level folders are labels (nested keep the top label), loose files unlabeled, splits from folder names', async () => {
    const root = fresh();
    for (const f of [
      'cat/a.png',
      'cat/deep/er/b.JPG',
      'Dög ünïcödé/c d.png',
      'loose.webp',
      'Train/dog/x.png',
      'validation/dog/y.png',
      'test/cat/z.png',
      'test/loose-in-split.png',
    ]) {
      write(path.join(root, f), 'x');
    }
    const { files, skipped, failed } = await scanPaths([root]);
    expect(failed).toEqual([]);
    expect(skipped).toEqual([]);
    expect(rel(root, files).sort()).toEqual(
      [
        ['Dög ünïcödé/c d.png', 'Dög ünïcödé', null],
        ['Train/dog/x.png', 'dog', 'train'],
        ['cat/a.png', 'cat', null],
        ['cat/deep/er/b.JPG', 'cat', null],
        ['loose.webp', null, null],
        ['test/cat/z.png', 'cat', 'test'],
        ['test/loose-in-split.png', null, 'test'],
        ['validation/dog/y.png', 'dog', 'val'],
      ].sort(),
    );
  });

  it('--label forces a label; single files and several paths at once', async () => {
    const root = fresh();
    const a = write(path.join(root, 'one/a.png'), 'x');
    const b = write(path.join(root, 'b.gif'), 'x');
    const { files } = await scanPaths([path.join(root, 'one'), b], 'forced');
    expect(files.map((f) => [f.path, f.label])).toEqual([
      [a, 'forced'],
      [b, 'forced'],
    ]);
    const plain = await scanPaths([b]);
    expect(plain.files[0].label).toBeNull();
  });

  it('skips OS junk silently and lists other non-images', async () => {
    const root = fresh();
    for (const f of [
      'cat/.DS_Store',
      'cat/Thumbs.db',
      'cat/desktop.ini',
      'cat/._a.png',
      '__MACOSX/cat/a.png',
      '.git/x.png',
    ]) {
      write(path.join(root, f), 'x');
    }
    write(path.join(root, 'cat/notes.txt'), 'x');
    write(path.join(root, 'cat/README'), 'x');
    write(path.join(root, 'cat/real.PNG'), 'x');
    const { files, skipped } = await scanPaths([root]);
    expect(files.map((f) => path.basename(f.path))).toEqual(['real.PNG']);
    expect(skipped.map((s) => [path.basename(s.path), s.reason])).toEqual([
      ['README', 'not an image file (no extension)'],
      ['notes.txt', 'not an image file (.txt)'],
    ]);
  });

  it('symlink loops end; links leaving the chosen folder are not followed', async () => {
    const root = fresh();
    const outside = fresh();
    write(path.join(outside, 'secret.png'), 'x');
    write(path.join(root, 'cat/a.png'), 'x');
    fs.symlinkSync(path.join(root, 'cat'), path.join(root, 'cat', 'loop'));
    fs.symlinkSync(root, path.join(root, 'cat', 'up'));
    fs.symlinkSync(outside, path.join(root, 'escape'));
    fs.symlinkSync(path.join(outside, 'secret.png'), path.join(root, 'cat', 'secret.png'));
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'cat', 'broken.png'));
    const t0 = Date.now();
    const { files, skipped } = await scanPaths([root]);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(files.map((f) => path.relative(root, f.path))).toEqual(['cat/a.png']);
    const reasons = Object.fromEntries(skipped.map((s) => [path.relative(root, s.path), s.reason]));
    expect(reasons['escape']).toMatch(/outside the chosen folder/);
    expect(reasons['cat/secret.png']).toMatch(/outside the chosen folder/);
    expect(reasons['cat/broken.png']).toMatch(/broken symlink/);
  });

  it('a missing path is a failure, not an exception', async () => {
    const { failed } = await scanPaths(['/definitely/not/here']);
    expect(failed).toEqual([
      { path: '/definitely/not/here', reason: 'no such file or folder', code: 'not-found' },
    ]);
  });
});
