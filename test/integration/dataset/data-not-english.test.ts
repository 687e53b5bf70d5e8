import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthIssue, ImportIssue } from '../../../app/domain/dataset';
import { dispatchInvoke } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handler-table';
import {
  FASHION_SMALL,
  makeHarness,
  noisePng,
  solidImage,
  tempDir,
  write,
  type Harness,
} from '../../unit/dataset/fixtures';

/** Issue 12: main sends codes and numbers the page words, beside the English the CLI prints. */
describe('dataset data instead of English sentences', () => {
  let h: Harness;
  let src: string;
  const table = createHandlerTable();
  const call = async (channel: string, payload: Record<string, unknown>, projectId = h.projectId) => {
    const result = await dispatchInvoke(table, h.services, channel, { projectId, ...payload });
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as never;
  };

  beforeAll(async () => {
    h = await makeHarness();
    src = tempDir('cnn-codes-');
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('import issues carry codes: a broken PNG, a non-image, a missing path, a link leaving the folder', async () => {
    const dir = path.join(src, 'bad');
    const good = await noisePng(100, 80, 3);
    write(path.join(dir, 'broken.png'), good.subarray(0, good.length >> 1));
    write(path.join(dir, 'fake.jpg'), 'this is text, not a JPEG');
    write(path.join(dir, 'notes.txt'), 'x');
    write(path.join(dir, 'empty.png'), Buffer.alloc(0));
    fs.symlinkSync('/etc', path.join(dir, 'escape'));
    const missing = path.join(src, 'no such folder');
    const summary = await h.services.dataset.importAndWait(h.projectId, { paths: [dir, missing] });
    const byName = new Map<string, ImportIssue>(
      [...summary.failed, ...summary.skipped].map((i) => [path.basename(i.path), i]),
    );
    expect(byName.get('broken.png')?.code).toBe('truncated');
    expect(byName.get('fake.jpg')).toMatchObject({ code: 'not-an-image' });
    expect(byName.get('fake.jpg')?.reason).not.toMatch(/sharp/i);
    expect(byName.get('notes.txt')).toMatchObject({ code: 'not-an-image-file', params: { ext: '.txt' } });
    expect(byName.get('empty.png')?.code).toBe('empty-file');
    expect(byName.get('escape')?.code).toBe('symlink-outside');
    expect(byName.get('no such folder')?.code).toBe('not-found');
    // Stored with the code: the health report's unreadable files carry it too.
    const health = h.services.dataset.health(h.projectId);
    const unreadable = new Map(health.unreadableFiles.map((i) => [path.basename(i.path), i.code]));
    expect(unreadable.get('broken.png')).toBe('truncated');
    expect(unreadable.get('no such folder')).toBe('not-found');
  });

  it('health issues: count is the number of images, imageIds are those images, params hold the numbers', async () => {
    const dir = path.join(src, 'good');
    let seed = 100;
    // apple 12 in train-ish folders, pear 2: imbalance and too-few; the same picture in train and val: leakage.
    for (let i = 0; i < 12; i++)
      write(
        path.join(dir, 'apple', `a${i}.png`),
        await solidImage('png', { seed: ++seed, width: 12, height: 12 }),
      );
    for (let i = 0; i < 2; i++)
      write(
        path.join(dir, 'pear', `p${i}.png`),
        await solidImage('png', { seed: ++seed, width: 12, height: 12 }),
      );
    const same = await noisePng(40, 40, 77);
    write(path.join(dir, 'train', 'apple', 'twin.png'), same);
    write(path.join(dir, 'val', 'apple', 'twin.png'), Buffer.concat([same, Buffer.from([0])]));
    write(path.join(dir, 'apple', 'copy.png'), await solidImage('png', { seed: 101, width: 12, height: 12 }));
    await h.services.dataset.importAndWait(h.projectId, { paths: [dir] });
    const report = h.services.dataset.health(h.projectId);
    const issue = (kind: HealthIssue['kind']) => report.issues.find((i) => i.kind === kind);

    const imbalance = issue('imbalance')!;
    expect(imbalance.params).toMatchObject({
      limit: 3,
      labels: [{ name: 'apple' }, { name: 'pear', count: 2 }],
    });
    expect(imbalance.params.ratio).toBeCloseTo(report.imbalanceRatio!, 1);
    const few = report.issues.find((i) => i.kind === 'too-few' && i.severity === 'warning')!;
    expect(few.params).toEqual({ limit: 10, labels: [{ name: 'pear', count: 2 }] });

    const leakage = issue('leakage')!;
    expect(leakage.params.groups).toBe(report.leakage.groups);
    expect(leakage.count).toBe(leakage.params.images);
    expect(leakage.imageIds).toHaveLength(leakage.count!);
    expect(leakage.count).toBeGreaterThan(leakage.params.groups!);

    const duplicates = issue('duplicates')!;
    expect(duplicates.count).toBe(duplicates.imageIds!.length);
    expect(duplicates.params).toEqual({ images: duplicates.count, files: report.duplicates });

    const tiny = issue('tiny-images')!;
    expect(tiny.count).toBe(tiny.imageIds!.length);
    expect(tiny.params).toEqual({ images: tiny.count, side: 16 });
    expect(issue('unreadable')!.params.files).toBe(report.unreadableFiles.length);
  });

  it('undo and redo answer what they did as data, and the log keeps it across undo/redo', async () => {
    const pear = ((await call('labels:list', {})) as { id: number; name: string }[]).find(
      (l) => l.name === 'pear',
    )!;
    const page = (await call('dataset:listImages', { filter: { kind: 'label', labelId: pear.id } })) as {
      items: { id: number }[];
    };
    const ids = page.items.map((i) => i.id);
    await call('labels:assign', { imageIds: ids, labelId: null });
    expect(((await call('dataset:undoState', {})) as { undoAction: unknown }).undoAction).toEqual({
      kind: 'label',
      count: 2,
      label: null,
    });
    await call('labels:rename', { labelId: pear.id, name: 'Birne' });
    await call('dataset:setSplit', { imageIds: ids, split: 'test' });
    const undone = (await call('dataset:undo', {})) as Record<string, unknown>;
    expect(undone.undoneAction).toEqual({ kind: 'split', count: 2, split: 'test' });
    expect(undone.undone).toBe('Move 2 images to test');
    expect(undone.undoAction).toEqual({ kind: 'rename-label', from: 'pear', to: 'Birne' });
    expect(undone.redoAction).toEqual({ kind: 'split', count: 2, split: 'test' });
    const redone = (await call('dataset:redo', {})) as Record<string, unknown>;
    expect(redone.redoneAction).toEqual({ kind: 'split', count: 2, split: 'test' });
    await call('dataset:undo', {});
    await call('dataset:undo', {});
    const third = (await call('dataset:undo', {})) as Record<string, unknown>;
    expect(third.undoneAction).toEqual({ kind: 'label', count: 2, label: null });
    expect(third.undone).toBe('Unlabel 2 images');
    const details = (await call('dataset:imageDetails', { imageId: ids[0] })) as {
      labelHistory: { cause: string }[];
    };
    expect(details.labelHistory.map((e) => e.cause)).toEqual(['import', 'label', 'undo']);
  });

  it('an action logged before descriptions were data reads back as {kind: other, text}', () => {
    const db = h.services.projects.db(h.projectId);
    db.prepare("INSERT INTO actions (description, ops, at) VALUES ('Label 1 image \"x\"', '[]', 't')").run();
    expect(h.services.dataset.undoState(h.projectId)).toMatchObject({
      undoDescription: 'Label 1 image "x"',
      undoAction: { kind: 'other', text: 'Label 1 image "x"' },
    });
    expect(h.services.dataset.undo(h.projectId).undoneAction).toEqual({
      kind: 'other',
      text: 'Label 1 image "x"',
    });
  });

  it("cancelImport and importStatus refuse another project's import id", async () => {
    const other = h.services.projects.create({ name: 'Other', inputSize: 28, color: 'gray' });
    const { importId } = h.services.dataset.startImport(other.id, { paths: [FASHION_SMALL] });
    const cancelFromTest = await dispatchInvoke(table, h.services, 'dataset:cancelImport', {
      projectId: h.projectId,
      importId,
    });
    expect(cancelFromTest).toEqual({ ok: true, value: { cancelled: false } });
    const status = await dispatchInvoke(table, h.services, 'dataset:importStatus', {
      projectId: h.projectId,
      importId,
    });
    expect(status).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(h.services.dataset.isImporting(other.id)).toBe(true);
    const cancelled = await dispatchInvoke(table, h.services, 'dataset:cancelImport', {
      projectId: other.id,
      importId,
    });
    expect(cancelled).toEqual({ ok: true, value: { cancelled: true } });
    await h.services.dataset.cancelProjectImports(other.id);
  });
});
