import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchInvoke } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handler-table';
import { makeHarness, solidImage, tempDir, write, type Harness } from '../../unit/dataset/fixtures';

const table = createHandlerTable();

describe('labels, undo/redo, splits, health and export', () => {
  let h: Harness;
  let src: string;
  const call = async (channel: string, payload: Record<string, unknown>) => {
    const r = await dispatchInvoke(table, h.services, channel, { projectId: h.projectId, ...payload });
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const ids = async (filter: Record<string, unknown> = { kind: 'all' }) =>
    (await call('dataset:listImages', { filter, sort: 'name', limit: 1000 })).items.map(
      (i: { id: number }) => i.id,
    ) as number[];

  beforeAll(async () => {
    h = await makeHarness({ inputSize: 8 });
    src = tempDir('cnn-labels-');
    let seed = 0;
    for (const [label, n] of [
      ['apple', 40],
      ['pear', 20],
      ['plum', 3],
    ] as const) {
      for (let i = 0; i < n; i++)
        write(
          path.join(src, label, `${label}-${i}.png`),
          await solidImage('png', { seed: ++seed, width: 12, height: 12 }),
        );
    }
    for (let i = 0; i < 5; i++)
      write(
        path.join(src, `loose-${i}.png`),
        await solidImage('png', { seed: ++seed, width: 12, height: 12 }),
      );
    await h.services.dataset.importAndWait(h.projectId, { paths: [src] });
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('validates payloads strictly', async () => {
    const bad = [
      ['dataset:listImages', { projectId: h.projectId, extra: 1 }],
      ['dataset:listImages', { projectId: h.projectId, filter: { kind: 'label' } }],
      ['dataset:listImages', { projectId: h.projectId, limit: 5000 }],
      ['labels:assign', { projectId: h.projectId, imageIds: [], labelId: 1 }],
      ['labels:create', { projectId: '../x', name: 'a' }],
      ['labels:setColor', { projectId: h.projectId, labelId: 1, color: 'red' }],
      ['dataset:split', { projectId: h.projectId, ratios: { train: 0, val: 0, test: 0 } }],
      ['dataset:import', { projectId: h.projectId, paths: [] }],
    ] as const;
    for (const [channel, payload] of bad) {
      const r = await dispatchInvoke(table, h.services, channel, payload);
      expect(r.ok, `${channel} ${JSON.stringify(payload)}`).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid-payload');
    }
    const missing = await dispatchInvoke(table, h.services, 'dataset:imageDetails', {
      projectId: h.projectId,
      imageId: 99999,
    });
    expect(!missing.ok && missing.error.code).toBe('not-found');
  });

  it('lists with filters, sorting and paging', async () => {
    const all = await call('dataset:listImages', { sort: 'name', limit: 10, offset: 5 });
    expect(all.total).toBe(68);
    expect(all.items).toHaveLength(10);
    const unlabeled = await call('dataset:listImages', { filter: { kind: 'unlabeled' } });
    expect(unlabeled.total).toBe(5);
    const labels = await call('labels:list', {});
    expect(
      labels.map((l: { name: string; imageCount: number; index: number }) => [l.name, l.imageCount, l.index]),
    ).toEqual([
      ['apple', 40, 0],
      ['pear', 20, 1],
      ['plum', 3, 2],
    ]);
    const pear = labels[1].id;
    const byLabel = await call('dataset:listImages', {
      filter: { kind: 'label', labelId: pear },
      sort: 'name',
      descending: true,
    });
    expect(byLabel.total).toBe(20);
    expect(byLabel.items[0].fileName).toBe('pear-9.png');
    // dataset:imageIds (selections) lists exactly what listImages lists, in the same order.
    for (const q of [
      { sort: 'label' },
      { sort: 'name', descending: true, offset: 3, limit: 17 },
      { filter: { kind: 'label', labelId: pear }, sort: 'added' },
    ]) {
      const page = await call('dataset:listImages', { limit: 1000, ...q });
      expect(await call('dataset:imageIds', { limit: 1000, ...q })).toEqual(
        page.items.map((i: { id: number }) => i.id),
      );
    }
    const sortedByLabel = await call('dataset:listImages', { sort: 'label', limit: 1000 });
    expect(sortedByLabel.items[0].labelName).toBe('apple');
    expect(sortedByLabel.items.at(-1).labelName).toBeNull();
  });

  it('label CRUD and assign are undoable and redoable, with history', async () => {
    const before = await call('labels:list', {});
    const fig = await call('labels:create', { name: 'fig', color: '#123456' });
    expect(fig).toMatchObject({ name: 'fig', color: '#123456', imageCount: 0, index: 3 });
    await expect(call('labels:create', { name: 'FIG' })).rejects.toThrow(/conflict/);
    const loose = await ids({ kind: 'unlabeled' });
    expect((await call('labels:assign', { imageIds: loose, labelId: fig.id })).changed).toBe(5);
    expect((await call('dataset:listImages', { filter: { kind: 'unlabeled' } })).total).toBe(0);
    const renamed = await call('labels:rename', { labelId: fig.id, name: 'Figs 🍈' });
    expect(renamed.name).toBe('Figs 🍈');
    expect((await call('dataset:undoState', {})).undoDescription).toMatch(/Rename label/);

    await call('dataset:undo', {}); // rename
    expect((await call('labels:list', {})).find((l: { id: number }) => l.id === fig.id).name).toBe('fig');
    await call('dataset:undo', {}); // assign
    expect((await call('dataset:listImages', { filter: { kind: 'unlabeled' } })).total).toBe(5);
    const redone = await call('dataset:redo', {});
    expect(redone.redone).toMatch(/Label 5 images "fig"/);
    expect((await call('dataset:listImages', { filter: { kind: 'label', labelId: fig.id } })).total).toBe(5);

    const details = await call('dataset:imageDetails', { imageId: loose[0] });
    expect(details.labelHistory.map((e: { label: string | null }) => e.label)).toEqual([
      null,
      'fig',
      null,
      'fig',
    ]);
    // Causes are codes the page words (issue 12); the action itself is in redone/redoneAction.
    expect(details.labelHistory.map((e: { cause: string }) => e.cause)).toEqual([
      'import',
      'label',
      'undo',
      'redo',
    ]);
    expect(redone.redoneAction).toEqual({ kind: 'label', count: 5, label: 'fig' });

    // Delete: images become unlabeled; undo brings label (same id) and images back.
    const del = await call('labels:delete', { labelId: fig.id });
    expect(del.unlabeledImages).toBe(5);
    expect((await call('dataset:listImages', { filter: { kind: 'unlabeled' } })).total).toBe(5);
    await call('dataset:undo', {});
    expect((await call('dataset:listImages', { filter: { kind: 'label', labelId: fig.id } })).total).toBe(5);

    // Merge pear + plum into apple, then undo.
    const [apple, pear, plum] = before.map((l: { id: number }) => l.id);
    const merged = await call('labels:merge', { sourceIds: [pear, plum], targetId: apple });
    expect(merged.imageCount).toBe(63);
    expect((await call('labels:list', {})).map((l: { name: string }) => l.name)).toEqual(['apple', 'fig']);
    await call('dataset:undo', {});
    expect(
      (await call('labels:list', {})).map((l: { name: string; imageCount: number }) => [
        l.name,
        l.imageCount,
      ]),
    ).toEqual([
      ['apple', 40],
      ['pear', 20],
      ['plum', 3],
      ['fig', 5],
    ]);
    // A new action clears the redo stack.
    await call('labels:setColor', { labelId: apple, color: '#00ff00' });
    expect((await call('dataset:undoState', {})).canRedo).toBe(false);
  });

  it('remove and restore are recoverable', async () => {
    const some = (await ids()).slice(0, 3);
    expect((await call('dataset:removeImages', { imageIds: some })).changed).toBe(3);
    expect((await call('dataset:listImages', {})).total).toBe(65);
    expect((await call('dataset:listImages', { filter: { kind: 'removed' } })).total).toBe(3);
    expect(h.services.projects.get(h.projectId).imageCount).toBe(65);
    expect(h.services.dataset.loadTrainingTensors(h.projectId).count).toBe(65);
    await call('dataset:restoreImages', { imageIds: some });
    expect((await call('dataset:listImages', {})).total).toBe(68);
    await call('dataset:undo', {});
    expect((await call('dataset:listImages', {})).total).toBe(65);
    await call('dataset:redo', {});
    expect((await call('dataset:listImages', {})).total).toBe(68);
  });

  it('splits are stratified, seeded, stable when images are added, and overridable', async () => {
    const stats = await call('dataset:split', { ratios: { train: 0.5, val: 0.25, test: 0.25 }, seed: 7 });
    const apple = stats.perLabel.find((l: { name: string }) => l.name === 'apple');
    expect(apple.perSplit).toEqual({ train: 20, val: 10, test: 10 });
    const pear = stats.perLabel.find((l: { name: string }) => l.name === 'pear');
    expect(pear.perSplit).toEqual({ train: 10, val: 5, test: 5 });
    const snapshot = async () =>
      new Map(
        (await call('dataset:listImages', { limit: 1000 })).items.map((i: { id: number; split: string }) => [
          i.id,
          i.split,
        ]),
      );
    const first = await snapshot();
    // Same seed and ratios again → same assignment.
    await call('dataset:split', { ratios: { train: 0.5, val: 0.25, test: 0.25 }, seed: 7 });
    expect(await snapshot()).toEqual(first);
    // Another seed → a different assignment with the same per-label counts.
    const other = await call('dataset:split', { seed: 8 });
    expect(other.perLabel.find((l: { name: string }) => l.name === 'apple').perSplit).toEqual({
      train: 20,
      val: 10,
      test: 10,
    });
    expect(await snapshot()).not.toEqual(first);
    await call('dataset:split', { seed: 7 });
    // Adding images does not move assigned ones.
    const more = tempDir('cnn-more-');
    for (let i = 0; i < 8; i++)
      write(
        path.join(more, 'apple', `new-${i}.png`),
        await solidImage('png', { seed: 5000 + i, width: 12, height: 12 }),
      );
    await h.services.dataset.importAndWait(h.projectId, { paths: [more] });
    const after = await snapshot();
    for (const [id, s] of first) expect(after.get(id)).toBe(s);
    const appleAfter = (await call('dataset:stats', {})).perLabel.find(
      (l: { name: string }) => l.name === 'apple',
    );
    expect(appleAfter.perSplit).toEqual({ train: 24, val: 12, test: 12 });
    fs.rmSync(more, { recursive: true, force: true });
    // Manual override survives a reshuffle; null hands it back.
    const one = [...first.keys()][0];
    await call('dataset:setSplit', { imageIds: [one], split: 'test' });
    await call('dataset:split', { seed: 99 });
    const d = await call('dataset:imageDetails', { imageId: one });
    expect([d.split, d.splitSource]).toEqual(['test', 'manual']);
    await call('dataset:setSplit', { imageIds: [one], split: null });
    expect((await call('dataset:imageDetails', { imageId: one })).splitSource).toBe('auto');
    const t = h.services.dataset.loadTrainingTensors(h.projectId, { split: ['val', 'test'] });
    expect(t.splits.every((s) => s === 'val' || s === 'test')).toBe(true);
  });

  it('health report flags too-few, imbalance, conflicts and leakage', async () => {
    const report = await call('dataset:health', {});
    const kinds = report.issues.map((i: { kind: string }) => i.kind);
    expect(kinds).toContain('too-few'); // plum: 3, fig: 5
    expect(kinds).toContain('imbalance'); // apple 48 vs plum 3
    expect(report.imbalanceRatio).toBe(16);
    expect(report.leakage.groups).toBeGreaterThan(0); // near-identical solid images across splits
    expect(report.perLabel.find((l: { name: string }) => l.name === 'plum').count).toBe(3);
  });

  it('exports class folders + manifest that import back to the same dataset', async () => {
    const out = path.join(tempDir('cnn-export-'), 'out dir ü');
    const result = await call('dataset:export', { dir: out, bySplit: true });
    expect(result.exported).toBe(76);
    const manifest = fs.readFileSync(result.manifest, 'utf8').trim().split('\n');
    expect(manifest[0]).toBe('path,label,split,sha256,width,height');
    expect(manifest).toHaveLength(77);
    await expect(call('dataset:export', { dir: out })).rejects.toThrow(/not empty/);
    const back = await makeHarness({ inputSize: 8 });
    const s = await back.services.dataset.importAndWait(back.projectId, { paths: [out] });
    expect(s.imported).toBe(76);
    expect(s.skipped.map((x) => path.basename(x.path))).toEqual(['manifest.csv']);
    const original = h.services.dataset.stats(h.projectId);
    const copy = back.services.dataset.stats(back.projectId);
    expect(copy.perLabel.map((l) => [l.name, l.count, l.perSplit]).sort()).toEqual(
      original.perLabel.map((l) => [l.name, l.count, l.perSplit]).sort(),
    );
    await back.close();
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('conflicts are resolved by assigning a label', async () => {
    const dir = tempDir('cnn-conflict-');
    const bytes = await solidImage('png', { seed: 9999, width: 12, height: 12 });
    write(path.join(dir, 'pear', 'x.png'), bytes);
    write(path.join(dir, 'apple', 'x.png'), bytes);
    const s = await h.services.dataset.importAndWait(h.projectId, { paths: [dir] });
    expect([s.imported, s.conflicts]).toEqual([1, 1]);
    const c = await call('dataset:listImages', { filter: { kind: 'conflicts' } });
    expect(c.total).toBe(1);
    const pear = (await call('labels:list', {})).find((l: { name: string }) => l.name === 'pear').id;
    await call('labels:assign', { imageIds: [c.items[0].id], labelId: pear });
    expect((await call('dataset:listImages', { filter: { kind: 'conflicts' } })).total).toBe(0);
    await call('dataset:undo', {});
    expect((await call('dataset:listImages', { filter: { kind: 'conflicts' } })).total).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
