/**
 * Speed benchmark of our CNN against its peers, in ONE run on the same machine (not a timed test: it prints
 * figures). `npm run bench` = build + node out/bench/bench-cnn.js.
 *
 * Default (no --preset): the reference CNN at 28×28 gray, batch 64, on real Fashion-MNIST, against
 *   @tensorflow/tfjs 4.22 wasm (+ Conv2DBackpropFilter shim, 1 thread) and convnetjs 0.3.0 (+ Adam), plus the
 *   per-kernel profile of the JSON's `profile`.
 * --preset NAME [--size PX] [--color gray|rgb] [--batch B]: any preset (native-workers/cnn/presets.ts) at any
 *   input (default 96 px RGB, the preset's batch size), trained with the preset's optimizer configuration, on
 *   Fashion-MNIST upscaled to the size (tinted for RGB; lib/bench-data.ts).
 *
 * Rows, for either:
 *   cnn-studio (1 worker)   DataParallelTrainer(workers 1) training, as the app trains (lib/ours-training.ts);
 *                           inference single-threaded in this process at batch B and batch 1
 *   cnn-studio (N workers)  DataParallelTrainer(workers N = --workers, default all cores); inference split over them
 *   (with the native addon, the default rows also run with the wasm kernels; for a preset with --wasm)
 *   onnxruntime-node        inference only: the app's ONNX export of the same network, 1 and N intra-op threads,
 *                           batch B and batch 1 (lib/ort-peer.ts)
 *   pytorch (--pytorch)     python3-torch on the same network, optimizer, batch and images, 1 and N threads, in its
 *                           faster configuration (glibc malloc keeps freed memory; --pytorch-default-malloc for
 *                           glibc's defaults) (lib/torch-peer.ts, test/bench/pytorch-ref.py, torch_from_spec.py,
 *                           torch_malloc.py)
 * Each row: images/s (median of timed windows after a warm-up), GFLOP/s from the network's FLOPs counted over its
 * planned layers (lib/flops.ts: 2·MACs of conv/dense forward, training = forward + backward without the first
 * layer's input gradient), and % of the machine's peak = GFLOP/s / (threads × the one-thread FMA peak the addon
 * measures at its instruction set, lib/machine.ts).
 *
 * Options: --json (one JSON object on stdout, progress on stderr), --workers N, --windows W, --batches S (steps per
 *   window), --infer-batches I, --skip-peers (no tfjs/convnetjs/onnxruntime), --pytorch [--pytorch-default-malloc], --profile (per-layer
 *   profile of the network, 1 thread), --profile-steps S, --wasm, --optimizer-on-main-thread (our training rows step
 *   the optimizer on the coordinating thread, as AdamW + clipping did before it ran in the workers).
 */
import { cpus } from 'node:os';
import type { ModelSpec, TrainingConfig } from '../../app/domain/model-spec';
import { layoutParams } from '../../native-workers/cnn/params';
import { planModel } from '../../native-workers/cnn/plan';
import { type PresetName, presetSpec, presetTrainingConfig, presets } from '../../native-workers/cnn/presets';
import {
  type KernelChoice,
  fastKernelsBackend,
  kernelsBackend,
} from '../../native-workers/kernels/fast-kernels';
import { type BatchSource, fashionMnistPhotoSource, fashionMnistSource } from './lib/bench-data';
import { REFERENCE_CNN, REFERENCE_PARAMS, argValue, hasFlag, peakRssMb, round } from './lib/common';
import { loadSplit, shuffled } from './lib/fashion-mnist';
import { countFlops } from './lib/flops';
import { profileKernelsOfReference } from './lib/kernel-profile';
import { profileLayers } from './lib/layer-profile';
import { describeMachine, measureMachine } from './lib/machine';
import { benchOnnxRuntime } from './lib/ort-peer';
import { type OursPlan, benchOurs } from './lib/ours-rows';
import { benchConvnetjs, benchTfjsWasm } from './lib/peers';
import { printLayerProfile, printRows } from './lib/print';
import { benchRatios } from './lib/ratios';
import { type BenchRow, type RawRow, type RunContext, finishRow } from './lib/rows';
import { benchPytorch } from './lib/torch-peer';

const JSON_OUT = hasFlag('json');
const log = (s: string) => (JSON_OUT ? process.stderr.write(s + '\n') : console.log(s));

