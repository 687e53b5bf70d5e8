import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/temp-dir';

/**
 * scripts/electronegativity.mjs (npm run audit:electron) fails on a high or medium finding and passes on the two
 * checks excluded by design. It runs the pinned tool through npx (the npm registry, or npx's cache after
 * `npm run check` ran it); Electron's release look-ups fail offline and must not fail the gate.
 */
const SCRIPT = path.resolve(__dirname, '../../../scripts/electronegativity.mjs');
const temp = makeTempDir('electronegativity-gate-');

function gate(input: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, input], { timeout: 170_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

function fixture(name: string, source: string): string {
  const folder = path.join(temp.dir, name);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'main.js'), source);
  return folder;
}

afterAll(() => temp.cleanup());

describe('npm run audit:electron', () => {
  it('fails on a high finding, passes when only the excluded checks would fire', async () => {
    const hardened = `const { BrowserWindow, session } = require('electron');
const win = new BrowserWindow({ webPreferences: { preload: 'p.js', contextIsolation: true, sandbox: true,
  nodeIntegration: false, disableBlinkFeatures: 'Auxclick' } });
win.webContents.on('will-navigate', (event) => event.preventDefault());
win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => callback(false));`;
    const [bad, good] = await Promise.all([
      gate(fixture('bad', hardened.replace('contextIsolation: true', 'contextIsolation: false'))),
      gate(fixture('good', hardened)),
    ]);
    expect(bad.output).toMatch(/HIGH \w+ CONTEXT_ISOLATION_JS_CHECK/);
    expect(bad.code).toBe(1);
    expect(good.output).toMatch(/0 finding\(s\); excluded by design: CSP_GLOBAL_CHECK, PRELOAD_JS_CHECK/);
    expect(good.code).toBe(0);
  }, 180_000);
});
