/**
 * Label suggestions end to end with real services, SQLite, a trained model and its inference worker: the automatic
 * refresh after training, equality with the prediction path's top-1, accepting as one undoable action, the
 * histogram preview, staleness, the image list's filter and sort, cancel and restart, and the no-model refusal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageFilter, ImageSortKey } from '../../../app/domain/dataset';
import type { SuggestionsStatus } from '../../../app/domain/suggestions';
import { AppFailure } from '../../../app/ipc/result';
import { listImageIds } from '../../../main/services/dataset/image-ids';
import { createServices, type EventSink, type Services } from '../../../main/services/services';
import { makeTempDir } from '../../support/temp-dir';
import { FASHION_SMALL } from '../../unit/dataset/fixtures';
import { quickSettings } from '../training/support';
import { CLASSES, writeImageFolders } from './support';

describe('label suggestions', () => {
  let temp: { dir: string; cleanup: () => void };
  let services: Services;
  let projectId: string;
  let firstRunId: string;
  let looseFiles: string[];
  const events: { channel: string; payload: unknown }[] = [];
  const finishedEvents = () =>
    events.filter((e) => e.channel === 'suggestions:finished').map((e) => e.payload as SuggestionsStatus);

  const list = (filter: ImageFilter, sort: ImageSortKey, descending = false) =>
    services.dataset.listImages(projectId, { filter, sort, descending, offset: 0, limit: 10_000 });
  const ids = (filter: ImageFilter, sort: ImageSortKey, descending = false) =>
    listImageIds(services.projects.db(projectId), { filter, sort, descending, offset: 0, limit: 10_000 });
  const labelId = (name: string) => services.dataset.listLabels(projectId).find((l) => l.name === name)!.id;
  const snapshot = () =>
    services.projects
      .db(projectId)
      .prepare('SELECT image_id, run_id, label, confidence FROM suggestions ORDER BY image_id')
      .all();

  beforeAll(async () => {
    temp = makeTempDir('cnn-suggestions-');
    const sink: EventSink = { emit: (channel, payload) => void events.push({ channel, payload }) };
    services = createServices(
      {
        dataDir: path.join(temp.dir, 'data'),
        workersDir: path.resolve(__dirname, '../../../out/workers'),
        mediaBaseUrl: 'http://127.0.0.1:0/media',
        version: '0.0.0-test',
      },
      sink,
    );
    const folders = writeImageFolders(temp.dir);
    looseFiles = folders.looseFiles;
    projectId = services.projects.create({ name: 'Clothes', inputSize: 28, color: 'gray' }).id;
    await services.dataset.importAndWait(projectId, { paths: [folders.labeled] });
    const loose = await services.dataset.importAndWait(projectId, { paths: [folders.loose] });
    expect(loose.imported).toBe(CLASSES.length * 20);
    expect(services.suggestions.status(projectId)).toMatchObject({ state: 'none', modelRunId: null });
    const run = services.training.start(
      projectId,
      quickSettings({ epochs: 8, workers: 1, batchSize: 16 }),
      'first',
    );
    const { run: done } = await services.training.waitFor(projectId, run.id);
    expect(done.status).toBe('completed');
    firstRunId = run.id;
  }, 180_000);

  afterAll(async () => {
    await services?.dispose();
    temp?.cleanup();
  });

  it('are made by themselves when a run completes as the project model, with progress and one finished event', async () => {
    const status = await services.suggestions.settled(projectId);
    expect(status).toMatchObject({
      state: 'ready',
      runId: firstRunId,
      modelRunId: firstRunId,
      count: 80,
      unlabeled: 80,
      stale: [],
      progress: null,
      error: null,
    });
    expect(status.histogram).toHaveLength(100);
    expect(status.histogram.reduce((a, b) => a + b, 0)).toBe(80);
    const progress = events
      .filter((e) => e.channel === 'suggestions:progress')
      .map((e) => e.payload as { done: number; total: number });
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[progress.length - 1]).toMatchObject({ done: 80, total: 80 });
    expect(finishedEvents()).toHaveLength(1);
    expect(finishedEvents()[0]).toMatchObject({ state: 'ready', runId: firstRunId, count: 80 });
  });

  it("equal the prediction path's top-1 label and confidence for every unlabeled image", async () => {
    const suggestions = services.suggestions.list(projectId);
    expect(suggestions).toHaveLength(80);
    const predictions = await services.prediction.predictFiles({ projectId }, looseFiles, { topK: 1 });
    expect(predictions).toHaveLength(80);
    const byFile = new Map(suggestions.map((s) => [s.file, s]));
    for (const p of predictions) {
      if (!('top' in p)) throw new Error(`${p.file}: ${p.error}`);
      const s = byFile.get(p.file);
      expect(s, p.file).toBeDefined();
      expect(s!.label).toBe(p.top[0].label);
      expect(Math.abs(s!.confidence - p.top[0].probability)).toBeLessThan(1e-6);
      expect(s!.labelId).toBe(labelId(s!.label));
    }
    // Most confident first.
    for (let i = 1; i < suggestions.length; i++)
      expect(suggestions[i - 1].confidence).toBeGreaterThanOrEqual(suggestions[i].confidence);
    // The model learned something: most loose images are suggested their own class (the file name says which).
    const right = suggestions.filter((s) => path.basename(s.file).startsWith(`${s.label}-`)).length;
    expect(right).toBeGreaterThan(40);
  });

  it('show in image lists: the suggestion field, the suggested filter and the confidence sort (ids in the same order)', () => {
    const unlabeled = list({ kind: 'unlabeled' }, 'added').items;
    expect(unlabeled.every((i) => i.suggestion !== null)).toBe(true);
    const labeled = list({ kind: 'label', labelId: labelId('Bag') }, 'added').items;
    expect(labeled.length).toBeGreaterThan(0);
    expect(labeled.every((i) => i.suggestion === null)).toBe(true);
    const one = unlabeled[0];
    const stored = services.suggestions.list(projectId).find((s) => s.imageId === one.id)!;
    expect(one.suggestion).toEqual({
      label: stored.label,
      labelId: stored.labelId,
      confidence: stored.confidence,
    });

    for (const cls of CLASSES) {
      const page = list({ kind: 'suggested', labelId: labelId(cls) }, 'confidence');
      const expected = services.suggestions.list(projectId).filter((s) => s.label === cls);
      expect(page.total).toBe(expected.length);
      expect(page.items.map((i) => i.id).sort()).toEqual(expected.map((s) => s.imageId).sort());
    }

    for (const descending of [false, true]) {
      const page = list({ kind: 'all' }, 'confidence', descending);
      expect(page.total).toBe(CLASSES.length * 50);
      const withSuggestion = page.items.filter((i) => i.suggestion !== null);
      expect(withSuggestion).toHaveLength(80);
      // Images with a suggestion first, by confidence; then the rest (labeled ones).
      expect(page.items.slice(0, 80)).toEqual(withSuggestion);
      for (let i = 1; i < 80; i++) {
        const [a, b] = [withSuggestion[i - 1], withSuggestion[i]];
        const order = descending
          ? b.suggestion!.confidence - a.suggestion!.confidence
          : a.suggestion!.confidence - b.suggestion!.confidence;
        expect(order).toBeLessThanOrEqual(0);
        if (order === 0) expect(descending ? a.id > b.id : a.id < b.id).toBe(true);
      }
      expect(ids({ kind: 'all' }, 'confidence', descending)).toEqual(page.items.map((i) => i.id));
    }
    const suggested = { kind: 'suggested', labelId: labelId('Trouser') } as const;
    expect(ids(suggested, 'confidence', true)).toEqual(
      list(suggested, 'confidence', true).items.map((i) => i.id),
    );
  });

  it('accept above a threshold as ONE undoable action whose count the histogram previewed', () => {
    const { histogram } = services.suggestions.status(projectId);
    const threshold = 60;
    const preview = histogram.slice(threshold).reduce((a, b) => a + b, 0);
    expect(preview).toBeGreaterThan(0);
    const actionsBefore = services.projects
      .db(projectId)
      .prepare('SELECT COUNT(*) FROM actions')
      .pluck()
      .get();
    const eventsBefore = events.length;

    const result = services.suggestions.accept(projectId, { minConfidence: threshold / 100 });
    expect(result.accepted).toBe(preview);
    expect(result.suggestions).toHaveLength(preview);
    expect(result.suggestions.every((s) => s.confidence >= 0.6)).toBe(true);
    const db = services.projects.db(projectId);
    expect(db.prepare('SELECT COUNT(*) FROM actions').pluck().get()).toBe((actionsBefore as number) + 1);
    expect(services.dataset.undoState(projectId).undoDescription).toBe(`Accept ${preview} suggestions`);
    expect(events.slice(eventsBefore)).toContainEqual({
      channel: 'dataset:changed',
      payload: { projectId, reason: 'labels' },
    });
    for (const s of result.suggestions) {
      const details = services.dataset.imageDetails(projectId, s.imageId);
      expect(details.labelName).toBe(s.label);
      expect(details.suggestion).toBeNull();
      expect(details.labelHistory[details.labelHistory.length - 1]).toMatchObject({
        label: s.label,
        cause: 'suggestion',
      });
    }
    // The accepted images are no longer unlabeled: the status and the histogram follow.
    const after = services.suggestions.status(projectId);
    expect(after.unlabeled).toBe(80 - preview);
    expect(after.histogram.slice(threshold).reduce((a, b) => a + b, 0)).toBe(0);
    expect(after.stale).toEqual([]);

    // Nothing left above the threshold: nothing recorded.
    expect(services.suggestions.accept(projectId, { minConfidence: 0.6 })).toEqual({
      accepted: 0,
      suggestions: [],
    });
    expect(db.prepare('SELECT COUNT(*) FROM actions').pluck().get()).toBe((actionsBefore as number) + 1);

    services.dataset.undo(projectId);
    for (const s of result.suggestions)
      expect(services.dataset.imageDetails(projectId, s.imageId).labelId).toBeNull();
    expect(services.suggestions.status(projectId).unlabeled).toBe(80);
    services.dataset.redo(projectId);
    for (const s of result.suggestions)
      expect(services.dataset.imageDetails(projectId, s.imageId).labelId).toBe(s.labelId);
    services.dataset.undo(projectId);
    expect(services.suggestions.status(projectId).unlabeled).toBe(80);
  });

  it('accept the suggestions of chosen images (by label too), leaving labeled images alone', () => {
    const all = services.suggestions.list(projectId);
    const trouser = labelId('Trouser');
    const labeledImage = list({ kind: 'label', labelId: labelId('Bag') }, 'added').items[0].id;
    const chosen = all.slice(0, 5).map((s) => s.imageId);
    const result = services.suggestions.accept(projectId, { imageIds: [...chosen, labeledImage] });
    expect(result.accepted).toBe(5);
    expect(result.suggestions.map((s) => s.imageId).sort()).toEqual([...chosen].sort());
    expect(services.dataset.imageDetails(projectId, labeledImage).labelName).toBe('Bag');
    services.dataset.undo(projectId);

    const byLabel = services.suggestions.accept(projectId, { minConfidence: 0, labelId: trouser });
    expect(byLabel.accepted).toBe(all.filter((s) => s.label === 'Trouser').length);
    expect(byLabel.suggestions.every((s) => s.labelId === trouser)).toBe(true);
    services.dataset.undo(projectId);
    expect(services.suggestions.status(projectId).unlabeled).toBe(80);

    expect(() => services.suggestions.accept(projectId, {})).toThrow(AppFailure);
    expect(() => services.suggestions.accept(projectId, { minConfidence: 0, labelId: 99_999 })).toThrow(
      /No label/,
    );
  });

  it('go stale when labels are renamed (not acceptable then) and when unlabeled images are added', async () => {
    const dress = labelId('Dress');
    const dressCount = services.suggestions.list(projectId).filter((s) => s.label === 'Dress').length;
    expect(dressCount).toBeGreaterThan(0);
    services.dataset.renameLabel(projectId, dress, 'Gown');
    const renamed = services.suggestions.status(projectId);
    expect(renamed.stale).toEqual(['labels-changed']);
    expect(renamed.histogram.reduce((a, b) => a + b, 0)).toBe(80 - dressCount);
    expect(
      list({ kind: 'unlabeled' }, 'added').items.filter((i) => i.suggestion?.labelId === null),
    ).toHaveLength(dressCount);
    const accepted = services.suggestions.accept(projectId, { minConfidence: 0 });
    expect(accepted.accepted).toBe(80 - dressCount);
    expect(accepted.suggestions.some((s) => s.label === 'Dress')).toBe(false);
    services.dataset.undo(projectId);
    services.dataset.undo(projectId); // the rename
    expect(services.suggestions.status(projectId).stale).toEqual([]);

    // A class the project does not have, never imported: a new unlabeled image.
    const extra = path.join(temp.dir, 'extra');
    fs.mkdirSync(extra);
    const coats = path.join(FASHION_SMALL, 'test', 'Coat');
    fs.copyFileSync(path.join(coats, fs.readdirSync(coats).sort()[0]), path.join(extra, 'coat.png'));
    const summary = await services.dataset.importAndWait(projectId, { paths: [extra] });
    expect(summary.imported).toBe(1);
    const status = services.suggestions.status(projectId);
    expect(status).toMatchObject({ state: 'ready', stale: ['new-images'], count: 80, unlabeled: 81 });
    const refreshed = await services.suggestions.refreshAndWait(projectId);
    expect(refreshed).toMatchObject({ state: 'ready', stale: [], count: 81, unlabeled: 81 });
  });

  it('keep the previous set when cancelled, and a second refresh restarts the first (one finished event)', async () => {
    const before = snapshot();
    const { computedAt } = services.suggestions.status(projectId);
    const finishedBefore = finishedEvents().length;

    const running = services.suggestions.refresh(projectId);
    expect(running.state).toBe('running');
    expect(running.progress).toEqual({ done: 0, total: 81 });
    expect(services.suggestions.cancel(projectId)).toEqual({ cancelled: true });
    const after = await services.suggestions.settled(projectId);
    expect(after).toMatchObject({ state: 'ready', computedAt, progress: null, error: null });
    expect(snapshot()).toEqual(before);
    expect(finishedEvents()).toHaveLength(finishedBefore + 1);
    expect(services.suggestions.cancel(projectId)).toEqual({ cancelled: false });

    services.suggestions.refresh(projectId);
    services.suggestions.refresh(projectId);
    const done = await services.suggestions.settled(projectId);
    expect(done.state).toBe('ready');
    expect(done.computedAt).not.toBe(computedAt);
    expect(finishedEvents()).toHaveLength(finishedBefore + 2);
    expect(snapshot()).toEqual(before); // the same model makes the same suggestions
  });

  it('fail without touching the set when a tensor is missing', async () => {
    const db = services.projects.db(projectId);
    const before = snapshot();
    const victim = services.suggestions.list(projectId)[0].imageId;
    const tensor = db.prepare('SELECT * FROM image_tensors WHERE image_id = ?').get(victim) as Record<
      string,
      unknown
    >;
    db.prepare('DELETE FROM image_tensors WHERE image_id = ?').run(victim);
    await expect(services.suggestions.refreshAndWait(projectId)).rejects.toMatchObject({
      details: { code: 'tensors-missing' },
    });
    const failed = services.suggestions.status(projectId);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('tensors-missing');
    expect(snapshot()).toEqual(before);
    expect(finishedEvents().at(-1)).toMatchObject({ state: 'failed', error: { code: 'tensors-missing' } });
    db.prepare('INSERT INTO image_tensors (image_id, size, channels, pixels) VALUES (?, ?, ?, ?)').run(
      tensor.image_id,
      tensor.size,
      tensor.channels,
      tensor.pixels,
    );
    expect((await services.suggestions.refreshAndWait(projectId)).state).toBe('ready');
  });

  it('a newly completed run remakes them; picking another model makes them stale and says so', async () => {
    const run = services.training.start(
      projectId,
      quickSettings({ epochs: 1, workers: 1, seed: 11 }),
      'second',
    );
    expect((await services.training.waitFor(projectId, run.id)).run.status).toBe('completed');
    const remade = await services.suggestions.settled(projectId);
    expect(remade).toMatchObject({ state: 'ready', runId: run.id, modelRunId: run.id, stale: [] });
    expect(new Set(snapshot().map((r) => (r as { run_id: string }).run_id))).toEqual(new Set([run.id]));

    const finishedBefore = finishedEvents().length;
    services.runs.use(projectId, firstRunId);
    expect(finishedEvents()).toHaveLength(finishedBefore + 1);
    expect(finishedEvents().at(-1)).toMatchObject({
      state: 'ready',
      runId: run.id,
      modelRunId: firstRunId,
      stale: ['model-changed'],
    });
    // Picking the same model again changes nothing: no event.
    services.runs.use(projectId, firstRunId);
    expect(finishedEvents()).toHaveLength(finishedBefore + 1);
    const again = await services.suggestions.refreshAndWait(projectId);
    expect(again).toMatchObject({ runId: firstRunId, stale: [] });
  });

  it('cannot be made without a model: not-found, code no-model; the status says none', async () => {
    const empty = services.projects.create({ name: 'Empty', inputSize: 28, color: 'gray' }).id;
    expect(services.suggestions.status(empty)).toEqual({
      projectId: empty,
      state: 'none',
      runId: null,
      modelRunId: null,
      computedAt: null,
      count: 0,
      unlabeled: 0,
      stale: [],
      histogram: new Array(100).fill(0),
      progress: null,
      error: null,
    });
    let failure: unknown;
    try {
      services.suggestions.refresh(empty);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(AppFailure);
    expect(failure).toMatchObject({ code: 'not-found', details: { code: 'no-model' } });
    await expect(services.suggestions.refreshAndWait(empty)).rejects.toMatchObject({
      details: { code: 'no-model' },
    });
  });
});
