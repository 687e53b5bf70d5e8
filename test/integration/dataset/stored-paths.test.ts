import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../app/ipc/result';
import { resolveMedia } from '../../../main/protocol/media';
import { makeHarness, noisePng, solidImage, tempDir, write, type Harness } from '../../unit/dataset/fixtures';

/**
 * A shared project folder is untrusted input: rows whose sha256, ext, split, label or file name were edited to
 * climb out (`../`), or whose blob is a link to a file elsewhere, must never make the app read a file outside the
 * project folder or write one outside the export folder.
 */

interface Row {
  id: number;
  sha256: string;
  ext: string;
}

let h: Harness;
let outside: string;
let secret: string;
let secretBytes: Buffer;
let rows: Row[];

const db = () => h.services.projects.db(h.projectId);
const projectDir = () => h.services.projects.projectDir(h.projectId);
const blobFile = (r: Row) => path.join(projectDir(), 'blobs', r.sha256.slice(0, 2), `${r.sha256}.${r.ext}`);

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => !fs.statSync(path.join(dir, f)).isDirectory())
    .sort();
}

/** An `ext` value that, joined as the blob store joins it, lands on `file`. */
function extReaching(r: Row, file: string): string {
  const blobDir = path.join(projectDir(), 'blobs', r.sha256.slice(0, 2));
  return `png/../${path.relative(blobDir, file)}`;
}

async function expectStoredPathInvalid(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppFailure);
  expect((error as AppFailure).details).toMatchObject({ code: 'stored-path-invalid' });
}

beforeEach(async () => {
  h = await makeHarness({ inputSize: 16, color: 'gray' });
  const src = tempDir('cnn-stored-src-');
  write(path.join(src, 'cat', 'a.png'), await noisePng(24, 24, 1));
  write(path.join(src, 'cat', 'b.png'), await noisePng(24, 24, 2));
  write(path.join(src, 'dog', 'c.png'), await noisePng(24, 24, 3));
  const summary = await h.services.dataset.importAndWait(h.projectId, { paths: [src] });
  expect(summary.imported).toBe(3);
  fs.rmSync(src, { recursive: true, force: true });
  rows = db().prepare('SELECT id, sha256, ext FROM images ORDER BY id').all() as Row[];
  outside = tempDir('cnn-outside-');
  secretBytes = await solidImage('png', { width: 40, height: 40, color: '#ffffff' });
  secret = write(path.join(outside, 'secret.png'), secretBytes);
});

