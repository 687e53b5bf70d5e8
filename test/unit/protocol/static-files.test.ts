import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mimeTypeFor, resolveStaticFile } from '../../../main/protocol/static-files';

let base: string;
let root: string;

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'static-files-')));
  root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), '');
  fs.writeFileSync(path.join(root, 'assets', 'my file.css'), '');
  fs.writeFileSync(path.join(root, 'assets', '..odd.js'), '');
  fs.writeFileSync(path.join(root, 'assets', 'sub', 'index.html'), '');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'secret');
  fs.mkdirSync(path.join(base, 'renderer-evil'));
  fs.writeFileSync(path.join(base, 'renderer-evil', 'x.js'), '');
  try {
    fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'link-out.txt'));
    fs.symlinkSync(path.join(root, 'index.html'), path.join(root, 'link-in.html'));
    fs.symlinkSync(base, path.join(root, 'link-dir'), 'dir');
  } catch {
    // symlinks may be unavailable (Windows without privileges); those cases are skipped below
  }
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('resolveStaticFile', () => {
  it('serves index.html for the root and for folders', () => {
    expect(resolveStaticFile(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticFile(root, '')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticFile(root, '/assets/sub/')).toBe(path.join(root, 'assets', 'sub', 'index.html'));
    expect(resolveStaticFile(root, '/assets/sub')).toBe(path.join(root, 'assets', 'sub', 'index.html'));
  });

  it('maps paths to files under the root, decoding percent escapes once', () => {
    expect(resolveStaticFile(root, '/assets/index-abc.js')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveStaticFile(root, '/assets/my%20file.css')).toBe(path.join(root, 'assets', 'my file.css'));
    expect(resolveStaticFile(root, '/assets/..odd.js')).toBe(path.join(root, 'assets', '..odd.js'));
  });

  it('returns null for missing files and a folder without index.html', () => {
    expect(resolveStaticFile(root, '/nope.js')).toBeNull();
    expect(resolveStaticFile(root, '/assets/')).toBeNull();
    expect(resolveStaticFile(path.join(base, 'missing-root'), '/')).toBeNull();
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '/./index.html',
    '/../renderer-evil/x.js',
    '/assets%2f..%2f..%2fsecret.txt',
    '/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/.%2e/secret.txt',
    '/%2E./secret.txt',
    '/assets/%2e%2e%5c%2e%2e%5csecret.txt',
    '/%5c..%5csecret.txt',
    '/%2f%2fserver%2fshare%2fx',
  ])('refuses traversal %s', (p) => {
    expect(resolveStaticFile(root, p)).toBeNull();
  });

  it.each([
    '/index.html%00.js',
    '/index.html\0',
    '/%E0%A4%A',
    '//etc/passwd',
    '/C:/Windows/win.ini',
    '/c:%5cx',
  ])('refuses NUL, malformed and absolute paths %s', (p) => {
    expect(resolveStaticFile(root, p)).toBeNull();
  });

  it('refuses an absolute path to a real file', () => {
    expect(resolveStaticFile(root, `/${path.join(base, 'secret.txt')}`)).toBeNull();
    expect(resolveStaticFile(root, encodeURIComponent(path.join(base, 'secret.txt')))).toBeNull();
    expect(resolveStaticFile(root, path.join(base, 'secret.txt'))).toBeNull();
  });

  it('refuses symlinks that lead outside the root but follows those that stay inside', () => {
    if (!fs.existsSync(path.join(root, 'link-out.txt'))) return;
    expect(resolveStaticFile(root, '/link-out.txt')).toBeNull();
    expect(resolveStaticFile(root, '/link-dir/secret.txt')).toBeNull();
    expect(resolveStaticFile(root, '/link-in.html')).toBe(path.join(root, 'index.html'));
  });
});

describe('mimeTypeFor', () => {
  it('knows the types a Vite build produces', () => {
    expect(mimeTypeFor('a/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('x.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('x.css')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('x.js.map')).toBe('application/json; charset=utf-8');
    expect(mimeTypeFor('x.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('x.png')).toBe('image/png');
    expect(mimeTypeFor('x.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('x.wasm')).toBe('application/wasm');
  });

  it('falls back to opaque bytes', () => {
    expect(mimeTypeFor('x.unknown')).toBe('application/octet-stream');
    expect(mimeTypeFor('Makefile')).toBe('application/octet-stream');
  });
});
