/**
 * Speed benchmark of the reference CNN on real Fashion-MNIST, ours against the peers, in ONE process on the same
 * data (not a timed test: it prints figures). `npm run bench` = build + node out/bench/bench-cnn.js.
 *
 *   ours, 1 worker      DataParallelTrainer(workers = 1) + single-thread in-process inference
 *   ours, N workers     DataParallelTrainer(workers = N, default all cores), inference split over the workers
 *                       (both with the default kernels: the native addon when built, else wasm SIMD; when it is
 *                       the native addon, the same two rows again with the wasm kernels, "cnn-studio wasm (…)")
 *   @tensorflow/tfjs    4.22 wasm backend (+ Conv2DBackpropFilter shim), 1 thread
 *   convnetjs           0.3.0 (+ Adam)
 *
 * Options: --json (one JSON object on stdout, progress on stderr), --workers N, --windows W, --batches B,
 *          --skip-peers, --profile-steps S (per-kernel profile of S single-thread steps, default 20),
 *          --pytorch (also time PyTorch via /usr/bin/python3 test/bench/pytorch-ref.py, 1 and N threads: a separate
 *          process, run right after ours so that it sees the same machine load).
 * Median over timed windows after warm-up. GFLOP/s = img/s × 2.436 MFLOP (inference) or × 7.31 MFLOP (training).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  type KernelChoice,
  fastKernelsBackend,
  kernelsBackend,
  kernelsFor,
} from '../../native-workers/kernels/fast-kernels';
import { buildModel } from '../../native-workers/cnn/model';
import { createOptimizer } from '../../native-workers/cnn/optim/optimizer';
import { profileKernels } from '../../native-workers/kernels/profile-kernels';
import { wasmKernelInstance } from '../../native-workers/kernels/wasm-kernels';
import {
  FWD_FLOPS,
  REFERENCE_CNN,
  REFERENCE_PARAMS,
  TRAIN_FLOPS,
  argValue,
  hasFlag,
  machineInfo,
  median,
  peakRssMb,
  round,
} from './lib/common';
import { fillBatch, loadSplit, shuffled } from './lib/fashion-mnist';
import { type PeerResult, benchConvnetjs, benchTfjsWasm } from './lib/peers';
import {
  BENCH_BATCH,
  type TrainPlan,
  createReferenceTrainer,
  timeTrainSteps,
  trainFigures,
} from './lib/ours-training';
import { adoptKernelMemory } from '../../native-workers/kernels/adopt-kernel-memory';

const JSON_OUT = hasFlag('json');
const log = (s: string) => (JSON_OUT ? process.stderr.write(s + '\n') : console.log(s));
const BS = BENCH_BATCH;

interface OursResult extends PeerResult {
  workers: number;
  stepComputeMs?: number;
  stepReduceMs?: number;
  stepCoordinationMs?: number;
  coresBusyWhileTraining?: number;
  trainImagesPerCpuSecond?: number;
}

async function benchOurs(
  workers: number,
  choice: KernelChoice,
  train: ReturnType<typeof loadSplit>,
  test: ReturnType<typeof loadSplit>,
  idx: Uint32Array,
  plan: TrainPlan & { inferBatches: number },
): Promise<OursResult> {
  const t = await createReferenceTrainer(workers, choice);
  try {
    const training = trainFigures(
      await timeTrainSteps(t, train, idx, plan, log, `ours ${workers} worker(s)`),
    );
    // inference at batch 64
    const xin = test.x.subarray(0, BS * 784);
    const inferWindows: number[] = [];
    if (workers === 1) {
      // single thread, in this process (what a predict call without workers gets)
      const model = buildModel(REFERENCE_CNN, {
        seed: 1,
        batchSize: BS,
        kernels: kernelsFor(choice),
        params: t.params.slice(),
      });
      if (kernelsBackend(choice).startsWith('wasm')) adoptKernelMemory(model);
      for (let i = 0; i < 20; i++) model.forward(xin, { training: false });
      for (let w = 0; w < Math.max(3, plan.windows); w++) {
        const t0 = performance.now();
        for (let i = 0; i < plan.inferBatches; i++) model.forward(xin, { training: false });
        inferWindows.push((plan.inferBatches * BS) / ((performance.now() - t0) / 1000));
      }
    } else {
      for (let i = 0; i < 20; i++) await t.infer(xin, BS);
      for (let w = 0; w < Math.max(3, plan.windows); w++) {
        const t0 = performance.now();
        for (let i = 0; i < plan.inferBatches; i++) await t.infer(xin, BS);
        inferWindows.push((plan.inferBatches * BS) / ((performance.now() - t0) / 1000));
      }
    }
    const inf = median(inferWindows);
    return {
      library: `cnn-studio${choice === 'auto' ? '' : ` ${choice}`} (${workers} worker${workers > 1 ? 's' : ''})`,
      version: '0.1.0',
      backend: `${t.backend}, ${workers} worker thread(s), Adam in workers; inference ${workers === 1 ? 'in-process, 1 thread' : `split over ${workers} workers`}`,
      workers,
      ...training,
      inferImagesPerSecond: round(inf),
      inferGflops: round((inf * FWD_FLOPS) / 1e9, 3),
      inferWindows: inferWindows.map((v) => round(v)),
      params: t.paramCount,
    };
  } finally {
    await t.close();
  }
}

/** Per-kernel times of single-thread in-process training steps, plus the copy volume of the wasm calls. */
function profileOurs(
  train: ReturnType<typeof loadSplit>,
  idx: Uint32Array,
  steps: number,
  choice: KernelChoice,
): Record<string, unknown> {
  const zeroCopy = kernelsBackend(choice).startsWith('wasm');
  // CPU time of this process (only this thread works during the profile): robust to other load on the machine
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const kernels = profileKernels(kernelsFor(choice), cpuMs);
  const model = buildModel(REFERENCE_CNN, { seed: 1, batchSize: BS, kernels });
  if (zeroCopy) adoptKernelMemory(model);
  const opt = createOptimizer({ type: 'adam' }, model.params.length);
  const xb = new Float32Array(BS * 784);
  const yb = new Int32Array(BS);
  for (let i = 0; i < 10; i++) {
    fillBatch(train, idx, i * BS, BS, xb, yb);
    model.computeGradients(xb, yb);
    opt.step(model.params, model.grads, 1e-3);
  }
  kernels.reset();
  const inst = wasmKernelInstance();
  const copied0 = inst?.copiedBytes ?? 0;
  let total = 0;
  let optMs = 0;
  for (let i = 0; i < steps; i++) {
    fillBatch(train, idx, (10 + i) * BS, BS, xb, yb);
    const t0 = cpuMs();
    model.computeGradients(xb, yb);
    const t1 = cpuMs();
    opt.step(model.params, model.grads, 1e-3);
    const t2 = cpuMs();
    total += t2 - t0;
    optMs += t2 - t1;
  }
  const perStep: Record<string, number> = {};
  let opsMs = 0;
  for (const [k, [, ms]] of kernels.times) {
    perStep[k] = round(ms / steps, 3);
    opsMs += ms;
  }
  perStep['optimizer (reference Adam)'] = round(optMs / steps, 3);
  perStep['other (loss, zeroing, glue)'] = round((total - opsMs - optMs) / steps, 3);
  const copiedPerStep = ((inst?.copiedBytes ?? 0) - copied0) / steps;
  // what copying that many bytes costs: Float32Array.set of the same volume
  const a = new Float32Array(1 << 20);
  const b = new Float32Array(1 << 20);
  const reps = Math.max(1, Math.round(copiedPerStep / a.byteLength));
  const c0 = cpuMs();
  for (let r = 0; r < reps * 20; r++) b.set(a);
  const copyMs = ((cpuMs() - c0) / 20 / reps) * (copiedPerStep / a.byteLength);
  return {
    kernels: kernelsBackend(choice) + (zeroCopy ? ', zero-copy' : ''),
    clock: 'process CPU time',
    stepCpuMs: round(total / steps, 3),
    imgPerCpuSecondSingleThread: round((steps * BS) / (total / 1000)),
    msPerStepByKernel: perStep,
    copiedMBPerStep: round(copiedPerStep / 1e6, 2),
    estimatedCopyMsPerStep: round(copyMs, 3),
    estimatedCopyShare: round(copyMs / (total / steps), 3),
  };
}

