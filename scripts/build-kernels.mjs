#!/usr/bin/env node
// Builds native-workers/kernels/src/kernels-wasm.c (the shared kernels-impl.h with 4-lane simd128 vectors) twice to
// WebAssembly and writes native-workers/kernels/generated/kernels-wasm.ts (both modules as base64 + the sha256 of
// the C sources):
//   - the plain module: simd128, a multiply and an add per multiply-add (every runtime with wasm SIMD);
//   - the relaxed module: the same flags + -mrelaxed-simd, so MADD is f32x4.relaxed_madd (FMA).
// wasm-kernels.ts prefers the relaxed one where the runtime validates it (Electron 40, Node >= 22; Node 20 only
// with --experimental-wasm-relaxed-simd). The generated file is committed, so a plain `npm install` (no clang)
// works; test/unit/kernels/generated.test.ts (which runs --check) fails if a C source changed without a rebuild.
//
// Needs clang >= 16 with the wasm32 target and its matching wasm-ld (older clang emits pre-standard relaxed-SIMD
// opcodes): env CLANG, else clang-19, else clang. On Debian 12: apt install clang-19 lld-19.
// Usage: node scripts/build-kernels.mjs [--check]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'native-workers/kernels/src');
const src = join(srcDir, 'kernels-wasm.c');
/**
 * Every file the modules may be built from: kernels-wasm.c and every header of src/ (it includes most of them; a
 * header it does not include only makes the check stricter). Listing three files by hand once let changes to
 * batch-norm-impl.h and dense-impl.h slip past --check.
 */
const sources = readdirSync(srcDir)
  .filter((f) => f.endsWith('.h') || f === 'kernels-wasm.c')
  .sort();
const outTs = join(root, 'native-workers/kernels/generated/kernels-wasm.ts');

// Hash with LF line endings so that a Windows checkout (autocrlf) does not look stale.
const hash = createHash('sha256');
for (const f of sources) {
  hash.update(`${f}\n`);
  hash.update(readFileSync(join(srcDir, f), 'utf8').replace(/\r\n/g, '\n'));
}
const sourceSha256 = hash.digest('hex');

if (process.argv.includes('--check')) {
  const gen = readFileSync(outTs, 'utf8');
  if (!gen.includes(sourceSha256) || !gen.includes('export const KERNELS_RELAXED_WASM_BASE64')) {
    console.error('kernels-wasm.ts is stale: run node scripts/build-kernels.mjs');
    process.exit(1);
  }
  console.log('kernels-wasm.ts is up to date');
  process.exit(0);
}

function fail(message) {
  console.error(`build-kernels: ${message}`);
  process.exit(1);
}

/** Absolute path of an executable on PATH (or the path itself if it has a directory part), else null. */
function which(cmd) {
  if (cmd.includes('/') || isAbsolute(cmd)) return existsSync(cmd) ? cmd : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}

const clangName = process.env.CLANG ?? (which('clang-19') ? 'clang-19' : 'clang');
const clangPath = which(clangName);
if (!clangPath) fail(`${clangName} not found (set CLANG, or install clang-19 and lld-19)`);
// clang runs `wasm-ld` from PATH: put the directory clang really lives in first (/usr/lib/llvm-19/bin for
// /usr/bin/clang-19), so that the linker is the one of the same LLVM release.
const clangDir = dirname(realpathSync(clangPath));
const env = { ...process.env, PATH: [clangDir, process.env.PATH ?? ''].join(delimiter) };
const clangVersion = execFileSync(clangPath, ['--version'], { env, encoding: 'utf8' }).split('\n')[0].trim();

const dir = mkdtempSync(join(tmpdir(), 'kernels-'));
const baseFlags = [
  '--target=wasm32',
  '-O3',
  '-msimd128',
  '-mbulk-memory',
  // shared memory (threads feature): a SharedArrayBuffer never detaches when memory grows, so tensors allocated
  // inside it (allocate()) stay valid and are passed to the kernels without copies
  '-matomics',
  '-mnontrapping-fptoint',
  '-fno-math-errno',
  '-nostdlib',
  '-Wall',
  '-Wl,--no-entry',
  '-Wl,--export-dynamic',
  '-Wl,--export=__heap_base',
  '-Wl,--stack-first',
  '-Wl,-z,stack-size=65536',
  '-Wl,--initial-memory=1048576',
  '-Wl,--shared-memory',
  '-Wl,--max-memory=4294967296',
];
const relaxedFlags = [...baseFlags.slice(0, 3), '-mrelaxed-simd', ...baseFlags.slice(3)];