afterEach(async () => {
  await h.close();
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('dataset export of a crafted project', () => {
  let base: string;
  let target: string;
  beforeEach(() => {
    base = tempDir('cnn-export-base-');
    target = path.join(base, 'deep', 'out');
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('an ext that climbs to a file outside fails the export before anything is written', async () => {
    db().prepare('UPDATE images SET ext = ? WHERE id = ?').run(extReaching(rows[0], secret), rows[0].id);
    await expectStoredPathInvalid(
      h.services.dataset.exportFolders(h.projectId, target, { bySplit: false, includeUnlabeled: true }),
    );
    expect(filesUnder(base)).toEqual([]);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('a 64-character sha256 holding "/" and "..", or a backslash path, fails the export', async () => {
    // join(projectDir, 'blobs', '..', `${sha}.png`) = projectDir/<sha>.png: a sha of `../…/name` leaves the project.
    const rel = path.relative(projectDir(), outside);
    const sha = `${rel}/${'a'.repeat(64 - rel.length - 1)}`;
    expect(sha).toHaveLength(64);
    write(path.join(outside, `${'a'.repeat(64 - rel.length - 1)}.png`), secretBytes);
    db().prepare('UPDATE images SET sha256 = ? WHERE id = ?').run(sha, rows[0].id);
    await expectStoredPathInvalid(
      h.services.dataset.exportFolders(h.projectId, target, { bySplit: false, includeUnlabeled: true }),
    );
    db()
      .prepare('UPDATE images SET sha256 = ?, ext = ? WHERE id = ?')
      .run(rows[0].sha256, '..\\x', rows[0].id);
    await expectStoredPathInvalid(
      h.services.dataset.exportFolders(h.projectId, target, { bySplit: false, includeUnlabeled: true }),
    );
    expect(filesUnder(base)).toEqual([]);
  });

  it('a blob that is a symlink to a file outside the project is refused, not copied', async () => {
    fs.rmSync(blobFile(rows[1]));
    fs.symlinkSync(secret, blobFile(rows[1]));
    await expectStoredPathInvalid(
      h.services.dataset.exportFolders(h.projectId, target, { bySplit: false, includeUnlabeled: true }),
    );
    expect(filesUnder(base)).toEqual([]);
  });

  it('split, label and file names that climb, are absolute or hold NUL stay inside the export folder', async () => {
    const d = db();
    d.pragma('ignore_check_constraints = ON'); // a crafted file need not carry the schema's CHECKs
    d.prepare('UPDATE images SET split = ?, file_name = ? WHERE id = ?').run(
      '../../../escaped-split',
      '../../escaped-file.png',
      rows[0].id,
    );
    d.prepare('UPDATE images SET split = ?, file_name = ? WHERE id = ?').run(
      '..',
      '..\\..\\win.png',
      rows[1].id,
    );
    d.prepare('UPDATE images SET split = ?, file_name = ? WHERE id = ?').run(
      'val',
      `${outside}/abs\u0000.png`,
      rows[2].id,
    );
    d.pragma('ignore_check_constraints = OFF');
    d.prepare("UPDATE labels SET name = '../../escaped-label' WHERE name = 'cat'").run();
    d.prepare("UPDATE labels SET name = ? WHERE name = 'dog'").run(path.join(outside, 'abs-label'));
    const result = await h.services.dataset.exportFolders(h.projectId, target, {
      bySplit: true,
      includeUnlabeled: true,
    });
    expect(result.exported).toBe(3);
    // Every file is under the target: nothing beside it in base, nothing new outside.
    const written = filesUnder(base);
    expect(written.every((f) => f.startsWith(path.join('deep', 'out') + path.sep))).toBe(true);
    expect(written).toHaveLength(4); // 3 images + manifest.csv
    expect(filesUnder(outside)).toEqual(['secret.png']);
    for (const f of filesUnder(target)) {
      for (const segment of f.split(path.sep)) expect(['', '.', '..']).not.toContain(segment);
    }
  });

  it('an honest project still exports every image', async () => {
    const result = await h.services.dataset.exportFolders(h.projectId, target, {
      bySplit: false,
      includeUnlabeled: true,
    });
    expect(result.perLabel).toEqual({ cat: 2, dog: 1 });
    expect(filesUnder(target).sort()).toEqual(
      [
        path.join('cat', 'a.png'),
        path.join('cat', 'b.png'),
        path.join('dog', 'c.png'),
        'manifest.csv',
      ].sort(),
    );
  });
});

describe('rebuild tensors, media and thumbnails of a crafted project', () => {
  const tensorOf = (id: number) =>
    db().prepare('SELECT pixels FROM image_tensors WHERE image_id = ?').pluck().get(id) as Buffer;

  it('rebuild-tensors never decodes a file outside: the crafted rows fail, the others are rebuilt', async () => {
    db().prepare('UPDATE images SET ext = ? WHERE id = ?').run(extReaching(rows[0], secret), rows[0].id);
    fs.rmSync(blobFile(rows[1]));
    fs.symlinkSync(secret, blobFile(rows[1]));
    const before = [tensorOf(rows[0].id), tensorOf(rows[1].id)];
    const result = await h.services.dataset.rebuildTensors(h.projectId);
    expect(result.rebuilt).toBe(1);
    expect(result.failed.map((f) => f.imageId).sort()).toEqual([rows[0].id, rows[1].id].sort());
    for (const f of result.failed) expect(f.reason).toMatch(/invalid/);
    // The secret (plain white) would have replaced the noise tensors had it been read.
    expect([tensorOf(rows[0].id), tensorOf(rows[1].id)]).toEqual(before);
  });

  it('the media protocol serves neither a file outside nor the project database through a crafted ext', async () => {
    const [r] = rows;
    const url = `/${h.projectId}/original/${r.sha256}`;
    expect(await resolveMedia(h.services, url)).toMatchObject({ mimeType: 'image/png' });
    db().prepare('UPDATE images SET ext = ? WHERE id = ?').run(extReaching(r, secret), r.id);
    expect(await resolveMedia(h.services, url)).toBeNull();
    db()
      .prepare('UPDATE images SET ext = ? WHERE id = ?')
      .run(extReaching(r, path.join(projectDir(), 'project.sqlite')), r.id);
    expect(await resolveMedia(h.services, url)).toBeNull();
    expect(() => h.services.dataset.mediaFile(h.projectId, r.sha256, 'original')).toThrow(/invalid ext/);
  });

  it('a thumbnail or original that is a symlink to a file outside is not served', async () => {
    const [r] = rows;
    const thumb = path.join(projectDir(), 'thumbs', r.sha256.slice(0, 2), `${r.sha256}.webp`);
    write(thumb, 'x');
    fs.rmSync(thumb);
    fs.symlinkSync(secret, thumb);
    expect(await resolveMedia(h.services, `/${h.projectId}/thumb/${r.sha256}`)).toBeNull();
    fs.rmSync(blobFile(r));
    fs.symlinkSync(secret, blobFile(r));
    expect(await resolveMedia(h.services, `/${h.projectId}/original/${r.sha256}`)).toBeNull();
  });
});
