/**
 * The reference CNN's per-kernel profile (the JSON's `profile`): single-thread in-process training steps through a
 * timing KernelSet (process CPU time), plus the copy volume of the wasm calls, and the CPU time of an inference
 * forward pass of the same batch. Being CPU time of one thread, the native and wasm profiles of one run compare
 * the two builds without the machine's load in between (the wasm/native ratios of the JSON's `ratios`).
 */
import type { KernelSet } from '../../../native-workers/cnn/kernel-set';
import type { KernelChoice } from '../../../native-workers/kernels/fast-kernels';
import { kernelsBackend, kernelsFor } from '../../../native-workers/kernels/fast-kernels';
import { buildModel } from '../../../native-workers/cnn/model';
import { createOptimizer } from '../../../native-workers/cnn/optim/optimizer';
import { profileKernels } from '../../../native-workers/kernels/profile-kernels';
import { wasmKernelInstance } from '../../../native-workers/kernels/wasm-kernels';
import { adoptKernelMemory } from '../../../native-workers/kernels/adopt-kernel-memory';
import { REFERENCE_CNN, processCpuMs as cpuMs, round } from './common';
import { type Split, fillBatch } from './fashion-mnist';
import { BENCH_BATCH as BS } from './ours-training';
import type { ProfileFigures } from './ratios';

/** Per-kernel times of single-thread in-process training steps, plus the copy volume of the wasm calls. */
export function profileKernelsOfReference(
  train: Split,
  idx: Uint32Array,
  steps: number,
  choice: KernelChoice,
): Record<string, unknown> & ProfileFigures {
  const zeroCopy = kernelsBackend(choice).startsWith('wasm');
  // CPU time of this process (only this thread works during the profile): robust to other load on the machine
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
  // the rest, less what timing every op costs (two clock reads per call: a getrusage each, about 2 µs here)
  const timingMs = profilerOverheadMs(BS, xb, yb);
  perStep['timing of the ops (the profiler itself)'] = round(timingMs, 3);
  perStep['other (loss, zeroing, glue)'] = round((total - opsMs - optMs) / steps - timingMs, 3);
  const copiedPerStep = ((inst?.copiedBytes ?? 0) - copied0) / steps;
  const inferCpuMs = inferenceCpuMs(model, xb, steps, cpuMs);
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
    inferCpuMsPerBatch: round(inferCpuMs, 3),
    inferImgPerCpuSecondSingleThread: round(BS / (inferCpuMs / 1000)),
    msPerStepByKernel: perStep,
    copiedMBPerStep: round(copiedPerStep / 1e6, 2),
    estimatedCopyMsPerStep: round(copyMs, 3),
    estimatedCopyShare: round(copyMs / (total / steps), 3),
  };
}

/**
 * CPU ms per step that the profiling wrapper adds besides the ops' own time: computeGradients over no-op kernels,
 * timed and untimed (the better of 5 windows each), so that "other" is the step's own glue.
 */
function profilerOverheadMs(batch: number, x: Float32Array, y: Int32Array): number {
  const k = kernelsFor('reference');
  const noop = Object.fromEntries(Object.keys(k).map((n) => [n, () => {}])) as unknown as KernelSet;
  const best = (kernels: KernelSet) => {
    const model = buildModel(REFERENCE_CNN, { seed: 1, batchSize: batch, kernels, skipInit: true });
    let min = Infinity;
    for (let w = 0; w < 5; w++) {
      const t0 = cpuMs();
      for (let i = 0; i < 200; i++) model.computeGradients(x, y);
      min = Math.min(min, (cpuMs() - t0) / 200);
    }
    return min;
  };
  return Math.max(0, best(profileKernels(noop, cpuMs)) - best(noop));
}

/** CPU ms of one eval-mode forward pass of the batch (the inference plan's fused ops), the median of 5 windows. */
function inferenceCpuMs(
  model: ReturnType<typeof buildModel>,
  x: Float32Array,
  passes: number,
  cpuMs: () => number,
): number {
  for (let i = 0; i < 3; i++) model.forward(x, { training: false });
  const windows: number[] = [];
  for (let w = 0; w < 5; w++) {
    const t0 = cpuMs();
    for (let i = 0; i < passes; i++) model.forward(x, { training: false });
    windows.push((cpuMs() - t0) / passes);
  }
  return windows.sort((a, b) => a - b)[2];
}
