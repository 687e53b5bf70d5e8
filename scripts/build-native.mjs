#!/usr/bin/env node
// Builds the optional native kernels addon (native-workers/native, Node-API C) with node-gyp and copies it to
// out/native/cnn_kernels.node, where native-workers/kernels/native-kernels.ts looks for it. Part of `npm run build`.
//
// Optional by design: without a C compiler (or with CNN_STUDIO_NO_NATIVE=1) it prints why and exits 0, and the app
// runs the prebuilt addon for this platform (prebuilds/, made by scripts/prebuild-kernels.mjs) or, without one, the
// WebAssembly kernels. Node-API is ABI-stable, so this one build also loads in Electron. It rebuilds only
// when a source is newer than the copy in out/native. Offline: node-gyp gets Node's headers from npm's `nodedir`
// or from the headers next to this Node (<prefix>/include/node), never from the network when those exist.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'native-workers/native');
const built = path.join(dir, 'build/Release/cnn_kernels.node');
const target = path.join(root, 'out/native/cnn_kernels.node');
const force = process.argv.includes('--force');
const required = process.argv.includes('--required');

const prebuild = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'cnn_kernels.node');
const fallback = fs.existsSync(prebuild)
  ? `the prebuilt addon (${path.relative(root, prebuild)})`
  : 'the WebAssembly kernels (about 3× slower)';

const skip = (why) => {
  const msg = `native kernels not built: ${why}; the app will use ${fallback}`;
  if (required) {
    console.error(msg);
    process.exit(1);
  }
  console.warn(msg);
  fs.rmSync(target, { force: true });
  process.exit(0);
};

if (process.env.CNN_STUDIO_NO_NATIVE === '1') skip('CNN_STUDIO_NO_NATIVE=1');

// the addon's own files and the kernels it shares with the WebAssembly build
const files = (d) => fs.readdirSync(d).map((f) => path.join(d, f));
const sources = [
  path.join(dir, 'binding.gyp'),
  ...files(path.join(dir, 'src')),
  ...files(path.join(root, 'native-workers/kernels/src')),
];
const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
if (!force && fs.existsSync(target) && fs.statSync(target).mtimeMs >= newest) process.exit(0);

/** node-gyp: the one npm runs scripts with, else the one bundled with npm next to this Node. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(
      path.dirname(process.execPath),
      '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    ),
    path.join(path.dirname(process.execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  return candidates.find((p) => p && fs.existsSync(p));
}

const gyp = nodeGyp();
if (!gyp) skip('node-gyp not found');
const args = [gyp, 'rebuild', '--directory', dir];
const headers = path.join(path.dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && fs.existsSync(path.join(headers, 'include/node/node_api.h')))
  args.push(`--nodedir=${headers}`);

const t0 = Date.now();
try {
  execFileSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
} catch (e) {
  const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  skip(`node-gyp failed:\n${out}\n`);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
// copy, then rename over the old file: a process that has the old one loaded keeps its (unlinked) copy intact
fs.copyFileSync(built, `${target}.tmp`);
fs.renameSync(`${target}.tmp`, target);
console.log(
  `native kernels built in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${path.relative(root, target)}`,
);
