/**
 * Speed inside the app (prints figures; not a test): in ONE process,
 *   (a) the reference CNN's training images/s measured exactly as `npm run bench` measures our DataParallelTrainer
 *       (lib/ours-training.ts: warm-up, then the median of timed windows of trainStep on batches of 64), before and
 *       after (b), so that a change of the shared machine's speed shows;
 *   (b) the `reference` preset trained through the real TrainingService (createServices over a temporary data
 *       folder, a 28 px gray project, N Fashion-MNIST training images imported as PNG class folders through the
 *       dataset service's import, the project's default 80/10/10 split) with the same batch size and worker count,
 *       its images/s taken from the run's record (RunDetail.imagesPerSecond and each epoch's imagesPerSecond: the
 *       training steps only, so the first epoch includes warm-up).
 * Prints both, their ratios (goal: service ≥ 0.90 × bench; the whole run's figure is the strict one, it includes
 * the first steps' warm-up that the bench leaves out), the images per CPU-second of both (robust to other load on a
 * shared machine), the main process's event-loop lag during the run and in its phases (perf_hooks.
 * monitorEventLoopDelay, with an idle baseline taken just before), how long start() blocks the main thread, peak
 * RSS and the machine. `npm run bench:training` = build + node --expose-gc out/bench/bench-training-service.js.
 *
 * Options: --json (one JSON object on stdout, progress on stderr), --workers N (default: every core),
 *          --images N (Fashion-MNIST training images to import, default 20000), --epochs E (default 5),
 *          --windows W, --batches B (the bench's windows, as `npm run bench`), --no-bench-after (measure (a) once),
 *          --cache DIR (where the PNG class folders are written once; default $TMPDIR/cnn-studio-bench),
 *          --keep (keep the temporary data folder).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance as perfHooks } from 'node:perf_hooks';
import type { EpochMetrics, RunDetail } from '../../app/domain/training';
import { createServices } from '../../main/services/services';
import { presetSettings } from '../../main/services/training/settings';
import { appVersion, findAppRoot, workersDirFor } from '../../main/storage/app-paths';
import { fastKernelsBackend } from '../../native-workers/kernels/fast-kernels';
import { argValue, hasFlag, machineInfo, median, peakRssMb, round } from './lib/common';
import { loadSplit, shuffled } from './lib/fashion-mnist';
import {
  BENCH_BATCH,
  type TrainFigures,
  type TrainPlan,
  createReferenceTrainer,
  timeTrainSteps,
  trainFigures,
} from './lib/ours-training';

const JSON_OUT = hasFlag('json');
const log = (s: string) => (JSON_OUT ? process.stderr.write(s + '\n') : console.log(s));
const GOAL = 0.9;
const LAG_RESOLUTION_MS = 10;
/** A monitorEventLoopDelay figure (ns, timer interval included) as lag in ms. */
const lagMs = (ns: number) => round(Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS), 2);

interface LagFigures {
  p50: number;
  p99: number;
  max: number;
}

/** The main thread's event-loop lag from construction to stop(). */
class LagMonitor {
  private readonly h = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  constructor() {
    this.h.enable();
  }
  stop(): LagFigures {
    this.h.disable();
    return { p50: lagMs(this.h.percentile(50)), p99: lagMs(this.h.percentile(99)), max: lagMs(this.h.max) };
  }
}

/** Peak RSS of this process (worker threads included) while a phase runs, sampled every 20 ms. */
class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;
  constructor() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 20);
  }
  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return round(this.peak / 2 ** 20);
  }
}

