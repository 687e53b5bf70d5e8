// Builds better-sqlite3 for ELECTRON's ABI into native/electron/better_sqlite3.node, beside (not over) the Node
// build in node_modules that tests and the CLI load. main/index.ts points better-sqlite3 at it (nativeBinding).
// Runs before `npm start`; it needs the network once (prebuilt binary or Electron's headers), then it is cached.
// It is deliberately NOT an install script, so `npm ci` never needs Electron's servers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'native', 'electron');
const target = path.join(outDir, 'better_sqlite3.node');
const stampFile = path.join(outDir, 'stamp.json');

const electronVersion = require('electron/package.json').version;
const sqliteVersion = require('better-sqlite3/package.json').version;
const stamp = JSON.stringify({
  electronVersion,
  sqliteVersion,
  platform: process.platform,
  arch: process.arch,
});

let electronBinary;
try {
  electronBinary = require('electron');
} catch {
  electronBinary = undefined;
}
if (!electronBinary || !fs.existsSync(electronBinary)) {
  console.error(
    'The Electron binary is not installed (its download failed or was skipped).\n' +
      'On a machine with internet access run: npm rebuild electron   (or reinstall without ELECTRON_SKIP_BINARY_DOWNLOAD).\n' +
      'Everything else (CLI, tests) works without it.',
  );
  process.exit(1);
}

if (fs.existsSync(target) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp)
  process.exit(0);

// Build in a scratch copy so node_modules/better-sqlite3 keeps its Node-ABI binary.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-sqlite-'));
const pkgDir = path.join(work, 'better-sqlite3');
fs.cpSync(path.dirname(require.resolve('better-sqlite3/package.json')), pkgDir, {
  recursive: true,
  filter: (src) => !src.includes(`${path.sep}build${path.sep}`),
});
const bin = (name) =>
  path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const run = (cmd, args) =>
  execFileSync(cmd, args, { cwd: pkgDir, stdio: 'inherit', shell: process.platform === 'win32' });
console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}...`);
try {
  run(bin('prebuild-install'), [
    '--runtime',
    'electron',
    '--target',
    electronVersion,
    '--arch',
    process.arch,
  ]);
} catch {
  run(bin('node-gyp'), [
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    '--dist-url=https://electronjs.org/headers',
  ]);
}
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(path.join(pkgDir, 'build', 'Release', 'better_sqlite3.node'), target);
fs.writeFileSync(stampFile, stamp);
fs.rmSync(work, { recursive: true, force: true });
console.log(`Electron build of better-sqlite3 ready: ${path.relative(root, target)}`);
