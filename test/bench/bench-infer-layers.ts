/**
 * Where one inference pass of a preset goes, ours against onnxruntime-node, per layer (single thread):
 * `node out/bench/bench-infer-layers.js [--preset medium|large] [--size 96] [--batch 32] [--steps 30]`.
 * Ours: every kernel call of the inference plan timed by op and geometry (profileKernels, process CPU time) and
 * the non-kernel layers (global average pooling) behind a timing Proxy. onnxruntime-node: its own per-node profile
 * (enableProfiling) on the app's ONNX export of the same network, intraOpNumThreads 1. Both at batch B and 1.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PresetName, presetSpec } from '../../native-workers/cnn/presets';
import { buildModel } from '../../native-workers/cnn/model';
import { ONNX_INPUT_NAME } from '../../native-workers/export/onnx-runtime';
import { kernelsFor } from '../../native-workers/kernels/fast-kernels';
import { profileKernels } from '../../native-workers/kernels/profile-kernels';
import { argValue, processCpuMs as cpuMs } from './lib/common';
import { exportSpecToOnnx, ortSessionOptions } from './lib/ort-peer';

type Ort = typeof import('onnxruntime-node');

const preset = argValue('preset', 'medium') as PresetName;
const size = argValue('size', 96);
const batch = argValue('batch', 32);
const steps = argValue('steps', 50);
const spec = presetSpec(preset, { height: size, width: size, channels: 3 }, 10);
const input = (n: number): Float32Array => {
  const x = new Float32Array(n * 3 * size * size);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 0.5 + 0.5;
  return x;
};

/** ms per call of each kernel op + geometry, and of the whole forward, at batch n. */
function ours(n: number): Record<string, number> {
  const k = profileKernels(kernelsFor('native'), cpuMs);
  const model = buildModel(spec, { seed: 1, batchSize: batch, kernels: k });
  const x = input(n);
  for (let i = 0; i < 5; i++) model.forward(x, { training: false });
  k.reset();
  const t0 = cpuMs();
  for (let i = 0; i < steps; i++) model.forward(x, { training: false });
  const total = (cpuMs() - t0) / steps;
  const out: Record<string, number> = {};
  let kernels = 0;
  for (const [key, [, ms]] of k.times) {
    out[key] = +(ms / steps).toFixed(3);
    kernels += ms / steps;
  }
  out['(other: glue, non-kernel layers)'] = +(total - kernels).toFixed(3);
  out['TOTAL'] = +total.toFixed(3);
  const plain = buildModel(spec, { seed: 1, batchSize: batch, kernels: kernelsFor('native') });
  for (let i = 0; i < 5; i++) plain.forward(x, { training: false });
  const t1 = cpuMs();
  for (let i = 0; i < steps; i++) plain.forward(x, { training: false });
  out['TOTAL (no profiling)'] = +((cpuMs() - t1) / steps).toFixed(3);
  return out;
}

/** ms per run of each ORT node (its own profile, microseconds of wall time), and the process CPU ms per run. */
async function onnx(n: number): Promise<Record<string, number>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as Ort;
  const base = `ort-prof-${process.pid}-${n}`;
  const prefix = join(tmpdir(), base);
  const session = await ort.InferenceSession.create(exportSpecToOnnx(spec), {
    ...ortSessionOptions(1),
    enableProfiling: true,
    profileFilePrefix: prefix,
  });
  const x = new ort.Tensor('float32', input(n), [n, 3, size, size]);
  for (let i = 0; i < 5; i++) await session.run({ [ONNX_INPUT_NAME]: x });
  const t0 = cpuMs();
  for (let i = 0; i < steps; i++) await session.run({ [ONNX_INPUT_NAME]: x });
  const total = (cpuMs() - t0) / steps;
  session.endProfiling();
  await session.release();
  // the whole forward without the profiler's own cost
  const plain = await ort.InferenceSession.create(exportSpecToOnnx(spec), ortSessionOptions(1));
  for (let i = 0; i < 5; i++) await plain.run({ [ONNX_INPUT_NAME]: x });
  const t1 = cpuMs();
  for (let i = 0; i < steps; i++) await plain.run({ [ONNX_INPUT_NAME]: x });
  const unprofiled = (cpuMs() - t1) / steps;
  await plain.release();
  // the profile is written to PREFIX_<date>_<time>.json
  const name = readdirSync(tmpdir()).find((f) => f.startsWith(`${base}_`) && f.endsWith('.json'));
  if (!name) throw new Error(`no onnxruntime profile ${prefix}_*.json`);
  const path = join(tmpdir(), name);
  const events = JSON.parse(readFileSync(path, 'utf8')) as {
    cat: string;
    name: string;
    dur: number;
    args?: { op_name?: string };
  }[];
  rmSync(path, { force: true });
  const sums = new Map<string, number[]>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const key = `${e.args?.op_name ?? '?'} ${e.name.replace(/_kernel_time$/, '')}`;
    const a = sums.get(key) ?? [];
    a.push(e.dur / 1000);
    sums.set(key, a);
  }
  const out: Record<string, number> = {};
  let nodes = 0;
  for (const [key, a] of sums) {
    // the runs after warm-up: the last `steps`
    const timed = a.slice(-steps);
    const ms = timed.reduce((p, q) => p + q, 0) / timed.length;
    out[key] = +ms.toFixed(3);
    nodes += ms;
  }
  out['(nodes, wall)'] = +nodes.toFixed(3);
  out['TOTAL (process CPU, profiling)'] = +total.toFixed(3);
  out['TOTAL (process CPU, no profiling)'] = +unprofiled.toFixed(3);
  return out;
}

async function main(): Promise<void> {
  for (const n of [batch, 1]) {
    console.log(`\n${preset} ${size}px rgb, batch ${n}, ms per forward (mean of ${steps})`);
    console.log('ours:', JSON.stringify(ours(n), null, 1));
    if (!process.argv.includes('--ours-only'))
      console.log('onnxruntime-node:', JSON.stringify(await onnx(n), null, 1));
  }
}

void main();
