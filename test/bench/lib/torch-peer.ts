/**
 * The PyTorch twin (--pytorch): Debian's python3-torch runs test/bench/pytorch-ref.py in a separate process, right
 * after our rows so that it sees the same machine load, on the same network (built from our planned spec by
 * test/bench/torch_from_spec.py; its parameter count is checked against ours), the same optimizer configuration,
 * batch and images (handed over as raw float32 files). PyTorch runs in its faster configuration (test/bench/
 * torch_malloc.py: with glibc's malloc defaults it page-faults its activations afresh on every step for its first
 * few hundred steps, 2-3x slower than once warm) unless `defaultMalloc` asks for the defaults.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelSpec, TrainingConfig } from '../../../app/domain/model-spec';
import type { BatchSource } from './bench-data';
import { median, round } from './common';
import type { OursPlan } from './ours-rows';
import type { RawRow } from './rows';

const PYTHON = '/usr/bin/python3';

function scriptPath(): string | undefined {
  return [
    join(__dirname, '../../test/bench/pytorch-ref.py'),
    join(process.cwd(), 'test/bench/pytorch-ref.py'),
  ].find(existsSync);
}

/** PyTorch rows for each thread count (null entries dropped when python3-torch is unavailable or fails). */
export function benchPytorch(opts: {
  spec: ModelSpec;
  config: Pick<TrainingConfig, 'learningRate' | 'optimizer' | 'clipGradNorm'>;
  params: number;
  source: BatchSource;
  batch: number;
  threads: number[];
  plan: OursPlan;
  defaultMalloc?: boolean;
  log: (line: string) => void;
}): RawRow[] {
  const { source, batch, log } = opts;
  const script = scriptPath();
  if (!script || !existsSync(PYTHON)) {
    log('pytorch: /usr/bin/python3 or test/bench/pytorch-ref.py not found, skipped');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'cnn-bench-torch-'));
  try {
    const n = Math.min(4096, Math.max(batch * 4, Math.floor(16e6 / source.inputSize)));
    const x = new Float32Array(n * source.inputSize);
    const y = new Int32Array(n);
    source.fill(0, n, x, y);
    writeFileSync(join(dir, 'x.f32'), x);
    writeFileSync(join(dir, 'y.i32'), y);
    writeFileSync(join(dir, 'infer.f32'), source.inferBatch(batch));
    const rows: RawRow[] = [];
    for (const threads of opts.threads) {
      log(`pytorch, ${threads} thread(s)…`);
      const job = {
        spec: opts.spec,
        config: opts.config,
        params: opts.params,
        threads,
        batch,
        warmup: opts.plan.warmup,
        windows: opts.plan.windows,
        batches: opts.plan.batches,
        inferBatches: opts.plan.inferBatches,
        defaultMalloc: opts.defaultMalloc ?? false,
        data: { x: join(dir, 'x.f32'), y: join(dir, 'y.i32'), n, inferX: join(dir, 'infer.f32') },
      };
      const jobFile = join(dir, `job-${threads}.json`);
      writeFileSync(jobFile, JSON.stringify(job));
      const p = spawnSync(PYTHON, [script, jobFile], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const line = p.stdout?.trim().split('\n').pop();
      if (p.status !== 0 || !line) {
        log(`pytorch failed: ${p.stderr?.slice(-800)}`);
        continue;
      }
      const r = JSON.parse(line) as {
        version: string;
        params: number;
        malloc: string;
        trainWindows: number[];
        inferWindows: number[];
        inferBatch1Windows: number[];
      };
      rows.push({
        library: `pytorch (${threads} thread${threads > 1 ? 's' : ''})`,
        version: r.version,
        backend: `python3-torch CPU, separate process, ${opts.config.optimizer.type}${opts.config.clipGradNorm !== undefined ? ' + clip' : ''}; ${r.malloc}; inference eval + no_grad`,
        threads,
        trainImagesPerSecond: round(median(r.trainWindows)),
        inferImagesPerSecond: round(median(r.inferWindows)),
        inferBatch1ImagesPerSecond: round(median(r.inferBatch1Windows)),
        trainWindows: r.trainWindows,
        inferWindows: r.inferWindows,
        params: r.params,
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
