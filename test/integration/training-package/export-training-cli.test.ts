/**
 * `cnn-studio export-training`: usage errors (exit 2), the --json result's shape, the text (what was written, the
 * counts, the next commands) and a failure's exit 1 with its reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';
import { SMALL_SET } from '../training/support';

describe('CLI: export-training', () => {
  let temp: { dir: string; cleanup: () => void };
  let data: string;
  const cli = (...args: string[]) => runCliCaptured(data, ...args);

  beforeAll(async () => {
    temp = makeTempDir('cnn-export-training-cli-');
    data = path.join(temp.dir, 'data');
    const created = await cli('project', 'create', 'Fashion', '--size', '28', '--color', 'gray');
    expect(created.code, created.err).toBe(0);
    const imported = await cli('import', 'Fashion', path.join(SMALL_SET, 'test'));
    expect(imported.code, imported.err).toBe(0);
  }, 120_000);
  afterAll(() => temp?.cleanup());

  it('refuses more than one of --run, --preset and --spec, a missing --out and a bad preset (exit 2)', async () => {
    const out = path.join(temp.dir, 'never');
    const both = await cli('export-training', 'Fashion', '--preset', 'small', '--run', 'x', '--out', out);
    expect(both.code).toBe(2);
    expect(both.err).toContain('at most one of --run, --preset and --spec');
    const three = await cli(
      '--json',
      'export-training',
      'Fashion',
      '--preset',
      'small',
      '--spec',
      'a.json',
      '--run',
      'r',
      '--out',
      out,
    );
    expect(three.code).toBe(2);
    expect(three.json().error.code).toBe('usage');
    expect((await cli('export-training', 'Fashion')).code).toBe(2);
    const badPreset = await cli('export-training', 'Fashion', '--preset', 'huge', '--out', out);
    expect(badPreset.code).toBe(2);
    expect(badPreset.err).toContain('must be one of small, medium, large, reference');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('--json prints the TrainingPackageResult', async () => {
    const out = path.join(temp.dir, 'pkg-json');
    const r = await cli('--json', 'export-training', 'Fashion', '--preset', 'reference', '--out', out);
    expect(r.code, r.err).toBe(0);
    const result = r.json();
    expect(Object.keys(result).sort()).toEqual(
      [
        'bytes',
        'classNames',
        'command',
        'counts',
        'dir',
        'files',
        'leftOutLabels',
        'modelName',
        'totalParams',
      ].sort(),
    );
    expect(result.dir).toBe(out);
    expect(result.modelName).toBe('reference');
    expect(result.command).toBe('python3 train.py');
    expect(result.classNames).toHaveLength(10);
    const manifestRows =
      fs
        .readFileSync(path.join(out, 'dataset', 'manifest.csv'), 'utf8')
        .trim()
        .split('\n').length - 1;
    expect(result.counts.train + result.counts.val + result.counts.test).toBe(manifestRows);
    expect(result.files).toEqual(
      expect.arrayContaining(['training.json', 'model.py', 'train.py', 'dataset/manifest.csv']),
    );
  });

  it('prints what was written, the counts and the next commands; a --spec file that does not fit fails (exit 1)', async () => {
    const out = path.join(temp.dir, 'pkg text');
    const r = await cli('export-training', 'Fashion', '--out', out);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(fs.readFileSync(path.join(out, 'training.json'), 'utf8'));
    const c = result.dataset.counts;
    expect(r.out).toContain(`Wrote a training package to ${out}`);
    expect(r.out).toContain(`Images: ${c.train} train, ${c.val} val, ${c.test} test.`);
    expect(r.out).toContain(`cd '${out}' && python3 train.py`);
    expect(r.out).toContain(`cd '${out}' && torchrun --standalone --nproc_per_node 2 train.py`);
    expect(r.out).toContain(`import-model Fashion '${out}/output/model.cnnmodel'`);

    const again = await cli('export-training', 'Fashion', '--out', out);
    expect(again.code).toBe(1);
    expect(again.err).toContain('is not empty');

    const specFile = path.join(temp.dir, 'rgb.json');
    fs.writeFileSync(
      specFile,
      JSON.stringify({
        input: { height: 32, width: 32, channels: 3 },
        layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }],
        numClasses: 10,
      }),
    );
    const bad = await cli(
      '--json',
      'export-training',
      'Fashion',
      '--spec',
      specFile,
      '--out',
      path.join(temp.dir, 'bad'),
    );
    expect(bad.code).toBe(1);
    expect(bad.json().error.message).toContain("The spec's input is 32×32×3; the project's is 28×28×1.");
    expect(fs.existsSync(path.join(temp.dir, 'bad'))).toBe(false);
    const notJson = path.join(temp.dir, 'not.json');
    fs.writeFileSync(notJson, '{ layers: ');
    const broken = await cli(
      'export-training',
      'Fashion',
      '--spec',
      notJson,
      '--out',
      path.join(temp.dir, 'bad'),
    );
    expect(broken.code).toBe(1);
    expect(broken.err).toContain(`--spec ${notJson}: not JSON`);
  });
});