/** What one run benchmarks. */
interface Workload {
  preset: string;
  spec: ModelSpec;
  config: Pick<TrainingConfig, 'learningRate' | 'optimizer' | 'clipGradNorm'>;
  size: number;
  color: 'gray' | 'rgb';
  batch: number;
  /** The default run: the reference CNN on real Fashion-MNIST, with the JS peers and the kernel profile. */
  reference: boolean;
  plan: OursPlan;
}

function workload(): Workload {
  const name = process.argv.includes('--preset') ? argValue('preset', '') : null;
  const plan = (d: OursPlan): OursPlan => ({
    warmup: argValue('warmup', d.warmup),
    windows: argValue('windows', d.windows),
    batches: argValue('batches', d.batches),
    inferBatches: argValue('infer-batches', d.inferBatches),
  });
  if (name === null) {
    return {
      preset: 'reference',
      spec: REFERENCE_CNN,
      config: { learningRate: 1e-3, optimizer: { type: 'adam' } },
      size: 28,
      color: 'gray',
      batch: 64,
      reference: true,
      plan: plan({ warmup: 5, windows: 5, batches: 30, inferBatches: 50 }),
    };
  }
  if (!presets.some((p) => p.name === name))
    throw new Error(`unknown preset ${name} (${presets.map((p) => p.name).join(', ')})`);
  const preset = name as PresetName;
  const size = argValue('size', 96);
  const color = argValue('color', 'rgb');
  if (color !== 'gray' && color !== 'rgb') throw new Error(`--color gray|rgb, got ${color}`);
  const config = presetTrainingConfig(preset);
  return {
    preset,
    spec: presetSpec(preset, { height: size, width: size, channels: color === 'rgb' ? 3 : 1 }, 10),
    config,
    size,
    color,
    batch: argValue('batch', config.batchSize),
    reference: false,
    // A new trainer's first few dozen steps run far slower (its buffers are first touched, code warms up): with 3
    // warm-up steps, 2 workers of `medium` measured 633 img/s and scaled 1.24×, with 60 they measure 1,208 and 1.83×.
    // PyTorch gets the same warm-up (the plan is passed to it).
    plan: plan({ warmup: 60, windows: 5, batches: 20, inferBatches: 10 }),
  };
}

