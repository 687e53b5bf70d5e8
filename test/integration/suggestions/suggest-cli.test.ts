/**
 * `cnn-studio suggest`: the exact JSON shape, thresholds as fractions and percentages, stored suggestions reused
 * until stale or another run is asked for, --accept as one undoable action (undone through the dataset service),
 * the human table and the no-model failure.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../main/services/services';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';
import { CLASSES, writeImageFolders } from './support';

interface Listed {
  imageId: number;
  file: string;
  label: string;
  confidence: number;
}

describe('CLI: suggest', () => {
  let temp: { dir: string; cleanup: () => void };
  let data: string;
  let looseFiles: string[];
  const cli = (...args: string[]) => runCliCaptured(data, ...args);
  /** A --json command: exit 0, one document on stdout, nothing on stderr. */
  const cliJson = async (...args: string[]) => {
    const r = await cli(...args, '--json');
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.err).toBe('');
    return JSON.parse(r.out);
  };
  /** Services over the same data folder, as the app would open it. */
  const withServices = async <T>(use: (s: Services, projectId: string) => T | Promise<T>): Promise<T> => {
    const s = createServices({
      dataDir: data,
      workersDir: path.resolve(__dirname, '../../../out/workers'),
      mediaBaseUrl: '',
      version: '0.0.0-test',
    });
    try {
      return await use(s, s.projects.resolve('Clothes').id);
    } finally {
      await s.dispose();
    }
  };

  beforeAll(async () => {
    temp = makeTempDir('cnn-suggest-cli-');
    data = path.join(temp.dir, 'data');
    const folders = writeImageFolders(temp.dir, 30, 10);
    looseFiles = folders.looseFiles;
    await cliJson('project', 'create', 'Clothes');
    await cliJson('project', 'create', 'Untrained');
    expect((await cliJson('import', 'Clothes', folders.labeled)).imported).toBe(CLASSES.length * 30);
    expect((await cliJson('import', 'Clothes', folders.loose)).imported).toBe(CLASSES.length * 10);
    for (const name of ['first', 'second'])
      await cliJson('train', 'Clothes', '--epochs', '6', '--batch', '16', '--workers', '1', '--name', name);
  }, 240_000);

  afterAll(() => temp?.cleanup());

  it('lists every unlabeled image with exactly imageId, file, label and confidence', async () => {
    const out = await cliJson('suggest', 'Clothes');
    expect(Object.keys(out)).toEqual(['suggestions']);
    const listed = out.suggestions as Listed[];
    expect(listed).toHaveLength(looseFiles.length);
    for (const s of listed) {
      expect(Object.keys(s)).toEqual(['imageId', 'file', 'label', 'confidence']);
      expect(CLASSES).toContain(s.label);
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
    }
    expect(listed.map((s) => s.file).sort()).toEqual([...looseFiles].sort());
    for (let i = 1; i < listed.length; i++)
      expect(listed[i - 1].confidence).toBeGreaterThanOrEqual(listed[i].confidence);
  });

  it('reuses fresh stored suggestions and remakes them for another run', async () => {
    const before = await withServices((s, p) => s.suggestions.status(p));
    expect(before).toMatchObject({ state: 'ready', stale: [] });
    await cliJson('suggest', 'Clothes');
    const same = await withServices((s, p) => s.suggestions.status(p));
    expect(same.computedAt).toBe(before.computedAt);

    const first = await withServices((s, p) => s.runs.resolve(p, 'first').id);
    const viaFirst = (await cliJson('suggest', 'Clothes', '--run', 'first')).suggestions as Listed[];
    expect(viaFirst).toHaveLength(looseFiles.length);
    const after = await withServices((s, p) => s.suggestions.status(p));
    expect(after.runId).toBe(first);
    expect(after.stale).toEqual(['model-changed']); // the project's model is still "second"
    // Without --run the model ("second") is asked for again: remade.
    await cliJson('suggest', 'Clothes');
    expect((await withServices((s, p) => s.suggestions.status(p))).runId).toBe(before.runId);
  });

  it('takes --min-confidence as a fraction or a percentage, and refuses anything else', async () => {
    const all = (await cliJson('suggest', 'Clothes')).suggestions as Listed[];
    const median = all[Math.floor(all.length / 2)].confidence;
    const percent = Math.floor(median * 100);
    const expected = all.filter((s) => s.confidence >= percent / 100);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    const asPercent = (await cliJson('suggest', 'Clothes', '--min-confidence', `${percent}%`)).suggestions;
    const asFraction = (await cliJson('suggest', 'Clothes', '--min-confidence', String(percent / 100)))
      .suggestions;
    expect(asPercent).toEqual(expected);
    expect(asFraction).toEqual(expected);
    for (const bad of ['90', '1.5', '-0.1', 'high', '120%']) {
      const r = await cli('suggest', 'Clothes', '--min-confidence', bad);
      expect(r.code, bad).toBe(2);
      expect(r.err).toMatch(/fraction|percentage/);
    }
  });

  it('--accept labels those images as one action that the dataset can undo', async () => {
    const all = (await cliJson('suggest', 'Clothes')).suggestions as Listed[];
    const threshold = all[Math.floor(all.length / 3)].confidence;
    const expected = all.filter((s) => s.confidence >= threshold);
    const out = await cliJson('suggest', 'Clothes', '--min-confidence', String(threshold), '--accept');
    expect(Object.keys(out)).toEqual(['accepted', 'suggestions']);
    expect(out.accepted).toBe(expected.length);
    expect(out.suggestions).toEqual(expected);

    await withServices((s, p) => {
      for (const x of expected) expect(s.dataset.imageDetails(p, x.imageId).labelName).toBe(x.label);
      expect(s.suggestions.status(p).unlabeled).toBe(all.length - expected.length);
      expect(s.dataset.undoState(p).undoDescription).toBe(`Accept ${expected.length} suggestions`);
      s.dataset.undo(p);
      for (const x of expected) expect(s.dataset.imageDetails(p, x.imageId).labelId).toBeNull();
      expect(s.suggestions.status(p).unlabeled).toBe(all.length);
    });
    // Accepting what is no longer unlabeled accepts nothing and records nothing.
    await cliJson('suggest', 'Clothes', '--accept'); // every one
    const actions = () =>
      withServices((s, p) =>
        s.projects.db(p).prepare('SELECT COUNT(*) FROM actions WHERE undone = 0').pluck().get(),
      );
    const recorded = await actions();
    const again = await cliJson('suggest', 'Clothes', '--accept');
    expect(again).toEqual({ accepted: 0, suggestions: [] });
    expect(await actions()).toBe(recorded);
    await withServices((s, p) => {
      s.dataset.undo(p);
      expect(s.suggestions.status(p).unlabeled).toBe(all.length);
    });
  });

  it('prints a short table and a summary line without --json', async () => {
    const r = await cli('suggest', 'Clothes', '--min-confidence', '0%');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^image\s+file\s+suggested\s+confidence$/);
    expect(lines.length).toBeLessThan(30); // 20 rows at most
    expect(r.out).toMatch(/… 20 more/);
    expect(lines[lines.length - 1]).toMatch(
      new RegExp(
        `^${looseFiles.length} suggestions at or above 0.0 % for ${looseFiles.length} unlabeled images \\(run second\\)`,
      ),
    );
  });

  it('fails clearly without a trained model', async () => {
    const r = await cli('suggest', 'Untrained', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).error.code).toBe('not-found');
    const human = await cli('suggest', 'Untrained');
    expect(human.code).toBe(1);
    expect(human.err).toMatch(/no trained model/);
  });
});