/** The first `count` Fashion-MNIST training images as PNG class folders (written once, then reused). */
function fashionPngs(cacheDir: string, count: number): string {
  const out = path.join(cacheDir, `fashion-mnist-png-${count}`);
  const done = path.join(out, '.complete');
  if (fs.existsSync(done)) return path.join(out, 'train');
  const script = path.join(findAppRoot(__dirname), 'scripts', 'make-fashion-mnist-pngs.mjs');
  log(`writing ${count} Fashion-MNIST PNGs to ${out} (once)…`);
  const t0 = performance.now();
  execFileSync(process.execPath, [script, out, '--split', 'train', '--limit', String(count)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  log(`  done in ${round((performance.now() - t0) / 1000)} s`);
  fs.writeFileSync(done, '');
  return path.join(out, 'train');
}

interface BenchPhase extends TrainFigures {
  peakRssMb: number;
}

/** (a): `npm run bench`'s measurement of ours with `workers` workers and the default kernels. */
async function benchPhase(workers: number, plan: TrainPlan, label: string): Promise<BenchPhase> {
  const rss = new RssSampler();
  const train = loadSplit('train');
  const idx = shuffled(train.n, 1234);
  const t = await createReferenceTrainer(workers, 'auto');
  let timing;
  try {
    timing = await timeTrainSteps(t, train, idx, plan, log, label);
  } finally {
    await t.close();
  }
  return { ...trainFigures(timing), peakRssMb: rss.stop() };
}

/** Lets the previous phase's data go before the next phase's RSS is sampled (when run with --expose-gc). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

interface ServicePhase {
  images: { requested: number; imported: number; train: number; val: number; test: number };
  importSeconds: number;
  importImagesPerSecond: number;
  run: {
    status: string;
    /** RunDetail.imagesPerSecond: all training images / all training-step seconds of the run. */
    imagesPerSecond: number;
    epochs: { epoch: number; imagesPerSecond: number; seconds: number; valAccuracy: number | null }[];
    meanEpochImagesPerSecond: number;
    meanEpochImagesPerSecondAfterFirst: number | null;
    bestEpochImagesPerSecond: number;
    /** Median of the worker's progress windows (about 100 ms of steps each). */
    medianProgressImagesPerSecond: number | null;
    /**
     * Training images per second of process CPU time (all threads) from the first to the last progress event:
     * includes the epoch ends (validation, checkpoints) and the main thread in that time, so it is a lower bound.
     */
    imagesPerCpuSecond: number | null;
    /** Wall time from start() to the end of waitFor(), and the training-step share of it. */
    wallSeconds: number;
    trainStepSeconds: number;
  };
  /**
   * How late the main thread's event loop ran a 10 ms repeating timer (monitorEventLoopDelay records the whole
   * interval; the 10 ms are taken off), and the share of the run the main thread was busy.
   */
  eventLoopLagMs: LagFigures & {
    idleBefore: LagFigures;
    start?: LagFigures;
    training?: LagFigures;
    finish?: LagFigures;
  };
  /** How long TrainingService.start() blocked the main thread. */
  startCallMs: number;
  mainThreadUtilization: number;
  peakRssMb: number;
}

function cpuPerImage(
  a: { step: number; cpu: NodeJS.CpuUsage },
  b: { step: number; cpu: NodeJS.CpuUsage },
): number | null {
  const cpu = (b.cpu.user - a.cpu.user + b.cpu.system - a.cpu.system) / 1e6;
  return cpu > 0 && b.step > a.step ? round(((b.step - a.step) * BENCH_BATCH) / cpu) : null;
}