/** PyTorch (Debian's python3-torch) on the same data, through test/bench/pytorch-ref.py; null when unavailable. */
function benchPytorch(threads: number, windows: number, batches: number): PeerResult | null {
  const script = [
    join(__dirname, '../../test/bench/pytorch-ref.py'),
    join(process.cwd(), 'test/bench/pytorch-ref.py'),
  ].find(existsSync);
  if (!script || !existsSync('/usr/bin/python3')) return null;
  const p = spawnSync('/usr/bin/python3', [script, String(threads), String(windows), String(batches)], {
    encoding: 'utf8',
  });
  const line = p.stdout?.trim().split('\n').pop();
  if (p.status !== 0 || !line) {
    log(`pytorch failed: ${p.stderr?.slice(-500)}`);
    return null;
  }
  const r = JSON.parse(line) as { version: string; trainWindows: number[]; inferWindows: number[] };
  const tr = median(r.trainWindows);
  const inf = median(r.inferWindows);
  return {
    library: `pytorch (${threads} thread${threads > 1 ? 's' : ''})`,
    version: r.version,
    backend: 'python3-torch CPU, separate process',
    trainImagesPerSecond: round(tr),
    inferImagesPerSecond: round(inf),
    trainGflops: round((tr * TRAIN_FLOPS) / 1e9, 3),
    inferGflops: round((inf * FWD_FLOPS) / 1e9, 3),
    trainWindows: r.trainWindows,
    inferWindows: r.inferWindows,
  };
}

