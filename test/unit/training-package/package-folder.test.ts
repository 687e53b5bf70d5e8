import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../app/ipc/result';
import { writeFolderAtomically } from '../../../main/services/training-package/package-folder';
import { makeTempDir } from '../../support/temp-dir';

let temp: { dir: string; cleanup: () => void };
beforeEach(() => (temp = makeTempDir('cnn-package-folder-')));
afterEach(() => temp.cleanup());

const write = (root: string) => {
  fs.mkdirSync(path.join(root, 'dataset', 'train'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dataset', 'train', 'a.png'), 'a');
  fs.writeFileSync(path.join(root, 'training.json'), '{}');
};

describe('writing a package folder all at once', () => {
  it('moves what was written into a new folder (and its missing parents), with no staging left', async () => {
    const dir = path.join(temp.dir, 'deep', 'pkg');
    const { target, value } = await writeFolderAtomically(dir, async (root) => {
      write(root);
      return 7;
    });
    expect(target).toBe(dir);
    expect(value).toBe(7);
    expect(fs.readdirSync(dir).sort()).toEqual(['dataset', 'training.json']);
    expect(fs.readFileSync(path.join(dir, 'dataset', 'train', 'a.png'), 'utf8')).toBe('a');
  });

  it('a failure leaves nothing: the folders it made are gone, an existing empty folder stays empty', async () => {
    const made = path.join(temp.dir, 'new', 'pkg');
    await expect(
      writeFolderAtomically(made, async (root) => {
        write(root);
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(fs.existsSync(path.join(temp.dir, 'new'))).toBe(false);

    const existing = path.join(temp.dir, 'empty');
    fs.mkdirSync(existing);
    await expect(
      writeFolderAtomically(existing, async (root) => {
        write(root);
        throw new Error('crafted row');
      }),
    ).rejects.toThrow('crafted row');
    expect(fs.readdirSync(existing)).toEqual([]);
  });

  it('refuses a folder that is not empty, or a file, before writing anything', async () => {
    fs.writeFileSync(path.join(temp.dir, 'keep.txt'), 'mine');
    let called = false;
    const refused = await writeFolderAtomically(temp.dir, async () => {
      called = true;
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppFailure);
    expect((refused as AppFailure).details).toEqual({ code: 'dir-not-empty', dir: temp.dir });
    const file = path.join(temp.dir, 'keep.txt');
    const notFolder = await writeFolderAtomically(file, async () => undefined).catch((e: unknown) => e);
    expect((notFolder as AppFailure).details).toEqual({ code: 'not-a-folder', dir: file });
    expect(called).toBe(false);
    expect(fs.readdirSync(temp.dir)).toEqual(['keep.txt']);
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
  });
});