/** (b): the reference preset through the real TrainingService. */
async function servicePhase(workers: number, count: number, epochs: number, cacheDir: string) {
  const pngs = fashionPngs(cacheDir, count);
  const appRoot = findAppRoot(__dirname);
  const dataDir = fs.mkdtempSync(path.join(tmpdir(), 'cnn-bench-training-'));
  const services = createServices({
    dataDir,
    workersDir: workersDirFor(appRoot),
    mediaBaseUrl: '',
    version: appVersion(appRoot),
  });
  try {
    const project = services.projects.create({ name: 'bench-training', inputSize: 28, color: 'gray' });
    log(`importing ${pngs} …`);
    const t0 = performance.now();
    const summary = await services.dataset.importAndWait(project.id, { paths: [pngs] });
    const importSeconds = (performance.now() - t0) / 1000;
    if (summary.status !== 'completed') throw new Error(`import ${summary.status}: ${summary.error ?? ''}`);
    const split = services.dataset.stats(project.id).perSplit;
    log(
      `  ${summary.imported} imported (${summary.duplicates} duplicates) in ${round(importSeconds)} s; ` +
        `split train ${split.train}, val ${split.val}, test ${split.test}`,
    );

    const settings = { ...presetSettings('reference'), epochs, batchSize: BENCH_BATCH, workers };
    // The main thread's lag: idle for 2 s first (what the machine's load alone causes), then over the whole run
    // and in its three phases: start (snapshot, worker start, loading tensors), training (first progress event to
    // the last epoch event), finish (predictions of every image written, the run closed).
    const idle = new LagMonitor();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleLag = idle.stop();
    const phases = {
      start: new LagMonitor(),
      training: null as LagMonitor | null,
      finish: null as LagMonitor | null,
    };
    const lags: Partial<Record<'start' | 'training' | 'finish', LagFigures>> = {};
    const progressRates: number[] = [];
    // Process CPU time (every thread) between the first and the last progress event: robust to other load on the
    // machine, unlike wall time, and comparable with the bench's img per CPU-second.
    let first: { step: number; cpu: NodeJS.CpuUsage } | null = null;
    let last: { step: number; cpu: NodeJS.CpuUsage } | null = null;
    const unsubscribe = services.training.subscribe((e) => {
      if (e.kind === 'progress') {
        progressRates.push(e.payload.imagesPerSecond);
        last = { step: e.payload.step, cpu: process.cpuUsage() };
        if (!first) {
          first = last;
          lags.start = phases.start.stop();
          phases.training = new LagMonitor();
        }
      } else if (e.kind === 'epoch' && e.payload.metrics.epoch === epochs && phases.training) {
        lags.training = phases.training.stop();
        phases.finish = new LagMonitor();
      }
    });
    const rss = new RssSampler();
    log(
      `training the reference preset through the TrainingService: ${epochs} epochs, batch 64, ${workers} workers…`,
    );
    const whole = new LagMonitor();
    const elu0 = perfHooks.eventLoopUtilization();
    const w0 = performance.now();
    const started = services.training.start(project.id, settings, 'bench');
    const startCallMs = performance.now() - w0;
    const outcome = await services.training.waitFor(project.id, started.id);
    const wallSeconds = (performance.now() - w0) / 1000;
    const wholeLag = whole.stop();
    if (phases.finish) lags.finish = phases.finish.stop();
    const elu = perfHooks.eventLoopUtilization(elu0);
    const peak = rss.stop();
    unsubscribe();
    const run: RunDetail = services.runs.show(project.id, outcome.run.id);
    if (run.status !== 'completed')
      throw new Error(`run ${run.status}${run.failure ? `: ${run.failure.code} ${run.failure.detail}` : ''}`);
    for (const e of run.epochs)
      log(
        `  epoch ${e.epoch}: ${round(e.imagesPerSecond)} img/s (training steps), ${round(e.seconds, 2)} s with ` +
          `validation, val accuracy ${e.valAccuracy === null ? '-' : (e.valAccuracy * 100).toFixed(2) + ' %'}`,
      );
    const rates = run.epochs.map((e: EpochMetrics) => e.imagesPerSecond);
    const cpuWindow = first && last ? cpuPerImage(first, last) : null;
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const trainImages = run.dataset.train * run.epochs.length;
    const out: ServicePhase = {
      images: {
        requested: count,
        imported: summary.imported,
        train: run.dataset.train,
        val: run.dataset.val,
        test: run.dataset.test,
      },
      importSeconds: round(importSeconds, 1),
      importImagesPerSecond: round(summary.imported / importSeconds),
      run: {
        status: run.status,
        imagesPerSecond: round(run.imagesPerSecond ?? 0),
        epochs: run.epochs.map((e) => ({
          epoch: e.epoch,
          imagesPerSecond: round(e.imagesPerSecond),
          seconds: round(e.seconds, 2),
          valAccuracy: e.valAccuracy === null ? null : round(e.valAccuracy, 4),
        })),
        meanEpochImagesPerSecond: round(mean(rates)),
        meanEpochImagesPerSecondAfterFirst: rates.length > 1 ? round(mean(rates.slice(1))) : null,
        bestEpochImagesPerSecond: round(Math.max(...rates)),
        medianProgressImagesPerSecond: progressRates.length ? round(median(progressRates)) : null,
        imagesPerCpuSecond: cpuWindow,
        wallSeconds: round(wallSeconds, 2),
        trainStepSeconds: run.imagesPerSecond ? round(trainImages / run.imagesPerSecond, 2) : 0,
      },
      eventLoopLagMs: { ...wholeLag, idleBefore: idleLag, ...lags },
      startCallMs: round(startCallMs, 1),
      mainThreadUtilization: round(elu.utilization, 3),
      peakRssMb: peak,
    };
    return { out, dataDir };
  } finally {
    await services.dispose();
    if (!hasFlag('keep')) fs.rmSync(dataDir, { recursive: true, force: true });
    else log(`data folder kept: ${dataDir}`);
  }
}

