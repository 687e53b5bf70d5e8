#!/usr/bin/env node
// Builds the native kernels addon with clang into prebuilds/<platform>-<arch>/cnn_kernels.node, the prebuilt copy
// that ships with the app for users without a C compiler (native-workers/kernels/native-kernels.ts loads it when
// there is no fresh local build in out/native). `npm run prebuild:kernels`; the binaries are committed.
//
// Same sources and flags as native-workers/native/binding.gyp, read from that file: one object per instruction set
// with its own -m flags (AVX-512F, AVX2 + FMA, the 4-lane baseline) linked into one addon that picks the best one
// the CPU has at load time. Stripped, symbols hidden but the Node-API entry points, no build paths embedded.
//
// Next to the binary, cnn_kernels.json records the SHA-256 of every source it was built from
// (test/packaging/prebuilt-kernels.test.ts fails when a source changed since: run this script again).
//
// Targets: this machine's platform and arch (linux-x64, linux-arm64, darwin-x64, darwin-arm64 natively), or
// `--target linux-arm64` to cross-compile from Linux (clang finds Debian's cross packages by itself; else pass
// `--sysroot <dir>`). native-workers/native/README.md says how each target is made, the Windows one too. Needs
// clang 16+ (and lld on Linux); Node's own headers come from the Node that runs this script (<prefix>/include/node),
// so nothing is downloaded. Header-only Node-API: the addon links against no Node library, it finds the napi_*
// functions in the process that loads it (Node or Electron).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const nativeDir = path.join(root, 'native-workers/native');

function option(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const target = option('--target') ?? `${process.platform}-${process.arch}`;
const [platform, arch] = target.split('-');
const sysroot = option('--sysroot');
/** The compiler: --cc, else $CC, else clang-19 when installed (Debian: apt-get install clang-19 lld-19), else clang. */
function findClang() {
  const given = option('--cc') ?? process.env.CC;
  if (given) return given;
  try {
    execFileSync('clang-19', ['--version'], { stdio: 'ignore' });
    return 'clang-19';
  } catch {
    return 'clang';
  }
}
const clang = findClang();
// clang 14 (Debian 12's default) keeps the GEMM tiles' accumulators on the stack: its build ran 4–5× slower than
// GCC's on the reference conv (measured); clang 19 matches GCC. Below 16 (not measured in between) is refused.
const MIN_CLANG = 16;
const clangVersion = execFileSync(clang, ['--version'], { encoding: 'utf8' }).split('\n')[0];
const clangMajor = Number(/clang version (\d+)/.exec(clangVersion)?.[1] ?? 0);
if (clangMajor < MIN_CLANG) {
  console.error(
    `prebuild-kernels: ${clangVersion} is too old (need clang ${MIN_CLANG}+: older ones build these kernels 4–5× slower).\n` +
      'Debian 12: apt-get install clang-19 lld-19 (or pass --cc <clang>).',
  );
  process.exit(1);
}

const triples = {
  'linux-x64': 'x86_64-linux-gnu',
  'linux-arm64': 'aarch64-linux-gnu',
  'darwin-x64': 'x86_64-apple-macos11',
  'darwin-arm64': 'arm64-apple-macos11',
};
if (!triples[target]) {
  console.error(
    `prebuild-kernels: no clang recipe for ${target} (have: ${Object.keys(triples).join(', ')}).\n` +
      'Windows: see native-workers/native/README.md ("Prebuilt addons").',
  );
  process.exit(1);
}
const native = target === `${process.platform}-${process.arch}`;

/** binding.gyp is a Python literal: drop comments and trailing commas, swap the quotes, read it as JSON. */
function readGyp(file) {
  const text = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('\n')
    .replace(/'((?:[^'\\]|\\.)*)'/g, (_, body) => JSON.stringify(body))
    .replace(/,(\s*[}\]])/g, '$1');
  return JSON.parse(text);
}

/** The gyp conditions used in binding.gyp: `target_arch=="x64"` and friends, for this target. */
function holds(condition) {
  const m = /^\s*(target_arch|OS)\s*==\s*"([^"]+)"\s*$/.exec(condition);
  if (!m) throw new Error(`prebuild-kernels: unsupported gyp condition ${condition}`);
  const value = m[1] === 'target_arch' ? arch : platform === 'darwin' ? 'mac' : platform;
  return value === m[2];
}

