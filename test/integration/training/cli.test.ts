import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';
import { FASHION_SMALL } from '../../unit/dataset/fixtures';

const repo = path.resolve(__dirname, '../../..');
const CLASSES = ['Bag', 'Sneaker', 'Trouser'];
const EPOCH_KEYS = ['epoch', 'trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'seconds'];

/** Copies the first `n` images of each class folder of `from` into `to/<class>`. */
function copyClasses(from: string, to: string, classes: string[], n: number): void {
  for (const cls of classes) {
    fs.mkdirSync(path.join(to, cls), { recursive: true });
    for (const file of fs.readdirSync(path.join(from, cls)).sort().slice(0, n)) {
      fs.copyFileSync(path.join(from, cls, file), path.join(to, cls, file));
    }
  }
}

describe('CLI: train, evaluate, runs', () => {
  let temp: { dir: string; cleanup: () => void };
  let data: string;
  let evalDir: string;
  let unknownDir: string;
  const cli = (...args: string[]) => runCliCaptured(data, ...args);
  /** Runs a --json command and checks stdout is exactly one JSON document and stderr is silent. */
  const cliJson = async (...args: string[]) => {
    const r = await cli(...args, '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe(''); // no progress output: stderr is not a terminal here
    return JSON.parse(r.out); // throws on anything besides one document
  };

  beforeAll(async () => {
    temp = makeTempDir('cnn-train-cli-');
    data = path.join(temp.dir, 'data');
    const src = path.join(temp.dir, 'src');
    evalDir = path.join(temp.dir, 'eval');
    unknownDir = path.join(temp.dir, 'eval-unknown');
    copyClasses(path.join(FASHION_SMALL, 'train'), src, CLASSES, 30);
    copyClasses(path.join(FASHION_SMALL, 'test'), evalDir, CLASSES, 8);
    copyClasses(path.join(FASHION_SMALL, 'test'), unknownDir, ['Bag', 'Coat'], 4);
    fs.renameSync(path.join(unknownDir, 'Coat'), path.join(unknownDir, 'Unicorn'));
    expect((await cli('project', 'create', 'Clothes')).code).toBe(0);
    expect((await cli('project', 'create', 'Empty')).code).toBe(0);
    const imported = await cliJson('import', 'Clothes', src);
    expect(imported.imported).toBe(90);
    const split = await cliJson('dataset', 'split', 'Clothes', '--ratios', '0.7,0.15,0.15', '--seed', '1');
    expect(split.perSplit.val).toBeGreaterThan(0);
  });
  afterAll(() => temp.cleanup());

  it('rejects bad usage with exit code 2 and starts nothing', async () => {
    const spec = path.join(temp.dir, 'spec.json');
    fs.writeFileSync(spec, JSON.stringify({ layers: [{ type: 'flatten' }] }));
    const bad: [string[], RegExp][] = [
      [['train', 'Clothes', '--preset', 'small', '--spec', spec], /cannot be used with/],
      [['train', 'Clothes', '--epochs', '0'], /--epochs.*whole number from 1 to 1000/],
      [['train', 'Clothes', '--epochs', 'two'], /whole number/],
      [['train', 'Clothes', '--epochs', '1.5'], /whole number/],
      [['train', 'Clothes', '--batch', '0'], /--batch/],
      [['train', 'Clothes', '--lr', '-1'], /--lr.*above 0/],
      [['train', 'Clothes', '--lr', 'fast'], /--lr/],
      [['train', 'Clothes', '--optimizer', 'rmsprop'], /adam, adamw, sgd/],
      [['train', 'Clothes', '--preset', 'huge'], /small, medium, large, reference/],
      [['train', 'Clothes', '--workers', '0'], /--workers/],
      [['train', 'Clothes', '--seed', '-3'], /--seed/],
      [['train', 'Clothes', '--resume', '--epochs', '3'], /cannot be used with/],
      [['evaluate', 'Clothes', evalDir, '--split', 'val'], /FOLDER or --split/],
      [['evaluate', 'Clothes', '--split', 'holdout'], /val, test/],
      [['runs', 'use', 'Clothes'], /RUN or --latest/],
      [['runs', 'use', 'Clothes', 'run-1', '--latest'], /RUN or --latest/],
      [['runs', 'show', 'Clothes'], /missing required argument/],
    ];
    for (const [args, message] of bad) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
    }
    const json = await cli('train', 'Clothes', '--epochs', '0', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toEqual({ error: { code: 'usage', message: expect.any(String) } });
    expect(await cliJson('runs', 'list', 'Clothes')).toEqual([]);
  });

  it('fails clearly (exit 1) on a project without labels, a bad --spec and nothing to resume', async () => {
    const empty = await cli('train', 'Empty', '--json');
    expect(empty.code).toBe(1);
    expect(JSON.parse(empty.out).error).toEqual({
      code: 'invalid-payload',
      message: expect.stringMatching(/^Cannot train: No labeled images in the train split/),
    });
    expect(empty.err).toMatch(/^error: Cannot train: No labeled images/);
    expect((await cli('import', 'Empty', path.join(temp.dir, 'src', 'Bag'), '--label', 'Bag')).code).toBe(0);
    const oneClass = await cli('train', 'Empty');
    expect([oneClass.code, oneClass.err]).toEqual([1, expect.stringMatching(/at least two classes.*"Bag"/)]);

    const huge = path.join(temp.dir, 'huge.json');
    fs.writeFileSync(huge, JSON.stringify({ layers: [{ type: 'conv2d', filters: 2, kernelSize: 40 }] }));
    const unfit = await cli('train', 'Clothes', '--spec', huge);
    expect(unfit.code).toBe(1);
    expect(unfit.err).toMatch(/^error: Cannot train: the model does not fit the project: /);

    const notJson = path.join(temp.dir, 'not.json');
    fs.writeFileSync(notJson, '{ layers: ');
    expect((await cli('train', 'Clothes', '--spec', notJson)).err).toMatch(/not JSON/);
    const typo = path.join(temp.dir, 'typo.json');
    fs.writeFileSync(typo, JSON.stringify({ layers: [{ type: 'flatten' }, { type: 'dens', units: 4 }] }));
    const typoRun = await cli('train', 'Clothes', '--spec', typo);
    expect(typoRun.code).toBe(1);
    expect(typoRun.err).toMatch(/--spec .*typo\.json: layer 2/);
    const missing = await cli('train', 'Clothes', '--spec', path.join(temp.dir, 'nope.json'));
    expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/cannot read it \(ENOENT\)/)]);

    const noModel = await cli('evaluate', 'Clothes');
    expect([noModel.code, noModel.err]).toEqual([
      1,
      expect.stringMatching(/no trained model yet.*train Clothes/),
    ]);

    const resume = await cli('train', 'Clothes', '--resume');
    expect(resume.code).toBe(1);
    expect(resume.err).toMatch(/Nothing to resume/);
    expect(resume.out).toBe('');
    expect(await cliJson('runs', 'list', 'Clothes')).toEqual([]);
  });

  it('trains, lists, renames, evaluates, picks and deletes runs', async () => {
    const first = await cliJson(
      'train',
      'Clothes',
      '--preset',
      'reference',
      '--epochs',
      '2',
      '--workers',
      '1',
      '--seed',
      '7',
    );
    expect(first).toMatchObject({
      runId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'completed',
      resumedFrom: null,
      best: { epoch: expect.any(Number), valAccuracy: expect.any(Number) },
      imagesPerSecond: expect.any(Number),
      failure: null,
      preset: 'reference',
    });
    expect(first.epochs).toHaveLength(2);
    first.epochs.forEach((e: Record<string, number>, i: number) => {
      expect(e.epoch).toBe(i + 1);
      for (const key of EPOCH_KEYS) expect(Number.isFinite(e[key]), key).toBe(true);
    });
    expect(first.imagesPerSecond).toBeGreaterThan(0);
    expect(first.dataset.classNames.sort()).toEqual(CLASSES);

    let list = await cliJson('runs', 'list', 'Clothes');
    expect(list).toEqual([
      expect.objectContaining({ id: first.runId, status: 'completed', epochsDone: 2, isModel: true }),
    ]);
    const human = await cli('runs', 'list', 'Clothes');
    expect(human.out).toMatch(new RegExp(`^\\* +${first.name} +completed +reference +2/2`, 'm'));

    expect(await cliJson('runs', 'rename', 'Clothes', first.name, 'baseline')).toMatchObject({
      id: first.runId,
      name: 'baseline',
    });
    const shown = await cliJson('runs', 'show', 'Clothes', 'baseline');
    expect(shown).toMatchObject({ id: first.runId, settings: { epochs: 2, seed: 7, workers: 1 } });
    expect((await cli('runs', 'show', 'Clothes', 'baseline')).out).toMatch(/optimizer: adam/);

    // evaluation on a split, by run name, and as human text with label names
    const val = await cliJson('evaluate', 'Clothes', '--run', 'baseline');
    expect(val).toMatchObject({ runId: first.runId, split: 'val' });
    expect(val.accuracy).toBeGreaterThanOrEqual(0);
    expect(val.accuracy).toBeLessThanOrEqual(1);
    expect(val.perClass.map((p: { label: string }) => p.label).sort()).toEqual(CLASSES);
    expect(val.confusion.labels.sort()).toEqual(CLASSES);
    const cells = val.confusion.matrix.flat().reduce((a: number, b: number) => a + b, 0);
    expect(cells).toBe(val.count);
    const support = val.perClass.reduce((a: number, p: { support: number }) => a + p.support, 0);
    expect(support).toBe(val.count);
    const text = await cli('evaluate', 'Clothes', '--split', 'test');
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/^baseline on the test split: accuracy [\d.]+ % of \d+ images/);
    expect(text.out).toMatch(/^Trouser +[\d.]+ +[\d.]+ +[\d.]+ +\d+$/m);
    expect(text.out).toMatch(/Confusion matrix \(rows: true label/);

    // a folder of class folders, not imported; unknown folder names are listed
    const folder = await cliJson('evaluate', 'Clothes', evalDir);
    expect(folder).toMatchObject({ split: 'folder', count: 24 });
    expect(folder.perClass.map((p: { support: number }) => p.support)).toEqual([8, 8, 8]);
    const unknown = await cli('evaluate', 'Clothes', unknownDir);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/not classes of the model: Unicorn/);
    expect((await cliJson('dataset', 'stats', 'Clothes')).total).toBe(90);

    // a second run with a custom model from --spec (a full ModelSpec: its classifier is replaced)
    const spec = path.join(temp.dir, 'custom.json');
    fs.writeFileSync(
      spec,
      JSON.stringify({
        input: { height: 28, width: 28, channels: 1 },
        layers: [
          { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
          { type: 'relu' },
          { type: 'maxPool2d', size: 2 },
          { type: 'flatten' },
          { type: 'dense', units: 10 },
        ],
        numClasses: 10,
      }),
    );
    const custom = await cliJson('train', 'Clothes', '--spec', spec, '--epochs', '1', '--workers', '1');
    expect(custom).toMatchObject({ status: 'completed', preset: 'custom', isModel: true });
    const customSpec = (await cliJson('runs', 'show', 'Clothes', custom.runId)).spec;
    expect(customSpec.layers.at(-1)).toEqual({ type: 'dense', units: 3 });

    // the model: newest completed by default, `runs use` picks another, `--latest` goes back
    expect(await cliJson('runs', 'use', 'Clothes', 'baseline')).toMatchObject({
      id: first.runId,
      isModel: true,
    });
    expect((await cliJson('evaluate', 'Clothes')).runId).toBe(first.runId);
    expect(await cliJson('runs', 'use', 'Clothes', '--latest')).toMatchObject({ id: custom.runId });

    const refused = await cli('runs', 'delete', 'Clothes', custom.runId);
    expect([refused.code, refused.err]).toEqual([1, expect.stringMatching(/--yes/)]);
    expect(await cliJson('runs', 'delete', 'Clothes', custom.name, '--yes')).toMatchObject({
      deleted: true,
      id: custom.runId,
      model: { id: first.runId },
    });
    list = await cliJson('runs', 'list', 'Clothes');
    expect(list.map((r: { id: string; isModel: boolean }) => [r.id, r.isModel])).toEqual([
      [first.runId, true],
    ]);
    const gone = await cli('runs', 'show', 'Clothes', custom.runId);
    expect(gone.code).toBe(1);
  });

  it('Ctrl-C pauses the run with a checkpoint; --resume finishes it', async () => {
    const bin = path.join(repo, 'bin/cnn-studio.js');
    expect(fs.existsSync(path.join(repo, 'out/cli/index.js')), 'run `npm run build` first').toBe(true);
    const child = spawn(
      process.execPath,
      [
        bin,
        '--data-dir',
        data,
        'train',
        'Clothes',
        '--preset',
        'reference',
        '--epochs',
        '40',
        '--workers',
        '1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // wait until a checkpointed epoch exists, then interrupt
    for (let i = 0; ; i++) {
      const runs = (await cli('runs', 'list', 'Clothes', '--json')).json() as {
        status: string;
        epochsDone: number;
      }[];
      const active = runs.find((r) => r.status === 'running');
      if (active && active.epochsDone >= 1) break;
      expect(i, `the run did not start: ${err}`).toBeLessThan(400);
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/Paused run-\d+.*Resume it with: cnn-studio --data-dir \S+ train Clothes --resume/);
    const paused = (await cliJson('runs', 'list', 'Clothes'))[0];
    // paused by Ctrl-C; once that process has exited the run is listed as interrupted (resumable either way)
    expect(paused).toMatchObject({
      status: expect.stringMatching(/^(paused|interrupted)$/),
      resumable: true,
    });
    expect(paused.epochsDone).toBeLessThan(40);

    const resumed = await cliJson('train', 'Clothes', '--resume');
    expect(resumed).toMatchObject({
      runId: paused.id,
      status: 'completed',
      resumedFrom: { epoch: expect.any(Number) },
    });
    expect(resumed.resumedFrom.epoch).toBeGreaterThanOrEqual(1);
    expect(resumed.epochs).toHaveLength(40);
    expect(resumed.epochs.map((e: { epoch: number }) => e.epoch)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    const again = await cli('train', 'Clothes', '--resume');
    expect([again.code, again.err]).toEqual([1, expect.stringMatching(/Nothing to resume/)]);
  });
});
