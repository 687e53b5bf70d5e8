import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelFilesIn } from '../../../main/storage/opened-files';
import { makeTempDir } from '../../support/temp-dir';

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

describe('model files the OS opens the app with', () => {
  it('keeps existing .cnnmodel files (relative ones against the cwd), nothing else', () => {
    const temp = makeTempDir('cnn-opened-');
    cleanup = temp.cleanup;
    const model = path.join(temp.dir, 'Shoes.CNNMODEL');
    fs.writeFileSync(model, 'x');
    fs.mkdirSync(path.join(temp.dir, 'folder.cnnmodel'));
    fs.writeFileSync(path.join(temp.dir, 'photo.png'), 'x');
    const args = [
      '--data-dir=/tmp/x',
      'Shoes.CNNMODEL',
      model,
      'missing.cnnmodel',
      'folder.cnnmodel',
      'photo.png',
      '--flag.cnnmodel',
    ];
    expect(modelFilesIn(args, temp.dir)).toEqual([model, model]);
  });
});