/** A gyp dictionary with its matching `conditions` merged in (lists append, as gyp does). */
function resolve(dict) {
  const out = { ...dict };
  delete out.conditions;
  for (const [cond, then, otherwise] of dict.conditions ?? []) {
    const branch = holds(cond) ? then : otherwise;
    if (!branch) continue;
    for (const [k, v] of Object.entries(resolve(branch)))
      out[k] = Array.isArray(v) ? [...(out[k] ?? []), ...v] : v;
  }
  return out;
}

const gyp = resolve(readGyp(path.join(nativeDir, 'binding.gyp')));
const defaults = gyp.target_defaults;
const targets = gyp.targets.map(resolve);
const addon = targets.find((t) => t.target_name === 'cnn_kernels');
const libraries = targets.filter((t) => t.type === 'static_library');
const flagsOf = (t) =>
  platform === 'darwin'
    ? [...(defaults.xcode_settings?.OTHER_CFLAGS ?? []), ...(t.xcode_settings?.OTHER_CFLAGS ?? [])]
    : [...(defaults.cflags_c ?? []), ...(t.cflags_c ?? [])];

const headers = path.join(path.dirname(process.execPath), '..', 'include', 'node');
if (!fs.existsSync(path.join(headers, 'node_api.h'))) {
  console.error(`prebuild-kernels: Node's headers are not at ${headers}`);
  process.exit(1);
}

const common = [
  `--target=${triples[target]}`,
  ...(sysroot ? [`--sysroot=${sysroot}`] : []),
  '-fPIC',
  '-pthread',
  '-fvisibility=hidden',
  '-Wall',
  '-Wextra',
  '-Wno-unused-parameter',
  `-ffile-prefix-map=${root}=.`,
  '-DNODE_GYP_MODULE_NAME=cnn_kernels',
  '-DBUILDING_NODE_EXTENSION',
  ...(defaults.include_dirs ?? []).map((d) => `-I${path.join(nativeDir, d)}`),
  `-I${headers}`,
];

/** What the binary was built from: the compiler and each source's SHA-256 (binding.gyp, src/, the shared kernel headers). */
function stamp() {
  const list = (d, pattern) =>
    fs
      .readdirSync(path.join(root, d))
      .filter((f) => pattern.test(f))
      .map((f) => `${d}/${f}`);
  // the shared kernels are headers; kernels-wasm.c is the WebAssembly build's own entry point
  const files = [
    'native-workers/native/binding.gyp',
    ...list('native-workers/native/src', /\.[ch]$/),
    ...list('native-workers/kernels/src', /\.h$/),
  ].sort();
  const sha256 = (f) =>
    createHash('sha256')
      .update(fs.readFileSync(path.join(root, f)))
      .digest('hex');
  return {
    target,
    compiler: clangVersion,
    sources: Object.fromEntries(files.map((f) => [f, sha256(f)])),
  };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-kernels-prebuild-'));
const t0 = Date.now();
const run = (args) => execFileSync(clang, args, { cwd: nativeDir, stdio: ['ignore', 'inherit', 'inherit'] });
try {
  const objects = [];
  for (const t of [...libraries, addon]) {
    const defines = [...(defaults.defines ?? []), ...(t.defines ?? [])].map((d) => `-D${d}`);
    for (const source of t.sources) {
      const object = path.join(work, `${t.target_name}-${path.basename(source, '.c')}.o`);
      run([...common, ...flagsOf(t), ...defines, '-c', path.join(nativeDir, source), '-o', object]);
      objects.push(object);
    }
  }
  const out = path.join(root, 'prebuilds', target, 'cnn_kernels.node');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const link =
    platform === 'darwin'
      ? ['-bundle', '-undefined', 'dynamic_lookup', '-Wl,-x']
      : ['-shared', '-fuse-ld=lld', '-Wl,--strip-all', '-Wl,--build-id=none', '-Wl,-z,noexecstack'];
  run([
    `--target=${triples[target]}`,
    ...(sysroot ? [`--sysroot=${sysroot}`] : []),
    '-pthread',
    ...link,
    ...objects,
    '-o',
    `${out}.tmp`,
  ]);
  // rename over the old file: a process that has the old one loaded keeps its (unlinked) copy intact
  fs.renameSync(`${out}.tmp`, out);
  fs.writeFileSync(path.join(path.dirname(out), 'cnn_kernels.json'), `${JSON.stringify(stamp(), null, 2)}\n`);
  const kib = (fs.statSync(out).size / 1024).toFixed(0);
  console.log(
    `prebuilt kernels for ${target} in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${path.relative(root, out)} (${kib} KiB)` +
      (native ? '' : ' (cross-compiled: test it on a real machine)'),
  );
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
