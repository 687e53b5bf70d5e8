import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../main/cli/register-commands';
import { runCli } from '../../../main/cli/run-cli';
import { FASHION_SMALL, solidImage, tempDir, write } from '../../unit/dataset/fixtures';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

describe('CLI: import and dataset commands', () => {
  let dataDir: string;
  let extra: string;
  beforeAll(async () => {
    dataDir = tempDir('cnn-cli-');
    extra = tempDir('cnn-cli-src-');
    write(path.join(extra, 'bad.png'), 'not a png');
    write(path.join(extra, 'notes.txt'), 'hello');
    write(path.join(extra, 'ok.png'), await solidImage('png', { seed: 4242 }));
    expect((await cli(['--data-dir', dataDir, 'project', 'create', 'Fashion'])).code).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(extra, { recursive: true, force: true });
  });

  it('import --json prints ONE object with the documented keys', async () => {
    const r = await cli(['--data-dir', dataDir, 'import', 'fashion', FASHION_SMALL, extra, '--json']);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({
      imported: 701,
      duplicates: 0,
      conflicts: 0,
      status: 'completed',
      unlabeled: 1,
    });
    expect(summary.failed).toEqual([
      { path: path.join(extra, 'bad.png'), reason: expect.stringMatching(/not an image/) },
    ]);
    expect(summary.skipped).toEqual([
      { path: path.join(extra, 'notes.txt'), reason: 'not an image file (.txt)' },
    ]);
    expect(summary.perLabel).toMatchObject({ Bag: 70, 'T-shirt_top': 70 });
    expect(r.err).toBe(''); // no progress when stderr is not a terminal
  });

  it('import with --label, and a repeated import is skipped', async () => {
    const again = JSON.parse(
      (await cli(['--data-dir', dataDir, 'import', 'Fashion', FASHION_SMALL, '--json'])).out,
    );
    expect([again.imported, again.alreadyImported]).toEqual([0, 700]);
    const human = await cli([
      '--data-dir',
      dataDir,
      'import',
      'Fashion',
      path.join(extra, 'ok.png'),
      '--label',
      'Misc',
    ]);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/Import completed: 0 imported, 1 duplicates/);
    const stats = JSON.parse(
      (await cli(['--data-dir', dataDir, 'dataset', 'stats', 'Fashion', '--json'])).out,
    );
    expect(stats.total).toBe(701);
    expect(stats.unlabeled).toBe(0); // the duplicate carried a label for the unlabeled copy
    expect(stats.splitSources).toEqual({ folder: 700, auto: 1 });
    expect(stats.perSplit.test).toBe(200);
  });

  it('dataset split / health / labels / export', async () => {
    const split = await cli([
      '--data-dir',
      dataDir,
      'dataset',
      'split',
      'Fashion',
      '--ratios',
      '0.8,0.1,0.1',
      '--seed',
      '3',
    ]);
    expect(split.out).toMatch(/700 images keep the split of their folder/);
    const all = JSON.parse(
      (
        await cli([
          '--data-dir',
          dataDir,
          '--json',
          'dataset',
          'split',
          'Fashion',
          '--ratios',
          '0.8,0.1,0.1',
          '--mode',
          'all',
        ])
      ).out,
    );
    expect(all.perSplit.train + all.perSplit.val + all.perSplit.test).toBe(701);
    expect(all.perLabel.find((l: { name: string }) => l.name === 'Bag').perSplit).toEqual({
      train: 56,
      val: 7,
      test: 7,
    });
    const bad = await cli(['--data-dir', dataDir, 'dataset', 'split', 'Fashion', '--ratios', '2,x']);
    expect(bad.code).toBe(2);
    const health = JSON.parse(
      (await cli(['--data-dir', dataDir, 'dataset', 'health', 'Fashion', '--json'])).out,
    );
    expect(health.unreadableFiles).toHaveLength(1);
    expect(health.issues.map((i: { kind: string }) => i.kind)).toContain('too-few'); // Misc has 1 image
    const labels = JSON.parse(
      (await cli(['--data-dir', dataDir, 'dataset', 'labels', 'Fashion', '--json'])).out,
    );
    expect(labels).toHaveLength(11);
    const out = path.join(tempDir('cnn-cli-export-'), 'export');
    const exp = await cli(['--data-dir', dataDir, 'dataset', 'export', 'Fashion', out, '--json']);
    expect(JSON.parse(exp.out).exported).toBe(701);
    expect(fs.readdirSync(out).sort()).toContain('manifest.csv');
    expect(fs.readdirSync(path.join(out, 'Bag'))).toHaveLength(70);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
