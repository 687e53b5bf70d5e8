/**
 * The benchmark's PyTorch twin (test/bench/pytorch-ref.py): it builds the same network as ours from the planned
 * spec (its parameter count is checked against ours), times training and inference, and runs in PyTorch's faster
 * configuration (torch_malloc.py) unless the job asks for glibc's malloc defaults. Needs python3-torch (skipped
 * without it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { layoutParams } from '../../../native-workers/cnn/params';
import { planModel } from '../../../native-workers/cnn/plan';
import { presetSpec, presetTrainingConfig } from '../../../native-workers/cnn/presets';
import { makeTempDir } from '../../support/temp-dir';
import { findPython } from '../export/find-python';

const probe = findPython(['torch', 'numpy']);
if (probe.reason) console.info(`PyTorch peer tests skipped: ${probe.reason} (python3-torch missing).`);
const SCRIPT = path.join(__dirname, '../../bench/pytorch-ref.py');

const spec = presetSpec('reference', { height: 28, width: 28, channels: 1 }, 10);
const params = layoutParams(planModel(spec)).paramCount;
const config = presetTrainingConfig('reference');
const batch = 8;
const n = 16;
const { dir, cleanup } = makeTempDir('cnn-pytorch-peer-');
afterAll(cleanup);

function runJob(extra: Record<string, unknown>): { status: number | null; out: string; err: string } {
  const size = 28 * 28;
  const x = new Float32Array(n * size).map((_, i) => (i % 251) / 251);
  const y = new Int32Array(n).map((_, i) => i % 10);
  fs.writeFileSync(path.join(dir, 'x.f32'), x);
  fs.writeFileSync(path.join(dir, 'y.i32'), y);
  fs.writeFileSync(path.join(dir, 'infer.f32'), x.subarray(0, batch * size));
  const job = {
    spec,
    config: { learningRate: config.learningRate, optimizer: config.optimizer },
    params,
    threads: 1,
    batch,
    warmup: 1,
    windows: 1,
    batches: 2,
    inferBatches: 1,
    data: { x: path.join(dir, 'x.f32'), y: path.join(dir, 'y.i32'), n, inferX: path.join(dir, 'infer.f32') },
    ...extra,
  };
  const jobFile = path.join(dir, 'job.json');
  fs.writeFileSync(jobFile, JSON.stringify(job));
  const r = spawnSync(probe.python ?? 'python3', [SCRIPT, jobFile], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe.skipIf(!probe.python)('the PyTorch twin of the benchmark', () => {
  it('times the same network in its faster allocator configuration', () => {
    const r = runJob({});
    expect(r.status, r.err).toBe(0);
    const result = JSON.parse(r.out.trim().split('\n').pop() ?? '');
    expect(result.params).toBe(params);
    expect(result.malloc).toMatch(/^glibc malloc: mmap threshold \d+ MiB, no trimming$/);
    expect(result.trainWindows).toHaveLength(1);
    expect(result.trainWindows[0]).toBeGreaterThan(0);
    expect(result.inferWindows[0]).toBeGreaterThan(0);
  });

  it('keeps glibc defaults when asked, and refuses a network whose parameter count differs', () => {
    const defaults = runJob({ defaultMalloc: true });
    expect(defaults.status, defaults.err).toBe(0);
    expect(JSON.parse(defaults.out.trim().split('\n').pop() ?? '').malloc).toBe('glibc malloc defaults');
    const wrong = runJob({ params: params + 1 });
    expect(wrong.status).not.toBe(0);
    expect(wrong.err).toContain(`torch module has ${params} parameters, ours ${params + 1}`);
  });
});