async function main(): Promise<void> {
  const machine = measureMachine();
  const w = workload();
  const nCores = cpus().length;
  const workersN = argValue('workers', nCores);
  const threadCounts = [...new Set([1, workersN])];
  const flops = countFlops(w.spec);
  const paramCount = layoutParams(planModel(w.spec)).paramCount;
  if (w.reference && paramCount !== REFERENCE_PARAMS)
    throw new Error(`reference CNN has ${paramCount} params`);
  log(`machine: ${describeMachine(machine)}`);
  log(
    `${w.preset} ${w.size}×${w.size} ${w.color}, batch ${w.batch}: ${paramCount} params, ` +
      `${round(flops.forward / 1e6, 3)} MFLOP forward / ${round(flops.training / 1e6, 3)} MFLOP training per image`,
  );

  const t0 = performance.now();
  const train = w.reference || (w.size === 28 && w.color === 'gray') ? loadSplit('train') : null;
  const test = train ? loadSplit('test') : null;
  const source: BatchSource =
    train && test
      ? fashionMnistSource(train, test)
      : fashionMnistPhotoSource(w.size, w.color === 'rgb' ? 3 : 1);
  log(`data: ${source.description} (ready in ${round(performance.now() - t0)} ms)`);

  const raw: RawRow[] = [];
  const ctx: RunContext = {
    preset: w.preset,
    size: w.size,
    color: w.color,
    batch: w.batch,
    forwardFlops: flops.forward,
    trainingFlops: flops.training,
    machine,
  };

  // the reference run's per-kernel profile (before the timed rows, as before)
  let kernelProfile: Record<string, unknown> | undefined;
  let profileFigures: Parameters<typeof benchRatios>[1];
  const choices: KernelChoice[] =
    fastKernelsBackend().startsWith('native') && (w.reference || hasFlag('wasm'))
      ? ['auto', 'wasm']
      : ['auto'];
  if (w.reference && train) {
    const idx = shuffled(train.n, 1234);
    const profiles = choices.map((choice) => {
      log(`profiling ours, ${kernelsBackend(choice)} (single thread, in-process)…`);
      return profileKernelsOfReference(train, idx, argValue('profile-steps', 20), choice);
    });
    kernelProfile = profiles[0];
    if (profiles[1]) kernelProfile.wasmForComparison = profiles[1];
    profileFigures = { native: profiles[0], wasm: profiles[1] };
  }

  for (const choice of choices) {
    for (const workers of threadCounts) {
      log(`ours, ${kernelsBackend(choice)}, ${workers} worker(s)…`);
      raw.push(
        await benchOurs({
          spec: w.spec,
          workers,
          choice,
          source,
          batch: w.batch,
          config: w.config,
          plan: w.plan,
          trainingFlops: flops.training,
          log,
          expectParams: paramCount,
          optimizerOnMainThread: hasFlag('optimizer-on-main-thread'),
        }),
      );
    }
  }
  if (hasFlag('pytorch')) {
    raw.push(
      ...benchPytorch({
        spec: w.spec,
        config: w.config,
        params: paramCount,
        source,
        batch: w.batch,
        threads: threadCounts,
        plan: w.plan,
        defaultMalloc: hasFlag('pytorch-default-malloc'),
        log,
      }),
    );
  }
  if (!hasFlag('skip-peers')) {
    raw.push(
      ...(await benchOnnxRuntime({
        spec: w.spec,
        source,
        batch: w.batch,
        threads: threadCounts,
        inferBatches: w.plan.inferBatches,
        windows: w.plan.windows,
        log,
      })),
    );
  }
  if (w.reference && train && test && !hasFlag('skip-peers')) {
    const idx = shuffled(train.n, 1234);
    log('tfjs-wasm…');
    try {
      const plan = { warmup: 3, windows: 5, batches: 20, inferBatches: 30 };
      raw.push({ ...(await benchTfjsWasm(train, test, idx, plan, log)), threads: 1 });
    } catch (e) {
      log(`tfjs-wasm failed: ${String(e)}`);
    }
    log('convnetjs…');
    try {
      const plan = { warmup: 2, windows: 3, batches: 5, inferBatches: 10 };
      raw.push({ ...(await benchConvnetjs(train, test, idx, plan, log)), threads: 1 });
    } catch (e) {
      log(`convnetjs failed: ${String(e)}`);
    }
  }
  const results: BenchRow[] = raw.map((r) => finishRow(r, ctx));

  const layerProfile = hasFlag('profile')
    ? profileLayers(w.spec, source, w.batch, flops, argValue('profile-steps', 10))
    : undefined;

  const ratios = benchRatios(results, profileFigures);
  const out = {
    benchmark: `cnn-studio ${w.preset} ${w.size}×${w.size} ${w.color}, batch ${w.batch}`,
    model: {
      preset: w.preset,
      input: w.spec.input,
      params: paramCount,
      forwardMflop: round(flops.forward / 1e6, 3),
      trainMflopPerImage: round(flops.training / 1e6, 3),
      flopConvention:
        'conv + dense only; forward 2·MACs; backward 2·MACs (weights) + 2·MACs (input gradient, not for the first layer); training = forward + backward',
      optimizer: w.config,
    },
    machine: {
      ...machine,
      node: process.version,
      peakNote: 'the % of peak of a row with N workers or threads divides by N × peakGflopsPerThread',
      peakRssMb: round(peakRssMb()),
      time: new Date().toISOString(),
    },
    data: source.description,
    ...(w.reference && { targets: { trainImagesPerSecond: 2500, inferImagesPerSecond: 15000 } }),
    results,
    ratios,
    ...(kernelProfile && { profile: kernelProfile }),
    ...(layerProfile && { layerProfile }),
  };
  if (JSON_OUT) {
    process.stdout.write(JSON.stringify(out) + '\n');
    return;
  }
  log('');
  printRows(results, w.batch, log);
  log('');
  log(`ratios: ${JSON.stringify(ratios)}`);
  log(`peak RSS: ${out.machine.peakRssMb} MB`);
  if (kernelProfile)
    log(`kernel profile (single thread, ms per step of 64): ${JSON.stringify(kernelProfile, null, 2)}`);
  if (layerProfile) {
    log('');
    printLayerProfile(layerProfile, log);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
