import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LastFolders } from '../../../main/services/dialogs';

describe('LastFolders: each dialog kind opens where it last picked', () => {
  const dirs: string[] = [];
  const temp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-dialogs-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('remembers the folder holding the pick, per kind, across restarts', () => {
    const data = temp();
    const photos = temp();
    fs.mkdirSync(path.join(photos, 'cats'));
    const file = path.join(data, 'dialog-folders.json');
    const first = new LastFolders(file, fs, path.dirname);
    expect(first.folderFor('folder')).toBeUndefined();
    first.remember('folder', [path.join(photos, 'cats')]);
    first.remember('images', []); // cancelled: nothing remembered
    expect(first.folderFor('folder')).toBe(photos);
    expect(first.folderFor('images')).toBeUndefined();
    const afterRestart = new LastFolders(file, fs, path.dirname);
    expect(afterRestart.folderFor('folder')).toBe(photos);
  });

  it('forgets a folder that no longer exists and survives a damaged file', () => {
    const data = temp();
    const file = path.join(data, 'dialog-folders.json');
    fs.writeFileSync(file, JSON.stringify({ model: '/definitely/not/here' }));
    expect(new LastFolders(file, fs, path.dirname).folderFor('model')).toBeUndefined();
    fs.writeFileSync(file, '{not json');
    const damaged = new LastFolders(file, fs, path.dirname);
    expect(damaged.folderFor('model')).toBeUndefined();
    damaged.remember('model', [path.join(data, 'a.cnnmodel')]);
    expect(damaged.folderFor('model')).toBe(data);
  });
});
