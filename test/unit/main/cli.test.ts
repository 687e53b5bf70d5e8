import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/run-cli';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');

const cli = runCliCaptured;

describe('cnn-studio CLI (in process)', () => {
  let temp: { dir: string; cleanup: () => void };
  beforeEach(() => (temp = makeTempDir()));
  afterEach(() => temp.cleanup());

  it('creates, lists, renames, deletes and restores projects with --json', async () => {
    const created = await cli(
      temp.dir,
      '--json',
      'project',
      'create',
      'Shoes',
      '--size',
      '32',
      '--color',
      'rgb',
    );
    expect(created.code).toBe(0);
    expect(created.json()).toMatchObject({ name: 'Shoes', inputSize: 32, color: 'rgb' });
    const id = created.json().id as string;

    const listed = await cli(temp.dir, '--json', 'project', 'list');
    expect(listed.json()).toEqual([expect.objectContaining({ id, name: 'Shoes' })]);

    const renamed = await cli(temp.dir, '--json', 'project', 'rename', 'Shoes', 'Boots');
    expect(renamed.json()).toMatchObject({ id, name: 'Boots' });

    const refused = await cli(temp.dir, 'project', 'delete', 'Boots');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/--yes/);

    const deleted = await cli(temp.dir, '--json', 'project', 'delete', 'Boots', '--yes');
    expect(deleted.json()).toMatchObject({ id, name: 'Boots' });
    expect((await cli(temp.dir, '--json', 'project', 'list')).json()).toEqual([]);
    expect((await cli(temp.dir, '--json', 'project', 'trash')).json()).toEqual([
      expect.objectContaining({ id }),
    ]);

    const restored = await cli(temp.dir, '--json', 'project', 'restore', id);
    expect(restored.json()).toMatchObject({ id, name: 'Boots' });
  });

  it('accepts global options after the subcommand, as the docs write them', async () => {
    let out = '';
    const code = await runCli(['project', 'create', 'Late', '--json', '--data-dir', temp.dir], {
      out: (s) => (out += s),
      err: () => undefined,
    });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ name: 'Late' });
  });

  it('prints human text without --json', async () => {
    const created = await cli(temp.dir, 'project', 'create', 'Plain');
    expect(created.out).toMatch(/^Created Plain {2}\(.+\) {2}28px gray/);
    expect((await cli(temp.dir, 'project', 'list')).out).toMatch(/Plain/);
  });

  it('exits non-zero with clear messages on bad input', async () => {
    const badSize = await cli(temp.dir, 'project', 'create', 'X', '--size', 'huge');
    expect(badSize.code).toBe(2);
    expect(badSize.err).toMatch(/whole number of pixels/);

    const badName = await cli(temp.dir, '--json', 'project', 'create', '../escape');
    expect(badName.code).toBe(1);
    expect(badName.json()).toEqual({
      error: { code: 'invalid-name', message: expect.stringMatching(/looks like a path/) },
    });

    await cli(temp.dir, 'project', 'create', 'Dup');
    const dup = await cli(temp.dir, 'project', 'create', 'dup');
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already exists/);

    const missing = await cli(temp.dir, 'project', 'rename', 'nope', 'x');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/No project/);

    const unknown = await cli(temp.dir, 'frobnicate');
    expect(unknown.code).toBe(2);
  });
});

describe('cnn-studio binary (built)', () => {
  it('runs from bin/ as `npx cnn-studio` would, with exit codes', async () => {
    expect(fs.existsSync(path.join(repo, 'out/cli/index.js')), 'run `npm run build` first').toBe(true);
    const temp = makeTempDir();
    try {
      const bin = path.join(repo, 'bin/cnn-studio.js');
      const { stdout } = await run(process.execPath, [
        bin,
        '--data-dir',
        temp.dir,
        '--json',
        'project',
        'create',
        'Bin',
      ]);
      expect(JSON.parse(stdout)).toMatchObject({ name: 'Bin' });
      await expect(
        run(process.execPath, [bin, '--data-dir', temp.dir, 'project', 'create', 'bin']),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/already exists/),
      });
    } finally {
      temp.cleanup();
    }
  });
});