async function main(): Promise<void> {
  const nCores = cpus().length;
  const workersN = argValue('workers', nCores);
  const plan = {
    warmup: 5,
    windows: argValue('windows', 5),
    batches: argValue('batches', 30),
    inferBatches: 50,
  };
  const info: Record<string, unknown> = { ...machineInfo(), kernels: fastKernelsBackend() };
  log(
    `cnn-studio bench: reference CNN (${REFERENCE_PARAMS} params), batch ${BS}, Fashion-MNIST; ${nCores} cores`,
  );
  const t0 = performance.now();
  const train = loadSplit('train');
  const test = loadSplit('test');
  log(`loaded Fashion-MNIST in ${round(performance.now() - t0)} ms`);
  const idx = shuffled(train.n, 1234);
  const results: PeerResult[] = [];

  // the default backend, and the wasm one for comparison when the default is the native addon
  const choices: KernelChoice[] = fastKernelsBackend().startsWith('native') ? ['auto', 'wasm'] : ['auto'];
  const profiles: Record<string, unknown>[] = [];
  for (const choice of choices) {
    log(`profiling ours, ${kernelsBackend(choice)} (single thread, in-process)…`);
    profiles.push(profileOurs(train, idx, argValue('profile-steps', 20), choice));
  }
  const profile = profiles[0];
  if (profiles[1]) profile.wasmForComparison = profiles[1];

  for (const choice of choices) {
    log(`ours, ${kernelsBackend(choice)}, 1 worker…`);
    results.push(await benchOurs(1, choice, train, test, idx, plan));
    if (workersN > 1) {
      log(`ours, ${kernelsBackend(choice)}, ${workersN} workers…`);
      results.push(await benchOurs(workersN, choice, train, test, idx, plan));
    }
  }
  if (hasFlag('pytorch')) {
    for (const threads of [...new Set([1, workersN])]) {
      log(`pytorch, ${threads} thread(s)…`);
      const r = benchPytorch(threads, plan.windows, plan.batches);
      if (r) results.push(r);
    }
  }
  if (!hasFlag('skip-peers')) {
    log('tfjs-wasm…');
    try {
      results.push(
        await benchTfjsWasm(train, test, idx, { warmup: 3, windows: 5, batches: 20, inferBatches: 30 }, log),
      );
    } catch (e) {
      log(`tfjs-wasm failed: ${String(e)}`);
    }
    log('convnetjs…');
    try {
      results.push(
        await benchConvnetjs(train, test, idx, { warmup: 2, windows: 3, batches: 5, inferBatches: 10 }, log),
      );
    } catch (e) {
      log(`convnetjs failed: ${String(e)}`);
    }
  }

  const best = results.reduce(
    (a, r) =>
      r.library.startsWith('cnn-studio (') && r.trainImagesPerSecond > a.trainImagesPerSecond ? r : a,
    results[0],
  );
  const tfjs = results.find((r) => r.library === '@tensorflow/tfjs');
  const cnj = results.find((r) => r.library === 'convnetjs');
  const ratios: Record<string, number> = {};
  if (tfjs) {
    ratios.trainVsTfjsWasm = round(best.trainImagesPerSecond / tfjs.trainImagesPerSecond, 2);
    ratios.inferVsTfjsWasm = round(
      Math.max(
        ...results.filter((r) => r.library.startsWith('cnn-studio (')).map((r) => r.inferImagesPerSecond),
      ) / tfjs.inferImagesPerSecond,
      2,
    );
  }
  if (cnj) ratios.trainVsConvnetjs = round(best.trainImagesPerSecond / cnj.trainImagesPerSecond, 1);
  const torchN = results
    .filter((r) => r.library.startsWith('pytorch'))
    .sort((a, b) => b.trainImagesPerSecond - a.trainImagesPerSecond)[0];
  if (torchN)
    ratios.trainVsBestPytorchSameRun = round(best.trainImagesPerSecond / torchN.trainImagesPerSecond, 2);
  ratios.trainVsPytorch2ThreadsQuietMachine1974 = round(best.trainImagesPerSecond / 1974, 2);
  info.peakRssMb = round(peakRssMb());

  const out = {
    benchmark: 'cnn-studio reference CNN, Fashion-MNIST, batch 64',
    model: {
      params: REFERENCE_PARAMS,
      forwardMflop: round(FWD_FLOPS / 1e6, 3),
      trainMflopPerImage: round(TRAIN_FLOPS / 1e6, 2),
    },
    machine: info,
    targets: { trainImagesPerSecond: 2500, inferImagesPerSecond: 15000 },
    results,
    ratios,
    profile,
  };
  if (JSON_OUT) {
    process.stdout.write(JSON.stringify(out) + '\n');
    return;
  }
  log('');
  log('library                          train img/s  GFLOP/s   infer img/s@64  GFLOP/s');
  for (const r of results) {
    log(
      `${r.library.padEnd(32)} ${String(r.trainImagesPerSecond).padStart(11)}  ${String(r.trainGflops).padStart(7)}   ${String(r.inferImagesPerSecond).padStart(14)}  ${String(r.inferGflops).padStart(7)}`,
    );
  }
  log('');
  log(`ratios: ${JSON.stringify(ratios)}`);
  log(`peak RSS: ${info.peakRssMb} MB`);
  log(`profile (single thread, ms per step of 64): ${JSON.stringify(profile, null, 2)}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
