/**
 * The dataset map end to end with real services, SQLite, a model trained on the small Fashion-MNIST set, the
 * inference worker and the map worker (run `node scripts/build-node.mjs` first): neighbours that mean something
 * (10-NN label agreement far above the 10 % of chance), events, the per-run cache, current labels / suggestions /
 * disagreement at get() time, removed and missing images, cancel, no model, and `cnn-studio embed`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetMap, DatasetMapFinished, DatasetMapProgress } from '../../../app/domain/dataset-map';
import { neighbourAgreement } from '../../../main/services/dataset-map/disagreement';
import { mapFilePath, readMapFile } from '../../../main/services/dataset-map/map-file';
import { createServices, type EventSink, type Services } from '../../../main/services/services';
import { runFiles } from '../../../main/services/training/run-files';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';
import { projectWithImages, quickSettings, SMALL_SET } from '../training/support';

describe('dataset map', () => {
  let temp: { dir: string; cleanup: () => void };
  let dataDir: string;
  let services: Services;
  let projectId: string;
  let runId: string;
  const events: { channel: string; payload: unknown; at: number }[] = [];
  const finishedEvents = () =>
    events.filter((e) => e.channel === 'datasetMap:finished').map((e) => e.payload as DatasetMapFinished);
  const progressEvents = () =>
    events.filter((e) => e.channel === 'datasetMap:progress').map((e) => e.payload as DatasetMapProgress);
  const stored = (method: 'pca' | 'umap') =>
    readMapFile(mapFilePath(runFiles(services.projects.projectDir(projectId), runId).dir, method));

  beforeAll(async () => {
    temp = makeTempDir('cnn-dataset-map-');
    dataDir = path.join(temp.dir, 'data');
    const sink: EventSink = {
      emit: (channel, payload) => void events.push({ channel, payload, at: performance.now() }),
    };
    services = createServices(
      {
        dataDir,
        workersDir: path.resolve(__dirname, '../../../out/workers'),
        mediaBaseUrl: 'http://127.0.0.1:0/media',
        version: '0.0.0-test',
      },
      sink,
    );
    projectId = await projectWithImages(services, 'Clothes'); // 500 images, 10 classes
    const run = services.training.start(projectId, quickSettings({ epochs: 3 }), 'map');
    await services.training.waitFor(projectId, run.id);
    runId = run.id;
  }, 180_000);
  afterAll(async () => {
    await services?.dispose();
    temp?.cleanup();
  });

  it('maps every image with neighbours that mostly share the label (UMAP), with progress and one finished', async () => {
    const t0 = performance.now();
    expect(services.datasetMap.compute(projectId, { method: 'umap', force: false })).toEqual({
      started: true,
    });
    await services.datasetMap.waitForIdle(projectId);
    const millis = performance.now() - t0;
    const finished = finishedEvents();
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ projectId, runId, method: 'umap', status: 'completed', error: null });
    const phases = new Set(progressEvents().map((p) => p.phase));
    expect(phases.has('embedding')).toBe(true);
    // at most 10 progress events a second
    const times = events.filter((e) => e.channel === 'datasetMap:progress').map((e) => e.at);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(99);
    const map = services.datasetMap.get(projectId, { method: 'umap' }) as DatasetMap;
    expect(map).not.toBeNull();
    expect(map.count).toBe(500);
    expect(map.missing).toBe(0);
    expect(map.dims).toBe(128);
    expect(map.k).toBe(10);
    expect(new Set(map.imageIds).size).toBe(500);
    for (const v of [...map.x, ...map.y]) expect(v >= 0 && v <= 1).toBe(true);
    expect(
      Math.max(...map.x) - Math.min(...map.x) === 1 || Math.max(...map.y) - Math.min(...map.y) === 1,
    ).toBe(true);
    expect(map.labelIds.every((l) => l > 0)).toBe(true);
    // neighbours in embedding space share the label far more often than chance (10 classes: 10 %)
    const file = stored('umap')!;
    const labels = file.header.count
      ? Array.from(file.ids, (id) => map.labelIds[map.imageIds.indexOf(id)])
      : [];
    const { agreement } = neighbourAgreement(labels, file.neighbours, file.header.k);
    console.log(
      `10-NN label agreement (500 images, 3 epochs): ${(agreement * 100).toFixed(1)} %; ${millis.toFixed(0)} ms`,
    );
    expect(agreement).toBeGreaterThan(0.6);
    // the disagreement marks are few and follow from the neighbours
    const marked = map.disagrees.reduce((a, b) => a + b, 0);
    expect(marked).toBeGreaterThan(0);
    expect(marked).toBeLessThan(250);
    // UMAP coordinates keep clusters: the 2-D nearest neighbour mostly shares the label
    let same = 0;
    for (let p = 0; p < map.count; p++) {
      let best = -1;
      let bestD = Infinity;
      for (let q = 0; q < map.count; q++) {
        if (q === p) continue;
        const d = (map.x[p] - map.x[q]) ** 2 + (map.y[p] - map.y[q]) ** 2;
        if (d < bestD) [best, bestD] = [q, d];
      }
      if (map.labelIds[best] === map.labelIds[p]) same++;
    }
    expect(same / map.count).toBeGreaterThan(0.6);
  });

  it('reuses the cache: a second compute finishes at once with the same coordinates; force recomputes the same', async () => {
    const before = services.datasetMap.get(projectId, { method: 'umap' })!;
    events.length = 0;
    expect(services.datasetMap.compute(projectId, { method: 'umap', force: false })).toEqual({
      started: false,
    });
    expect(finishedEvents()).toEqual([
      { projectId, runId, method: 'umap', status: 'completed', error: null, millis: 0 },
    ]);
    expect(progressEvents()).toEqual([]);
    expect(services.datasetMap.get(projectId, { method: 'umap' })).toEqual(before);
    // recomputing from scratch gives identical coordinates (seeded)
    expect(services.datasetMap.compute(projectId, { method: 'umap', force: true })).toEqual({
      started: true,
    });
    await services.datasetMap.waitForIdle(projectId);
    const again = services.datasetMap.get(projectId, { method: 'umap' })!;
    expect(again.x).toEqual(before.x);
    expect(again.y).toEqual(before.y);
    expect(again.computedAt).not.toBe(before.computedAt);
  });

  it('PCA is its own cached map; get() of a method never computed is null', async () => {
    expect(services.datasetMap.get(projectId, { method: 'pca' })).toBeNull();
    events.length = 0;
    const map = await services.datasetMap.computeAndWait(projectId, { method: 'pca' });
    // the same model and images: the embeddings of the UMAP map are reused, only the projection runs
    expect(progressEvents().some((p) => p.phase === 'embedding')).toBe(false);
    expect(finishedEvents()).toHaveLength(1);
    expect(map.method).toBe('pca');
    expect(map.count).toBe(500);
    const file = stored('pca')!;
    const labels = Array.from(file.ids, (id) => map.labelIds[map.imageIds.indexOf(id)]);
    const { agreement } = neighbourAgreement(labels, file.neighbours, file.header.k);
    console.log(`10-NN label agreement, PCA map: ${(agreement * 100).toFixed(1)} %`);
    expect(agreement).toBeGreaterThan(0.6);
  });

  it('get() follows the current labels, suggestions and removals', () => {
    const map = services.datasetMap.get(projectId, { method: 'umap' })!;
    const labels = services.dataset.listLabels(projectId);
    const file = stored('umap')!;
    const k = file.header.k;
    const row = (id: number) => Array.from(file.ids).indexOf(id);
    // a point whose 10 neighbours all share its label, relabeled to another class, disagrees
    const i = map.imageIds.findIndex((id) => {
      const r = row(id);
      const own = map.labelIds[map.imageIds.indexOf(id)];
      return Array.from(file.neighbours.subarray(r * k, r * k + k)).every(
        (q) => map.labelIds[map.imageIds.indexOf(file.ids[q])] === own,
      );
    });
    expect(i).toBeGreaterThanOrEqual(0);
    const id = map.imageIds[i];
    expect(map.disagrees[i]).toBe(0);
    const other = labels.find((l) => l.id !== map.labelIds[i])!;
    services.dataset.assignLabel(projectId, [id], other.id);
    let now = services.datasetMap.get(projectId, { method: 'umap' })!;
    expect(now.labelIds[i]).toBe(other.id);
    expect(now.disagrees[i]).toBe(1);
    // unlabeled: no mark, and the suggestion (when the suggestions table exists) is its suggested label
    services.dataset.assignLabel(projectId, [id], null);
    const db = services.projects.db(projectId);
    db.exec(
      'CREATE TABLE IF NOT EXISTS suggestions(image_id INTEGER PRIMARY KEY, run_id TEXT, label TEXT, confidence REAL)',
    );
    db.prepare(
      'INSERT OR REPLACE INTO suggestions (image_id, run_id, label, confidence) VALUES (?, ?, ?, ?)',
    ).run(id, runId, other.name, 0.9);
    now = services.datasetMap.get(projectId, { method: 'umap' })!;
    expect(now.labelIds[i]).toBe(0);
    expect(now.disagrees[i]).toBe(0);
    expect(now.suggestedLabelIds[i]).toBe(other.id);
    expect(now.suggestedLabelIds.filter((s) => s !== 0)).toHaveLength(1);
    services.dataset.undo(projectId);
    services.dataset.undo(projectId);
    expect(services.datasetMap.get(projectId, { method: 'umap' })!.labelIds[i]).toBe(map.labelIds[i]);
    // removed images leave the answer (and are not missing)
    services.dataset.removeImages(projectId, [id]);
    now = services.datasetMap.get(projectId, { method: 'umap' })!;
    expect(now.count).toBe(499);
    expect(now.imageIds).not.toContain(id);
    expect(now.missing).toBe(0);
    services.dataset.restoreImages(projectId, [id]);
  });

  it('counts images imported after the map as missing, and a compute then recomputes', async () => {
    await services.dataset.importAndWait(projectId, { paths: [path.join(SMALL_SET, 'test', 'Bag')] });
    const added = fs.readdirSync(path.join(SMALL_SET, 'test', 'Bag')).length;
    const map = services.datasetMap.get(projectId, { method: 'umap' })!;
    expect(map.missing).toBe(added);
    expect(map.count).toBe(500);
    events.length = 0;
    expect(services.datasetMap.compute(projectId, { method: 'pca', force: false })).toEqual({
      started: true,
    });
    await services.datasetMap.waitForIdle(projectId);
    expect(finishedEvents()[0].status).toBe('completed');
    expect(progressEvents().some((p) => p.phase === 'embedding')).toBe(true); // new images: embedded again
    const pca = services.datasetMap.get(projectId, { method: 'pca' })!;
    expect(pca.count).toBe(500 + added);
    expect(pca.missing).toBe(0);
  });

  it('cancels a running computation (finished: cancelled; nothing is cached)', async () => {
    events.length = 0;
    expect(services.datasetMap.compute(projectId, { method: 'umap', force: true })).toEqual({
      started: true,
    });
    expect(services.datasetMap.cancel(projectId)).toEqual({ cancelled: true });
    expect(services.datasetMap.cancel(projectId)).toEqual({ cancelled: false });
    await services.datasetMap.waitForIdle(projectId);
    await new Promise((r) => setTimeout(r, 200));
    expect(finishedEvents().map((f) => f.status)).toEqual(['cancelled']);
    // the old UMAP map (500 images) is still the cached one: it lacks the imported images
    expect(services.datasetMap.get(projectId, { method: 'umap' })!.missing).toBeGreaterThan(0);
  });

  it('a new computation cancels the running one of the project', async () => {
    events.length = 0;
    services.datasetMap.compute(projectId, { method: 'umap', force: true });
    services.datasetMap.compute(projectId, { method: 'pca', force: true });
    await services.datasetMap.waitForIdle(projectId);
    await new Promise((r) => setTimeout(r, 200));
    expect(finishedEvents().map((f) => [f.method, f.status])).toEqual([
      ['umap', 'cancelled'],
      ['pca', 'completed'],
    ]);
  });

  it('refuses a project without a trained model (not-found, no-model)', () => {
    const empty = services.projects.create({ name: 'Empty', inputSize: 28, color: 'gray' });
    const call = () => services.datasetMap.compute(empty.id, { method: 'umap', force: false });
    expect(call).toThrow(expect.objectContaining({ code: 'not-found', details: { code: 'no-model' } }));
    expect(() => services.datasetMap.get(empty.id, { method: 'pca' })).toThrow(/no trained model/);
  });

  it('cnn-studio embed writes imageId,file,label,x,y for every image', async () => {
    const out = path.join(temp.dir, 'map.csv');
    const r = await runCliCaptured(dataDir, 'embed', 'Clothes', '--method', 'pca', '--out', out, '--json');
    expect(r.code, r.err + r.out).toBe(0);
    const printed = r.json();
    expect(Object.keys(printed).sort()).toEqual(['count', 'file', 'method', 'millis', 'runId']);
    expect(printed).toMatchObject({ file: out, method: 'pca', runId });
    const lines = fs.readFileSync(out, 'utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('imageId,file,label,x,y');
    expect(lines).toHaveLength(printed.count + 1);
    const map = services.datasetMap.get(projectId, { method: 'pca' })!;
    expect(printed.count).toBe(map.count);
    const names = new Map(services.dataset.listLabels(projectId).map((l) => [l.id, l.name]));
    for (const [n, line] of lines.slice(1).entries()) {
      const [id, file, label, x, y] = line.split(',');
      expect(Number(id)).toBe(map.imageIds[n]);
      expect(path.isAbsolute(file) && fs.existsSync(file)).toBe(true);
      // the train images sit in class folders; the test/Bag images were imported unlabeled (empty label cell)
      if (map.labelIds[n] === 0) expect(label).toBe('');
      else {
        expect(path.basename(path.dirname(file))).toBe(label);
        expect(label).toBe(names.get(map.labelIds[n]));
      }
      expect(Number(x)).toBeCloseTo(map.x[n], 5);
      expect(Number(y)).toBeCloseTo(map.y[n], 5);
    }
    const bad = await runCliCaptured(dataDir, 'embed', 'Clothes', '--method', 'tsne', '--out', out);
    expect(bad.code).toBe(2);
  });
});