async function main(): Promise<void> {
  const workers = argValue('workers', cpus().length);
  const count = argValue('images', 20_000);
  const epochs = argValue('epochs', 5);
  const cacheDir = argValue('cache', path.join(tmpdir(), 'cnn-studio-bench'));
  const plan: TrainPlan = { warmup: 5, windows: argValue('windows', 5), batches: argValue('batches', 30) };
  const benchAfter = !hasFlag('no-bench-after');
  const machine: Record<string, unknown> = { ...machineInfo(), kernels: fastKernelsBackend() };
  log(
    `cnn-studio training-service bench: reference CNN, batch ${BENCH_BATCH}, ${workers} workers, ` +
      `${machine.cpus} cores, kernels ${String(machine.kernels)}`,
  );

  log('(a) npm run bench’s measurement, before the service run…');
  const before = await benchPhase(workers, plan, `bench ${workers} worker(s), before`);
  log(`  → ${before.trainImagesPerSecond} img/s (median of ${plan.windows} windows)`);

  log('(b) the training service…');
  collectGarbage();
  const { out: service } = await servicePhase(workers, count, epochs, cacheDir);

  let after: BenchPhase | null = null;
  if (benchAfter) {
    log('(a) again, after the service run…');
    collectGarbage();
    after = await benchPhase(workers, plan, `bench ${workers} worker(s), after`);
    log(`  → ${after.trainImagesPerSecond} img/s`);
  }
  const bench = after
    ? round((before.trainImagesPerSecond + after.trainImagesPerSecond) / 2)
    : before.trainImagesPerSecond;
  const r = service.run;
  const ratio = (v: number | null) => (v === null ? null : round(v / bench, 3));
  const ratios = {
    run: ratio(r.imagesPerSecond),
    meanEpoch: ratio(r.meanEpochImagesPerSecond),
    meanEpochAfterFirst: ratio(r.meanEpochImagesPerSecondAfterFirst),
    bestEpoch: ratio(r.bestEpochImagesPerSecond),
    runVsBenchBefore: round(r.imagesPerSecond / before.trainImagesPerSecond, 3),
    runVsBenchAfter: after ? round(r.imagesPerSecond / after.trainImagesPerSecond, 3) : null,
    /** CPU efficiency: service img per CPU-second (a lower bound, see imagesPerCpuSecond) / the bench's. */
    perCpuSecond:
      r.imagesPerCpuSecond === null
        ? null
        : round(
            r.imagesPerCpuSecond /
              (after
                ? (before.trainImagesPerCpuSecond + after.trainImagesPerCpuSecond) / 2
                : before.trainImagesPerCpuSecond),
            3,
          ),
  };
  machine.peakRssMb = round(peakRssMb());
  const result = {
    benchmark: 'cnn-studio training service vs npm run bench, reference CNN, Fashion-MNIST, batch 64',
    machine,
    workers,
    plan,
    bench: {
      trainImagesPerSecond: bench,
      before,
      after,
    },
    service,
    ratios,
    goal: {
      ratio: GOAL,
      runMeetsGoal: (ratios.run ?? 0) >= GOAL,
      bestEpochMeetsGoal: (ratios.bestEpoch ?? 0) >= GOAL,
    },
  };
  if (JSON_OUT) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  log('');
  log(
    `bench (npm run bench's measurement)   ${bench} img/s` +
      (after ? ` (before ${before.trainImagesPerSecond}, after ${after.trainImagesPerSecond})` : ''),
  );
  log(`service, whole run (RunDetail)        ${r.imagesPerSecond} img/s   ratio ${ratios.run}`);
  log(
    `service, mean of epochs               ${r.meanEpochImagesPerSecond} img/s   ratio ${ratios.meanEpoch}`,
  );
  if (r.meanEpochImagesPerSecondAfterFirst !== null)
    log(
      `service, mean of epochs 2..${r.epochs.length}           ${r.meanEpochImagesPerSecondAfterFirst} img/s   ratio ${ratios.meanEpochAfterFirst}`,
    );
  log(
    `service, best epoch                   ${r.bestEpochImagesPerSecond} img/s   ratio ${ratios.bestEpoch}`,
  );
  log(
    `img per CPU-second (all threads): service ${r.imagesPerCpuSecond} (from the first to the last progress event, ` +
      `epoch ends included), bench ${before.trainImagesPerCpuSecond}` +
      (after ? `/${after.trainImagesPerCpuSecond}` : '') +
      `   ratio ${ratios.perCpuSecond}`,
  );
  log(
    `goal: ratio ≥ ${GOAL} (whole run ${result.goal.runMeetsGoal ? 'met' : 'NOT met'}, best epoch ${result.goal.bestEpochMeetsGoal ? 'met' : 'NOT met'})`,
  );
  log(
    `service run: ${r.wallSeconds} s wall, ${r.trainStepSeconds} s in training steps; ` +
      `${service.images.train}/${service.images.val}/${service.images.test} train/val/test images`,
  );
  const lagText = (l: LagFigures | undefined) => (l ? `p50 ${l.p50}, p99 ${l.p99}, max ${l.max} ms` : '-');
  const lag = service.eventLoopLagMs;
  log(
    `main event-loop lag during the run: ${lagText(lag)}; main thread busy ${round(service.mainThreadUtilization * 100)} % ` +
      `of the run; start() blocked it ${service.startCallMs} ms`,
  );
  log(
    `  by phase: start ${lagText(lag.start)}; training ${lagText(lag.training)}; finish ${lagText(lag.finish)}; ` +
      `idle main thread before the run ${lagText(lag.idleBefore)}`,
  );
  log(
    `peak RSS: service run ${service.peakRssMb} MB, bench ${before.peakRssMb}` +
      (after ? `/${after.peakRssMb}` : '') +
      ` MB, whole process ${machine.peakRssMb} MB`,
  );
  log(`machine: ${JSON.stringify(machine)}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
