/**
 * The Predict view's backend end to end, with real services, SQLite, a trained model and its inference worker:
 * batches streamed as events (order, codes, counts, throttling), cancellation, CSV export (quoting and
 * formula-safety), copying into label folders, feedback through the import path, pasted images, and the IPC
 * validation in front of it all.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionFinished, PredictionItem, PredictionProgress } from '../../../app/domain/prediction';
import { AppFailure } from '../../../app/ipc/result';
import { dispatchInvoke } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handler-table';
import { safeFolderName } from '../../../main/services/prediction/batch-output';
import { createServices, type EventSink, type Services } from '../../../main/services/services';
import { makeTempDir } from '../../support/temp-dir';
import { quickSettings, SMALL_SET } from '../training/support';

/** Class folders of the training set, renamed to labels a spreadsheet would run as formulas. */
const CLASSES: Record<string, string> = {
  Bag: '+Bag',
  Sneaker: '-Sneaker',
  Trouser: '=Trouser',
  Dress: '@Dress',
};
const LABELS = Object.values(CLASSES);

interface Recorded {
  at: number;
  channel: string;
  payload: unknown;
}

/** A tiny RFC 4180 reader (quoted cells, doubled quotes, CRLF), enough to read our CSV back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe('prediction batches', () => {
  let temp: { dir: string; cleanup: () => void };
  let services: Services;
  let projectId: string;
  let images: string;
  let big: string;
  let medium: string;
  const recorded: Recorded[] = [];
  const table = createHandlerTable();

  const eventsOf = (batchId: string) =>
    recorded.filter((r) => (r.payload as { batchId?: string }).batchId === batchId);
  const progressOf = (batchId: string) =>
    eventsOf(batchId)
      .filter((r) => r.channel === 'prediction:progress')
      .map((r) => r.payload as PredictionProgress);
  const finishedOf = (batchId: string) =>
    eventsOf(batchId)
      .filter((r) => r.channel === 'prediction:finished')
      .map((r) => r.payload as PredictionFinished);
  const itemsOf = (batchId: string) => progressOf(batchId).flatMap((p) => p.items);

  beforeAll(async () => {
    temp = makeTempDir('cnn-prediction-batch-');
    const sink: EventSink = {
      emit: (channel, payload) => void recorded.push({ at: performance.now(), channel, payload }),
    };
    services = createServices(
      {
        dataDir: path.join(temp.dir, 'data'),
        workersDir: path.resolve(__dirname, '../../../out/workers'),
        mediaBaseUrl: 'http://127.0.0.1:0/media',
        version: '0.0.0-test',
      },
      sink,
    );
    // Training images: 30 per class under the formula-like label names.
    const src = path.join(temp.dir, 'src');
    images = path.join(temp.dir, 'images');
    for (const [cls, label] of Object.entries(CLASSES)) {
      const from = path.join(SMALL_SET, 'train', cls);
      fs.mkdirSync(path.join(src, label), { recursive: true });
      for (const f of fs.readdirSync(from).sort().slice(0, 30))
        fs.copyFileSync(path.join(from, f), path.join(src, label, f));
      const test = path.join(SMALL_SET, 'test', cls);
      fs.mkdirSync(path.join(images, cls), { recursive: true });
      for (const f of fs.readdirSync(test).sort().slice(0, 3))
        fs.copyFileSync(path.join(test, f), path.join(images, cls, f));
    }
    fs.writeFileSync(
      path.join(images, 'Bag', 'broken.png'),
      // A real PNG cut in half: a damaged image, not another kind of file.
      ((png: Buffer) => png.subarray(0, png.length >> 1))(
        fs.readFileSync(
          path.join(
            SMALL_SET,
            'test',
            'Coat',
            fs.readdirSync(path.join(SMALL_SET, 'test', 'Coat')).sort()[5],
          ),
        ),
      ),
    );
    fs.writeFileSync(path.join(images, 'notes.txt'), 'not an image');
    // A file name a spreadsheet would run, with a comma and quotes (RFC 4180 quoting).
    fs.copyFileSync(
      path.join(SMALL_SET, 'test', 'Bag', fs.readdirSync(path.join(SMALL_SET, 'test', 'Bag')).sort()[0]),
      path.join(images, '=HYPERLINK("evil.example","x"),1.png'),
    );
    // A large folder for cancelling: hard links to one photo-sized JPEG under distinct names.
    big = path.join(temp.dir, 'big');
    fs.mkdirSync(big);
    const photo = path.join(temp.dir, 'photo.jpg');
    await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#808080' } })
      .composite([
        {
          input: await sharp({ create: { width: 400, height: 400, channels: 3, background: '#203040' } })
            .png()
            .toBuffer(),
          left: 300,
          top: 200,
        },
      ])
      .jpeg({ quality: 90 })
      .toFile(photo);
    for (let i = 0; i < 3000; i++)
      fs.linkSync(photo, path.join(big, `photo-${String(i).padStart(4, '0')}.jpg`));
    medium = path.join(temp.dir, 'medium');
    fs.mkdirSync(medium);
    for (let i = 0; i < 400; i++)
      fs.linkSync(photo, path.join(medium, `photo-${String(i).padStart(4, '0')}.jpg`));

    projectId = services.projects.create({ name: 'Formulas', inputSize: 28, color: 'gray' }).id;
    const summary = await services.dataset.importAndWait(projectId, { paths: [src] });
    expect(summary.imported).toBe(30 * LABELS.length);
    const run = services.training.start(projectId, quickSettings({ epochs: 1, workers: 1 }), 'quick');
    const { run: done } = await services.training.waitFor(projectId, run.id);
    expect(done.status).toBe('completed');
  }, 120_000);

  afterAll(async () => {
    await services?.dispose();
    temp?.cleanup();
  });

  /** Starts a batch and waits for its finished event. */
  async function batch(
    paths: string[],
    topK = 5,
  ): Promise<{ batchId: string; finished: PredictionFinished }> {
    const { batchId } = services.prediction.startBatch(projectId, { projectId }, paths, topK);
    await services.prediction.waitForBatch(batchId);
    const finished = finishedOf(batchId);
    expect(finished).toHaveLength(1);
    return { batchId, finished: finished[0] };
  }

  it('streams a batch: every item once with its index, in the order predictFiles gives, codes for bad files', async () => {
    const missing = path.join(temp.dir, 'missing.png');
    const notes = path.join(images, 'notes.txt');
    const inputs = [images, notes, missing];
    const { batchId, finished } = await batch(inputs, 3);

    const progress = progressOf(batchId);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const total = progress[progress.length - 1].total;
    expect(total).toBe(LABELS.length * 3 + 1 + 1 + 2); // the images, broken.png, =HYPERLINK….png, notes, missing
    // The first event carries the total (before any prediction); done only grows; the last one is complete.
    expect(progress[0].total).toBe(total);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);
    expect(progress[progress.length - 1].done).toBe(total);
    // The finished event comes after every progress event.
    const events = eventsOf(batchId);
    expect(events[events.length - 1].channel).toBe('prediction:finished');

    const items = itemsOf(batchId);
    expect(items.map((i) => i.index).sort((a, b) => a - b)).toEqual(
      Array.from({ length: total }, (_, i) => i),
    );
    const ordered = [...items].sort((a, b) => a.index - b.index);
    const expected = await services.prediction.predictFiles({ projectId }, inputs, { topK: 3 });
    expect(ordered.map((i) => i.file)).toEqual(expected.map((p) => p.file));
    for (const [k, item] of ordered.entries()) {
      const p = expected[k];
      expect(item.name).toBe(path.basename(item.file));
      if (item.ok) {
        expect('top' in p && p.top).toEqual(item.top);
        expect(item.top).toHaveLength(3);
        for (const t of item.top) expect(LABELS).toContain(t.label);
      } else {
        expect('error' in p && p.error).toBe(item.detail);
      }
    }
    const failures = Object.fromEntries(
      ordered.filter((i) => !i.ok).map((i) => [path.basename(i.file), (i as { code: string }).code]),
    );
    expect(failures).toEqual({
      'broken.png': 'decode-failed',
      'notes.txt': 'not-an-image',
      'missing.png': 'not-found',
    });

    expect(finished).toMatchObject({
      projectId,
      status: 'completed',
      total,
      predicted: total - 3,
      failed: 3,
    });
    expect(finished.imagesPerSecond).toBeGreaterThan(0);
    expect(finished.error).toBeUndefined();
  });

  it('sends progress at most ~10×/s, then a final flush', async () => {
    const { batchId } = await batch([medium], 1);
    const times = eventsOf(batchId)
      .filter((r) => r.channel === 'prediction:progress')
      .map((r) => r.at);
    expect(times.length).toBeGreaterThan(3);
    // Every gap but the final flush's is at least the interval (a little timer slack allowed).
    for (let i = 1; i < times.length - 1; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(90);
    const items = itemsOf(batchId);
    expect(items).toHaveLength(400);
    expect(new Set(items.map((i) => i.index)).size).toBe(400);
  }, 120_000);

  it('cancels a running batch; a new batch in the project cancels the running one', async () => {
    const { batchId } = services.prediction.startBatch(projectId, { projectId: projectId }, [big], 5);
    await new Promise<void>((resolve) => {
      const tick = () => (itemsOf(batchId).length > 0 ? resolve() : setTimeout(tick, 5));
      tick();
    });
    const t0 = performance.now();
    expect(services.prediction.cancelBatch(batchId)).toEqual({ cancelled: true });
    expect(services.prediction.cancelBatch(batchId)).toEqual({ cancelled: false });
    expect(await services.prediction.waitForBatch(batchId)).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(2000);
    const [finished] = finishedOf(batchId);
    expect(finished.status).toBe('cancelled');
    expect(finished.total).toBe(3000);
    expect(finished.predicted + finished.failed).toBeLessThan(3000);
    expect(finished.predicted + finished.failed).toBe(itemsOf(batchId).length);
    const progress = progressOf(batchId);
    expect(progress[progress.length - 1].done).toBe(finished.predicted + finished.failed);
    // No event after the finished one.
    await new Promise((r) => setTimeout(r, 250));
    const events = eventsOf(batchId);
    expect(events[events.length - 1].channel).toBe('prediction:finished');

    const first = services.prediction.startBatch(projectId, { projectId: projectId }, [big], 5);
    const second = services.prediction.startBatch(
      projectId,
      { projectId: projectId },
      [path.join(images, 'Bag')],
      5,
    );
    expect(await services.prediction.waitForBatch(first.batchId)).toBe('cancelled');
    expect(await services.prediction.waitForBatch(second.batchId)).toBe('completed');
    expect(services.prediction.cancelBatch(second.batchId)).toEqual({ cancelled: false });
  }, 60_000);

  it('refuses a project without a model at once, with details.code no-model', async () => {
    const empty = services.projects.create({ name: 'Untrained', inputSize: 28, color: 'gray' }).id;
    let error: unknown;
    try {
      services.prediction.startBatch(empty, { projectId: empty }, [images], 5);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).details).toEqual({ code: 'no-model' });
    const r = await dispatchInvoke(table, services, 'prediction:start', {
      projectId: empty,
      paths: [images],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'not-found', details: { code: 'no-model' } });
  });

  it('exports CSV: header, one row per item, quoted and formula-safe cells, atomically', async () => {
    const { batchId } = await batch([images], LABELS.length);
    const items = services.prediction.batchItems(batchId);
    const out = path.join(temp.dir, 'csv');
    fs.mkdirSync(out);
    const file = path.join(out, 'predictions.csv');
    fs.writeFileSync(file, 'old content');
    expect(services.prediction.exportCsv(batchId, file)).toEqual({ file, rows: items.length });
    expect(fs.readdirSync(out)).toEqual(['predictions.csv']); // no temporary file left
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFFpath,predicted_label,probability,top_k,error\r\n')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(['path', 'predicted_label', 'probability', 'top_k', 'error']);
    expect(rows).toHaveLength(items.length + 1);
    // No cell starts a formula.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const unescape = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);
    for (const [k, item] of items.entries()) {
      const row = rows[k + 1];
      expect(row).toHaveLength(5);
      expect(row[0]).toBe(item.file);
      if (item.ok) {
        // Every label starts with a formula character: the apostrophe is always there.
        expect(row[1]).toBe(`'${item.top[0].label}`);
        expect(row[2]).toBe(item.top[0].probability.toFixed(4));
        expect(row[3]).toBe(`'${item.top.map((t) => `${t.label}:${t.probability.toFixed(4)}`).join('; ')}`);
        expect(unescape(row[3]).split('; ')).toHaveLength(LABELS.length);
        expect(row[4]).toBe('');
      } else {
        expect(row.slice(1, 4)).toEqual(['', '', '']);
        expect(row[4]).toBe(item.detail);
      }
    }
    // The file named like a formula, with a comma and quotes, is one quoted cell that reads back exactly.
    const hyper = path.join(images, '=HYPERLINK("evil.example","x"),1.png');
    expect(rows.some((r) => r[0] === hyper)).toBe(true);
    expect(text).toContain(`"${hyper.replace(/"/g, '""')}"`);

    await expect(async () => services.prediction.exportCsv(batchId, 'relative.csv')).rejects.toThrow(
      /absolute/,
    );
    await expect(async () => services.prediction.exportCsv(batchId, path.join(out, 'x.txt'))).rejects.toThrow(
      /\.csv/,
    );
    await expect(async () =>
      services.prediction.exportCsv(batchId, path.join(out, 'nowhere', 'x.csv')),
    ).rejects.toThrow(/No such folder/);
    const unknown = await dispatchInvoke(table, services, 'prediction:exportCsv', {
      batchId: '00000000-0000-4000-8000-000000000000',
      file: path.join(out, 'y.csv'),
    });
    expect(!unknown.ok && unknown.error.code).toBe('not-found');
  });

  it('copies predicted images into label folders; a name clash gets " (2)", nothing is overwritten', async () => {
    const { batchId } = await batch([images], 2);
    const items = services.prediction.batchItems(batchId).filter((i) => i.ok) as (PredictionItem & {
      ok: true;
    })[];
    const dir = path.join(temp.dir, 'sorted');
    // A file already where the first image would go.
    const first = items[0];
    const clashDir = path.join(dir, safeFolderName(first.top[0].label));
    fs.mkdirSync(clashDir, { recursive: true });
    fs.writeFileSync(path.join(clashDir, first.name), 'keep me');

    const r = await services.prediction.copyToFolders(batchId, dir);
    expect(r).toEqual({ dir, copied: items.length, failed: 0 });
    expect(fs.readFileSync(path.join(clashDir, first.name), 'utf8')).toBe('keep me');
    const ext = path.extname(first.name);
    const renamed = path.join(clashDir, `${first.name.slice(0, -ext.length)} (2)${ext}`);
    expect(fs.readFileSync(renamed)).toEqual(fs.readFileSync(first.file));
    for (const item of items.slice(1)) {
      const target = path.join(dir, safeFolderName(item.top[0].label), item.name);
      expect(fs.readFileSync(target)).toEqual(fs.readFileSync(item.file));
    }
    // Only label folders at the top; their names are the labels (these are safe as they are).
    for (const name of fs.readdirSync(dir)) expect(LABELS).toContain(name);

    // Again: every file gets a new name, nothing is replaced.
    const again = await services.prediction.copyToFolders(batchId, dir);
    expect(again.copied).toBe(items.length);
    const count = fs.readdirSync(dir).reduce((n, d) => n + fs.readdirSync(path.join(dir, d)).length, 0);
    expect(count).toBe(2 * items.length + 1);
  });

  it('makes labels safe folder names that stay inside the folder', () => {
    expect(safeFolderName('..')).toBe('_');
    expect(safeFolderName('.')).toBe('_');
    expect(safeFolderName('../etc')).toBe('_._etc');
    expect(safeFolderName('a/b\\c')).toBe('a_b_c');
    expect(safeFolderName('CON')).toBe('_CON');
    expect(safeFolderName('lpt1.txt')).toBe('_lpt1.txt');
    expect(safeFolderName('cat. ')).toBe('cat');
    expect(safeFolderName('what?*:<>|"')).toBe('what_______');
    expect(safeFolderName('+Bag')).toBe('+Bag');
    expect(safeFolderName('x'.repeat(300))).toHaveLength(100);
    for (const label of ['..', '../..', '/abs', 'C:\\x', '\u0000', ' ', 'nul'])
      expect(path.relative('/root', path.join('/root', safeFolderName(label)))).not.toMatch(/^\.\.|^$/);
  });

  it('adds a predicted image to the dataset through import: added, then duplicate, then a conflict', async () => {
    const file = path.join(
      SMALL_SET,
      'test',
      'Coat',
      fs.readdirSync(path.join(SMALL_SET, 'test', 'Coat')).sort()[0],
    );
    const before = recorded.length;
    const added = await services.prediction.addToDataset(projectId, file, ' +Bag ');
    expect(added).toMatchObject({ outcome: 'added', label: '+Bag' });
    expect(added.imageId).toEqual(expect.any(Number));
    const details = services.dataset.imageDetails(projectId, added.imageId as number);
    expect(details).toMatchObject({ labelName: '+Bag' });
    expect(recorded.slice(before).some((r) => r.channel === 'dataset:changed')).toBe(true);

    const again = await services.prediction.addToDataset(projectId, file, '+Bag');
    expect(again).toEqual({ outcome: 'duplicate', label: '+Bag', imageId: added.imageId });
    const copy = path.join(temp.dir, 'copy-of-coat.png');
    fs.copyFileSync(file, copy);
    const conflict = await services.prediction.addToDataset(projectId, copy, '-Sneaker');
    expect(conflict).toMatchObject({ outcome: 'duplicate', label: '+Bag', imageId: added.imageId });
    expect(conflict.reason).toMatch(/conflict/);

    const broken = await services.prediction.addToDataset(
      projectId,
      path.join(images, 'Bag', 'broken.png'),
      '+Bag',
    );
    expect(broken).toMatchObject({ outcome: 'failed', imageId: null });
    expect(broken.reason).toMatch(/corrupt|truncated|PNG/i);
    const badLabel = await dispatchInvoke(table, services, 'prediction:addToDataset', {
      projectId,
      file,
      label: 'a/b',
    });
    expect(!badLabel.ok && badLabel.error.code).toBe('invalid-name');
  });

  it('saves a pasted image under the data folder and predicts it; refuses bytes that are not an image', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const r = await dispatchInvoke(table, services, 'prediction:savePasted', {
      projectId,
      base64: png.toString('base64'),
    });
    expect(r.ok).toBe(true);
    const file = (r as { value: { file: string } }).value.file;
    const pasted = path.join(services.config.dataDir, 'pasted');
    expect(path.dirname(file)).toBe(pasted);
    expect(path.basename(file)).toMatch(/^[0-9a-f]{64}\.png$/);
    expect(fs.readFileSync(file)).toEqual(png);
    expect(await services.prediction.savePasted(projectId, png.toString('base64'))).toEqual({ file });
    const jpeg = await sharp(png).jpeg().toBuffer();
    const j = await services.prediction.savePasted(projectId, jpeg.toString('base64'));
    expect(j.file.endsWith('.jpg')).toBe(true);
    const { batchId, finished } = await batch([file, j.file]);
    expect(finished).toMatchObject({ status: 'completed', predicted: 2, failed: 0 });
    expect(itemsOf(batchId).every((i) => i.ok)).toBe(true);

    for (const bytes of [Buffer.from('hello, not an image at all'), await sharp(png).tiff().toBuffer()]) {
      const bad = await dispatchInvoke(table, services, 'prediction:savePasted', {
        projectId,
        base64: bytes.toString('base64'),
      });
      expect(bad.ok).toBe(false);
      if (!bad.ok)
        expect(bad.error).toMatchObject({ code: 'invalid-payload', details: { code: 'not-an-image' } });
    }
    expect(fs.readdirSync(pasted)).toHaveLength(2);
  });

  it('validates payloads before the service: bad ones fail as invalid-payload', async () => {
    const cases: [string, unknown][] = [
      ['prediction:start', { projectId, paths: [] }],
      ['prediction:start', { projectId, paths: [images], topK: 0 }],
      ['prediction:start', { projectId, paths: [images], extra: 1 }],
      ['prediction:start', { projectId: '../x', paths: [images] }],
      ['prediction:cancel', { batchId: 'not-a-batch' }],
      ['prediction:savePasted', { projectId, base64: 'not base64!' }],
      ['prediction:exportCsv', { batchId: 'x', file: '/tmp/x.csv' }],
      ['prediction:copyToFolders', { batchId: '00000000-0000-4000-8000-000000000000' }],
      ['prediction:addToDataset', { projectId, file: images, label: '   ' }],
    ];
    for (const [channel, payload] of cases) {
      const r = await dispatchInvoke(table, services, channel, payload);
      expect(r.ok, `${channel} ${JSON.stringify(payload)}`).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid-payload');
    }
    // A relative path passes the schema but not the service.
    const rel = await dispatchInvoke(table, services, 'prediction:start', { projectId, paths: ['images'] });
    expect(!rel.ok && rel.error.code).toBe('invalid-payload');
    // A good start through the table works and finishes.
    const ok = await dispatchInvoke(table, services, 'prediction:start', {
      projectId,
      paths: [images],
      topK: 2,
    });
    expect(ok.ok).toBe(true);
    const { batchId } = (ok as { value: { batchId: string } }).value;
    expect(await services.prediction.waitForBatch(batchId)).toBe('completed');
    const cancel = await dispatchInvoke(table, services, 'prediction:cancel', { batchId });
    expect(cancel).toEqual({ ok: true, value: { cancelled: false } });
    // explain goes to the Grad-CAM code with the project's model.
    const file = services.prediction.batchItems(batchId).find((i) => i.ok)?.file as string;
    const explained = await dispatchInvoke(table, services, 'prediction:explain', {
      projectId,
      file,
      topK: 2,
    });
    expect(explained.ok, JSON.stringify(explained)).toBe(true);
    if (explained.ok) {
      const value = explained.value as { file: string; top: { label: string }[] };
      expect(value.top.map((t) => t.label)).toEqual(
        (
          services.prediction.batchItems(batchId).find((i) => i.file === file) as { top: { label: string }[] }
        ).top.map((t) => t.label),
      );
    }
  });

  it('predicts with a model file (prediction:model warms and describes it); refuses a bad one', async () => {
    const model = services.runs.modelRun(projectId);
    const runModel = path.join(services.projects.projectDir(projectId), 'runs', model!.id, 'final.model');
    const modelFile = path.join(temp.dir, 'copied.cnnmodel');
    fs.copyFileSync(runModel, modelFile);

    const info = await dispatchInvoke(table, services, 'prediction:model', { projectId, modelFile });
    expect(info.ok, JSON.stringify(info)).toBe(true);
    if (info.ok) {
      const v = info.value as { labels: string[]; inputSize: number; color: string; file: string };
      expect([...v.labels].sort()).toEqual([...LABELS].sort());
      expect([v.inputSize, v.color, v.file]).toEqual([28, 'gray', modelFile]);
    }
    // the file's predictions are the project model's
    // (one after the other: a new batch of a project cancels its running one)
    const fromFile = services.prediction.startBatch(projectId, { modelFile }, [images], 3);
    expect(await services.prediction.waitForBatch(fromFile.batchId)).toBe('completed');
    const fromProject = services.prediction.startBatch(projectId, { projectId }, [images], 3);
    expect(await services.prediction.waitForBatch(fromProject.batchId)).toBe('completed');
    const tops = (id: string) =>
      services.prediction.batchItems(id).map((i) => (i.ok ? i.top.map((t) => t.label).join() : i.code));
    expect(tops(fromFile.batchId)).toEqual(tops(fromProject.batchId));

    const notModel = path.join(temp.dir, 'not-a-model.cnnmodel');
    fs.writeFileSync(notModel, 'hello');
    const bad = await dispatchInvoke(table, services, 'prediction:model', { projectId, modelFile: notModel });
    expect(!bad.ok && [bad.error.code, (bad.error.details as { code?: string })?.code]).toEqual([
      'invalid-payload',
      'bad-model-file',
    ]);
    const missing = await dispatchInvoke(table, services, 'prediction:model', {
      projectId,
      modelFile: path.join(temp.dir, 'nowhere.cnnmodel'),
    });
    expect(!missing.ok && (missing.error.details as { code?: string })?.code).toBe('model-file-missing');
    const both = await dispatchInvoke(table, services, 'prediction:start', {
      projectId,
      runId: model!.id,
      modelFile,
      paths: [images],
    });
    expect(!both.ok && both.error.code).toBe('invalid-payload');
  });
});
