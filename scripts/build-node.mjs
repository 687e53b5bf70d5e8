// Bundles everything that runs in Node or Electron's Node side with esbuild:
//   main/index.ts -> out/main/index.js (Electron main), main/preload/index.ts -> out/preload/index.js (sandboxed
//   preload: one CommonJS file that requires only 'electron'), main/cli/index.ts -> out/cli/index.js,
//   native-workers/*-worker.ts -> out/workers/<name>.js (Node 20 cannot start a worker from .ts),
//   test/bench/bench-*.ts -> out/bench/<name>.js, test/e2e/support/bridge-entry.ts -> out/test-bridge/bridge.js;
//   main/services/training-package/python/*.py|txt -> out/training-package/python/ (copied).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const rel = (...p) => path.join(root, ...p);
// Native addons, wasm-shipping libraries and Electron itself are loaded from node_modules at run time. The export
// parity worker (out/workers/export-parity-worker.js) needs onnxruntime-web and @tensorflow/tfjs left external:
// onnxruntime-web finds its .wasm files next to its own entry point in node_modules, never inside a bundle.
const external = [
  'electron',
  'better-sqlite3',
  'sharp',
  '@tensorflow/*',
  'convnetjs',
  'onnxruntime-node',
  'onnxruntime-web',
  'playwright-core',
];
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external,
  logLevel: 'warning',
};

const list = (dir, pattern) =>
  fs.existsSync(rel(dir))
    ? fs
        .readdirSync(rel(dir))
        .filter((f) => pattern.test(f))
        .map((f) => rel(dir, f))
    : [];

const jobs = [
  { ...node, entryPoints: [rel('main/index.ts')], outfile: rel('out/main/index.js') },
  {
    ...node,
    entryPoints: [rel('main/preload/index.ts')],
    outfile: rel('out/preload/index.js'),
    sourcemap: false,
  },
  { ...node, entryPoints: [rel('main/cli/index.ts')], outfile: rel('out/cli/index.js') },
];
const workers = list('native-workers', /-worker\.ts$/);
if (workers.length) jobs.push({ ...node, entryPoints: workers, outdir: rel('out/workers') });
const benches = list('test/bench', /^bench-.*\.ts$/);
if (benches.length) jobs.push({ ...node, entryPoints: benches, outdir: rel('out/bench') });
if (fs.existsSync(rel('test/e2e/support/bridge-entry.ts'))) {
  jobs.push({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    entryPoints: [rel('test/e2e/support/bridge-entry.ts')],
    outfile: rel('out/test-bridge/bridge.js'),
    logLevel: 'warning',
  });
}
await Promise.all(jobs.map((job) => build(job)));

// The training package's static Python files (train.py, cnnstudio_package.py, requirements.txt), which
// export-training copies into every package: out/training-package/python/ (main/services/training-package/
// python-files.ts looks there when it runs from a bundle).
const pythonDir = rel('main/services/training-package/python');
if (fs.existsSync(pythonDir)) {
  const target = rel('out/training-package/python');
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  for (const f of fs.readdirSync(pythonDir).filter((n) => /\.(py|txt)$/.test(n)))
    fs.copyFileSync(path.join(pythonDir, f), path.join(target, f));
}
