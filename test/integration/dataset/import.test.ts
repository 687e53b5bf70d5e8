import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../app/domain/dataset';
import { runImport } from '../../../main/services/dataset/importer';
import {
  bombPng,
  FASHION_SMALL,
  makeHarness,
  noisePng,
  solidImage,
  tempDir,
  write,
  type Harness,
} from '../../unit/dataset/fixtures';

describe('import of a messy folder', () => {
  let h: Harness;
  let src: string;
  let summary: ImportSummary;
  const P = (rel: string) => path.join(src, rel);

  beforeAll(async () => {
    h = await makeHarness();
    src = tempDir('cnn-src-');
    // Good images in every format, names with spaces and Unicode, nested folders.
    write(P('cat/a.png'), await solidImage('png', { seed: 1 }));
    write(P('cat/b photo.JPG'), await solidImage('jpeg', { seed: 2 }));
    write(P('cat/deep/nested/c.webp'), await solidImage('webp', { seed: 3 }));
    write(P('dög 🐶/d.GIF'), await solidImage('gif', { seed: 4 }));
    write(P('dög 🐶/e.tiff'), await solidImage('tiff', { seed: 5 }));
    write(P('dög 🐶/f.avif'), await solidImage('avif', { seed: 6, width: 64, height: 64 }));
    write(P('loose.png'), await solidImage('png', { seed: 7 }));
    // Duplicates: same bytes, same label; same bytes unlabeled; same bytes under another label (conflict).
    write(P('cat/a-copy.png'), await solidImage('png', { seed: 1 }));
    write(P('loose-copy.png'), await solidImage('png', { seed: 1 }));
    write(P('dög 🐶/a-conflict.png'), await solidImage('png', { seed: 1 }));
    // Bad files.
    write(P('cat/empty.png'), Buffer.alloc(0));
    write(P('cat/fake.jpg'), 'this is text, not a JPEG');
    const good = await noisePng(100, 80, 9);
    write(P('cat/truncated.png'), good.subarray(0, good.length >> 1));
    write(P('cat/bomb.png'), bombPng());
    write(P('cat/unreadable.png'), await solidImage('png', { seed: 10 }));
    // Junk and non-images.
    write(P('cat/.DS_Store'), 'x');
    write(P('Thumbs.db'), 'x');
    write(P('cat/notes.txt'), 'x');
    fs.symlinkSync(src, P('cat/loop'));
    fs.symlinkSync('/etc', P('escape'));

    const t0 = Date.now();
    summary = await runImport(
      {
        db: h.services.projects.db(h.projectId),
        projectId: h.projectId,
        projectDir: h.services.projects.projectDir(h.projectId),
        inputSize: 28,
        color: 'gray',
      },
      '00000000-0000-4000-8000-000000000001',
      { paths: [src] },
      {
        batchSize: 4,
        concurrency: 3,
        // Tests run as root, for whom chmod 000 does not stop reads: the permission error is injected.
        readFile: async (file) => {
          if (file.endsWith('unreadable.png')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
          return fs.promises.readFile(file);
        },
      },
    );
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('imports every good file once, with top-level folder labels', () => {
    expect(summary.status).toBe('completed');
    expect(summary.imported).toBe(7);
    expect(summary.perLabel).toEqual({ cat: 3, 'dög 🐶': 3 });
    expect(summary.unlabeled).toBe(1);
    const stats = h.services.dataset.stats(h.projectId);
    expect(stats.total).toBe(7);
    expect(h.services.projects.get(h.projectId)).toMatchObject({ imageCount: 7, labelCount: 2 });
  });

  it('reports duplicates and label conflicts without storing twice', () => {
    expect(summary.duplicates).toBe(2);
    expect(summary.conflicts).toBe(1);
    expect(summary.conflictList[0]).toMatchObject({
      path: P('dög 🐶/a-conflict.png'),
      labels: ['cat', 'dög 🐶'],
    });
    const conflicts = h.services.dataset.listImages(h.projectId, {
      filter: { kind: 'conflicts' },
      sort: 'name',
      descending: false,
      offset: 0,
      limit: 10,
    });
    expect(conflicts.total).toBe(1);
    expect(conflicts.items[0]).toMatchObject({
      fileName: 'a-copy.png',
      labelName: 'cat',
      conflictLabels: ['dög 🐶'],
      duplicateCount: 3,
    });
    const dups = h.services.dataset.listImages(h.projectId, {
      filter: { kind: 'duplicates' },
      sort: 'name',
      descending: false,
      offset: 0,
      limit: 10,
    });
    expect(dups.total).toBe(1);
    const details = h.services.dataset.imageDetails(h.projectId, conflicts.items[0].id);
    expect(details.sources.map((s) => path.basename(s.path)).sort()).toEqual([
      'a-conflict.png',
      'a-copy.png',
      'a.png',
      'loose-copy.png',
    ]);
    expect(details.labelHistory[0]).toMatchObject({ label: 'cat', cause: 'import' });
  });

  it('lists every bad file with a reason, skips junk silently and does not follow escaping links', () => {
    const failed = Object.fromEntries(summary.failed.map((f) => [path.relative(src, f.path), f.reason]));
    expect(Object.keys(failed).sort()).toEqual([
      'cat/bomb.png',
      'cat/empty.png',
      'cat/fake.jpg',
      'cat/truncated.png',
      'cat/unreadable.png',
    ]);
    expect(failed['cat/empty.png']).toMatch(/empty/);
    expect(failed['cat/fake.jpg']).toMatch(/not an image/);
    expect(failed['cat/truncated.png']).toMatch(/truncated|corrupt/);
    expect(failed['cat/bomb.png']).toMatch(/too large/);
    expect(failed['cat/unreadable.png']).toMatch(/permission denied/);
    const skipped = Object.fromEntries(summary.skipped.map((f) => [path.relative(src, f.path), f.reason]));
    expect(skipped).toEqual({
      'cat/notes.txt': 'not an image file (.txt)',
      escape: 'symlink points outside the chosen folder; not followed',
    });
    const health = h.services.dataset.health(h.projectId);
    expect(health.unreadableFiles.map((f) => path.basename(f.path)).sort()).toEqual([
      'bomb.png',
      'empty.png',
      'fake.jpg',
      'truncated.png',
      'unreadable.png',
    ]);
  });

  it('stores each image once, content-addressed, with a thumbnail or a viewable original', async () => {
    const dir = h.services.projects.projectDir(h.projectId);
    const blobs = fs
      .readdirSync(path.join(dir, 'blobs'), { recursive: true })
      .filter((f) => String(f).includes('.'));
    expect(blobs).toHaveLength(7);
    const page = h.services.dataset.listImages(h.projectId, {
      filter: { kind: 'all' },
      sort: 'name',
      descending: false,
      offset: 0,
      limit: 100,
    });
    const { resolveMedia } = await import('../../../main/protocol/media');
    for (const img of page.items) {
      const original = await resolveMedia(h.services, `/${h.projectId}/original/${img.sha256}`);
      expect(original?.file).toContain(`${img.sha256}.`);
      const thumb = await resolveMedia(h.services, `/${h.projectId}/thumb/${img.sha256}`);
      expect(thumb?.mimeType).toMatch(/^image\/(webp|png|jpeg|gif)$/);
    }
    const tif = page.items.find((i) => i.format === 'tiff')!;
    expect((await resolveMedia(h.services, `/${h.projectId}/thumb/${tif.sha256}`))?.mimeType).toBe(
      'image/webp',
    );
    // Strict checks: bad ids, bad hashes, traversal, unknown project or image.
    const sha = page.items[0].sha256;
    for (const bad of [
      `/${h.projectId}/original/${sha.toUpperCase()}`,
      `/${h.projectId}/original/../../x`,
      `/${h.projectId}/original/${sha}/x`,
      `/..%2F..%2Fetc/original/${sha}`,
      `/${h.projectId}/blob/${sha}`,
      `/nope/original/${sha}`,
      `/${h.projectId}/original/${'0'.repeat(64)}`,
      `/${h.projectId}%2Foriginal%2F${sha}`,
    ]) {
      expect(await resolveMedia(h.services, bad), bad).toBeNull();
    }
  });

  it('a repeated import skips what it has (no duplicates, no new rows)', async () => {
    const again = await h.services.dataset.importAndWait(h.projectId, { paths: [src] });
    // Only the file that was unreadable before is new (it reads fine now).
    expect(again.imported).toBe(1);
    expect(again.failed.map((f) => path.basename(f.path)).sort()).toEqual([
      'bomb.png',
      'empty.png',
      'fake.jpg',
      'truncated.png',
    ]);
    expect(again.alreadyImported).toBe(10);
    expect(again.duplicates).toBe(0);
    expect(h.services.dataset.stats(h.projectId).total).toBe(8);
  });

  it('loadTrainingTensors returns N×C×H×W pixels and class indices', () => {
    const t = h.services.dataset.loadTrainingTensors(h.projectId);
    expect(t.count).toBe(8);
    expect(t.images.length).toBe(8 * 28 * 28);
    expect([t.channels, t.height, t.width]).toEqual([1, 28, 28]);
    expect(t.classNames).toEqual(['cat', 'dög 🐶']);
    expect([...t.labels].sort()).toEqual([-1, 0, 0, 0, 0, 1, 1, 1]);
    const labeled = h.services.dataset.loadTrainingTensors(h.projectId, { labeledOnly: true });
    expect(labeled.count).toBe(7);
  });

  it('a damaged tensor cache is reported and rebuilt from the stored originals', async () => {
    const db = h.services.projects.db(h.projectId);
    const before = h.services.dataset.loadTrainingTensors(h.projectId);
    db.prepare('DELETE FROM image_tensors WHERE image_id = (SELECT MIN(id) FROM images)').run();
    expect(() => h.services.dataset.loadTrainingTensors(h.projectId)).toThrow(/rebuild the tensor cache/);
    const result = await h.services.dataset.rebuildTensors(h.projectId);
    expect(result).toEqual({ rebuilt: 8, failed: [] });
    const after = h.services.dataset.loadTrainingTensors(h.projectId);
    expect(Buffer.from(after.images).equals(Buffer.from(before.images))).toBe(true);
  });
});

describe('import with progress, cancel and the Fashion-MNIST sample', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness();
  });
  afterAll(() => h.close());

  it('imports the 700 real PNGs with their train/test folders as splits', async () => {
    expect(fs.existsSync(FASHION_SMALL)).toBe(true);
    const { importId } = h.services.dataset.startImport(h.projectId, { paths: [FASHION_SMALL] });
    const finished = await new Promise<ImportSummary>((resolve) => {
      const timer = setInterval(() => {
        const status = h.services.dataset.importStatus(h.projectId, importId);
        if (status.state === 'finished') {
          clearInterval(timer);
          resolve(status.summary);
        }
      }, 20);
    });
    expect(finished.error, finished.error).toBeUndefined();
    expect(finished).toMatchObject({ status: 'completed', imported: 700, failed: [], skipped: [] });
    expect(Object.keys(finished.perLabel)).toHaveLength(10);
    expect(finished.perSplit).toEqual({ train: 500, test: 200 });
    const channels = h.events.map((e) => e.channel);
    expect(channels).toContain('dataset:importProgress');
    expect(channels).toContain('dataset:importFinished');
    const train = h.services.dataset.loadTrainingTensors(h.projectId, { split: 'train' });
    expect(train.count).toBe(500);
    expect(train.classNames).toHaveLength(10);
    expect(Math.min(...train.labels)).toBe(0);
    // Fashion-MNIST is white-on-black: the border pixels are dark, the middle is not.
    let mean = 0;
    for (let i = 0; i < 784; i++) mean += train.images[i];
    expect(mean / 784).toBeGreaterThan(10);
  });

  it('cancel stops early, keeps a consistent database and a later run completes the rest', async () => {
    const src = tempDir('cnn-cancel-');
    for (let i = 0; i < 300; i++)
      write(path.join(src, `c${i % 3}`, `${i}.png`), await noisePng(40, 40, 1000 + i));
    const project = h.services.projects.create({ name: 'cancel', inputSize: 16, color: 'gray' });
    const controller = new AbortController();
    let progressCount = 0;
    const summary = await h.services.dataset.importAndWait(
      project.id,
      { paths: [src] },
      {
        signal: controller.signal,
        batchSize: 10,
        progressIntervalMs: 0,
        onProgress: (p) => {
          progressCount++;
          if (p.done >= 50) controller.abort();
          if (p.phase === 'importing' && p.done > 0) {
            expect(p.total).toBe(300);
            expect(p.rate).toBeGreaterThan(0);
          }
        },
      },
    );
    expect(summary.status).toBe('cancelled');
    expect(summary.imported).toBeLessThan(300);
    expect(progressCount).toBeGreaterThan(5);
    const db = h.services.projects.db(project.id);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT COUNT(*) FROM images').pluck().get()).toBe(summary.imported);
    const rest = await h.services.dataset.importAndWait(project.id, { paths: [src] });
    expect(rest.imported + summary.imported).toBe(300);
    expect(rest.alreadyImported).toBe(summary.imported);
    expect(h.services.dataset.stats(project.id).total).toBe(300);
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('keeps the event loop free: timers run during an import and cancelImport from a timer stops it', async () => {
    const project = h.services.projects.create({ name: 'loop', inputSize: 28, color: 'gray' });
    const { importId } = h.services.dataset.startImport(project.id, { paths: [FASHION_SMALL] });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    await new Promise((r) => setTimeout(r, 60));
    expect(h.services.dataset.cancelImport(importId)).toEqual({ cancelled: true });
    const summary = await new Promise<ImportSummary>((resolve) => {
      const poll = setInterval(() => {
        const s = h.services.dataset.importStatus(project.id, importId);
        if (s.state === 'finished') {
          clearInterval(poll);
          resolve(s.summary);
        }
      }, 5);
    });
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(3);
    expect(summary.status).toBe('cancelled');
    expect(summary.imported).toBeLessThan(700);
    const db = h.services.projects.db(project.id);
    expect(db.prepare('SELECT COUNT(*) FROM images').pluck().get()).toBe(summary.imported);
  });

  // As root (CI, this container) chmod 000 does not stop reads; the injected EACCES above covers that case.
  it.skipIf(process.getuid?.() === 0)(
    'a chmod 000 file is listed as unreadable (non-root only)',
    async () => {
      const src = tempDir('cnn-perm-');
      const file = write(path.join(src, 'locked.png'), await solidImage('png', { seed: 31337 }));
      fs.chmodSync(file, 0o000);
      const project = h.services.projects.create({ name: 'perm', inputSize: 8, color: 'gray' });
      const s = await h.services.dataset.importAndWait(project.id, { paths: [src] });
      expect(s.failed).toEqual([{ path: file, reason: 'cannot read: permission denied (unreadable)' }]);
      fs.chmodSync(file, 0o644);
      fs.rmSync(src, { recursive: true, force: true });
    },
  );

  it('cancelProjectImports stops a running import and waits for its last commit', async () => {
    const project = h.services.projects.create({ name: 'stop', inputSize: 28, color: 'gray' });
    const { importId } = h.services.dataset.startImport(project.id, { paths: [FASHION_SMALL] });
    expect(h.services.dataset.isImporting(project.id)).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    await h.services.dataset.cancelProjectImports(project.id);
    expect(h.services.dataset.isImporting(project.id)).toBe(false);
    const status = h.services.dataset.importStatus(project.id, importId);
    expect(status.state === 'finished' && status.summary.status).toBe('cancelled');
  });

  it('an import removes old row-less blobs (a killed run) but spares fresh ones (another process importing)', async () => {
    const project = h.services.projects.create({ name: 'orphans', inputSize: 8, color: 'gray' });
    const dir = h.services.projects.projectDir(project.id);
    const old = write(path.join(dir, 'blobs', 'aa', `${'a'.repeat(64)}.png`), 'x');
    const oldThumb = write(path.join(dir, 'thumbs', 'aa', `${'a'.repeat(64)}.webp`), 'x');
    const fresh = write(path.join(dir, 'blobs', 'bb', `${'b'.repeat(64)}.png`), 'x');
    const hourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(old, hourAgo, hourAgo);
    fs.utimesSync(oldThumb, hourAgo, hourAgo);
    const src = tempDir('cnn-orphan-src-');
    write(path.join(src, 'a.png'), await solidImage('png', { seed: 8080 }));
    await h.services.dataset.importAndWait(project.id, { paths: [src] });
    expect([fs.existsSync(old), fs.existsSync(oldThumb), fs.existsSync(fresh)]).toEqual([false, false, true]);
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('--label forces a label; one import per project at a time', async () => {
    const src = tempDir('cnn-label-');
    write(path.join(src, 'x', 'a.png'), await solidImage('png', { seed: 77 }));
    const project = h.services.projects.create({ name: 'forced', inputSize: 8, color: 'rgb' });
    const running = h.services.dataset.importAndWait(project.id, { paths: [src], label: 'Shoes' });
    expect(() => h.services.dataset.startImport(project.id, { paths: [src] })).toThrow(/already running/);
    const s = await running;
    expect(s.perLabel).toEqual({ Shoes: 1 });
    const t = h.services.dataset.loadTrainingTensors(project.id);
    expect(t.images.length).toBe(3 * 8 * 8);
    fs.rmSync(src, { recursive: true, force: true });
  });
});