function build(flags, name) {
  const wasmPath = join(dir, name);
  execFileSync(clangPath, [...flags, `-I${srcDir}`, '-o', wasmPath, src], { stdio: 'inherit', env });
  return readFileSync(wasmPath);
}

/** WebAssembly.validate in a Node that has relaxed SIMD on (this one, or a child with the V8 flag). */
function validatesWithRelaxedSimd(wasm) {
  if (WebAssembly.validate(wasm)) return true;
  const script =
    'process.stdout.write(String(WebAssembly.validate(require("fs").readFileSync(process.argv[1]))))';
  const file = join(dir, 'relaxed-check.wasm');
  writeFileSync(file, wasm);
  try {
    const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', script, file], {
      encoding: 'utf8',
    });
    return out.trim() === 'true';
  } catch (e) {
    fail(
      `could not check the relaxed module with ${process.execPath} --experimental-wasm-relaxed-simd: ${e}`,
    );
  }
}

const wrap = (b64) => {
  const lines = [];
  for (let i = 0; i < b64.length; i += 120) lines.push(`  '${b64.slice(i, i + 120)}'`);
  return lines.join(' +\n');
};

try {
  let plain;
  try {
    plain = build(baseFlags, 'kernels.wasm');
  } catch {
    fail(`${clangVersion} (${clangPath}) failed to build the plain module (see above)`);
  }
  if (!WebAssembly.validate(plain))
    fail(`the plain module built by ${clangVersion} does not validate in Node`);
  let relaxed;
  try {
    relaxed = build(relaxedFlags, 'kernels-relaxed.wasm');
  } catch {
    fail(
      `${clangVersion} (${clangPath}) cannot build the relaxed-SIMD module (-mrelaxed-simd, see above): ` +
        'use clang >= 16 with its wasm-ld, e.g. apt install clang-19 lld-19, or CLANG=/path/to/clang',
    );
  }
  if (!validatesWithRelaxedSimd(relaxed)) {
    fail(
      `the relaxed-SIMD module built by ${clangVersion} does not validate even with ` +
        '--experimental-wasm-relaxed-simd (pre-standard opcodes?): use clang >= 16, e.g. clang-19 + lld-19',
    );
  }
  if (relaxed.equals(plain)) {
    console.warn(
      'build-kernels: warning: the relaxed module is identical to the plain one (the kernels use no MADD?)',
    );
  }

  const flagString = (flags) => JSON.stringify(flags.join(' '));
  const ts = `// GENERATED by scripts/build-kernels.mjs from native-workers/kernels/src/ (${sources.join(', ')}). Do not edit.
// Rebuild: node scripts/build-kernels.mjs (needs clang >= 16 + wasm-ld with the wasm32 target, e.g. clang-19 lld-19).
/* eslint-disable */
// prettier-ignore

/** sha256 of the C sources both binaries were built from (checked by node scripts/build-kernels.mjs --check). */
export const KERNELS_SOURCE_SHA256 = '${sourceSha256}';

/** The compiler both binaries were built with. */
export const KERNELS_CLANG_VERSION = ${JSON.stringify(clangVersion)};

/** clang flags of the plain module. */
export const KERNELS_BUILD_FLAGS = ${flagString(baseFlags)};

/** clang flags of the relaxed-SIMD module. */
export const KERNELS_RELAXED_BUILD_FLAGS = ${flagString(relaxedFlags)};

/** The plain WebAssembly SIMD module (${plain.length} bytes), base64: runs wherever wasm SIMD does. */
export const KERNELS_WASM_BASE64 =
${wrap(plain.toString('base64'))};

/**
 * The relaxed-SIMD module (${relaxed.length} bytes), base64: multiply-adds are f32x4.relaxed_madd (FMA). Validates only
 * where relaxed SIMD is enabled (Electron 40, Node >= 22; Node 20 with --experimental-wasm-relaxed-simd).
 */
export const KERNELS_RELAXED_WASM_BASE64 =
${wrap(relaxed.toString('base64'))};
`;
  writeFileSync(outTs, ts);
  console.log(
    `wrote ${outTs} with ${clangVersion}: ${plain.length} bytes plain, ${relaxed.length} bytes relaxed-SIMD wasm, ` +
      `source sha256 ${sourceSha256.slice(0, 12)}…`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
