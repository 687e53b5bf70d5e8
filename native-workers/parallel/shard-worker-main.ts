/**
 * The loop of one shard worker (entry point: native-workers/train-shard-worker.ts). See protocol.ts.
 *
 * The replica is the reference core's Model (native-workers/cnn/model.ts) built over the SHARED parameter buffer
 * and over this worker's gradient slot, running fastKernels() (wasm SIMD).
 */
import type { MessagePort } from 'node:worker_threads';
import type { KernelSet } from '../cnn/kernel-set';
import { buildModel } from '../cnn/model';
import { clipScale, scaleRange, sumOfSquares } from '../cnn/optim/clip';
import { decayMask } from '../cnn/params';
import { deriveSeed, type RngState } from '../cnn/rng';
import { adoptKernelMemory } from '../kernels/adopt-kernel-memory';
import { kernelsBackend, kernelsFor } from '../kernels/fast-kernels';
import { loadNativeAddon } from '../kernels/native-kernels';
import { profileKernels } from '../kernels/profile-kernels';
import { FlatAdam } from './adam';
import {
  CMD,
  CTRL,
  HYPER,
  SLOTS,
  SLOT_WORD,
  STATS,
  batchShard,
  paramSlice,
  postShardMessage,
  slotWord,
  statsOffset,
  type ShardWorkerData,
} from './protocol';

/**
 * How long a worker spins before it sleeps on a futex, waiting for the other workers at a barrier and for the
 * next step (published by the coordinator, and finished by every other worker). Sleeping and being woken costs tens of microseconds, and up to a millisecond on a VM
 * whose idle virtual CPU halts (two workers' training steps then lost 0.5-1 ms each on the reference CNN, measured
 * with bench-train-workers.ts); spinning a little longer than the usual gap keeps the core awake.
 */
const BARRIER_SPIN_US = 10;
const NEXT_STEP_SPIN_US = 150;

/** Spins until ctrl[index] !== value, for at most `micros` µs; true when it changed. */
function spinWhileEqual(ctrl: Int32Array, index: number, value: number, micros: number): boolean {
  const end = performance.now() + micros / 1000;
  for (;;) {
    // reading the clock costs about ten loads, so check it every 64
    for (let i = 0; i < 64; i++) if (Atomics.load(ctrl, index) !== value) return true;
    if (performance.now() > end) return false;
  }
}

/** Waits until the counter ctrl[index] reaches `target`, spinning `micros` µs first, then sleeping. */
function waitForCount(ctrl: Int32Array, index: number, target: number, micros: number): void {
  for (let v = Atomics.load(ctrl, index); v < target; v = Atomics.load(ctrl, index))
    if (!spinWhileEqual(ctrl, index, v, micros)) Atomics.wait(ctrl, index, v);
}

export function runShardWorker(data: ShardWorkerData, port: MessagePort): void {
  const { workers: N, index, paramCount: P, stateCount: S, maxBatch, buffers: b } = data;
  const ctrl = new Int32Array(b.ctrl);
  const params = new Float32Array(b.params);
  const slots: Float32Array[] = [];
  for (let j = 0; j < N; j++) slots.push(new Float32Array(b.grads, j * P * 4, P));
  const reduced = new Float32Array(b.grads, N * P * 4, P);
  const xSlots = new Float32Array(b.x);
  const labelSlots = new Int32Array(b.labels);
  const logits = new Float32Array(b.logits);
  const stats = new Float64Array(b.stats);
  const hyper = new Float64Array(b.hyper);
  const adamM = new Float32Array(b.adamM);
  const adamV = new Float32Array(b.adamV);
  const stateSlot = new Float32Array(b.stateSlots, index * S * 4, S);
  const rngSlot = new Int32Array(b.rngStates, index * 16, 4);
  const base = kernelsFor(data.kernels);
  const backend = kernelsBackend(data.kernels);
  const profiled = profileKernels(base);
  let profiling = false;
  // The layers capture the KernelSet when built, so route through a switch instead of rebuilding.
  const kernels: KernelSet = { ...base };
  for (const key of Object.keys(base) as (keyof KernelSet)[]) {
    (kernels as unknown as Record<string, unknown>)[key] = (...args: never[]) =>
      ((profiling ? profiled : base)[key] as (...a: never[]) => void)(...args);
  }
  const shardMax = Math.ceil(maxBatch / N);
  const model = buildModel(data.spec, {
    // the seed only matters for dropout here (params come from the coordinator): one stream per replica
    seed: deriveSeed(data.seed, 1000 + index),
    batchSize: shardMax,
    kernels,
    params,
    grads: slots[index],
    skipInit: true,
  });
  if (model.params.length !== P || model.state.length !== S)
    throw new Error('replica layout differs from the coordinator');
  // only the wasm ops copy tensors that live outside their memory; the native ones use any buffer in place
  const zeroCopy = backend.startsWith('wasm') && data.zeroCopy !== false && adoptKernelMemory(model);
  const inSize = model.inputSize;
  const classes = model.numClasses;
  const [p0, p1] = paramSlice(P, N, index);
  let stateGen = 0;

  const barrier = (): void => {
    const gen = Atomics.load(ctrl, CTRL.BARRIER_GEN);
    if (Atomics.add(ctrl, CTRL.BARRIER_ARRIVED, 1) === N - 1) {
      Atomics.store(ctrl, CTRL.BARRIER_ARRIVED, 0);
      Atomics.add(ctrl, CTRL.BARRIER_GEN, 1);
      Atomics.notify(ctrl, CTRL.BARRIER_GEN);
    } else {
      // the other shards usually finish within microseconds of this one
      if (spinWhileEqual(ctrl, CTRL.BARRIER_GEN, gen, BARRIER_SPIN_US)) return;
      while (Atomics.load(ctrl, CTRL.BARRIER_GEN) === gen) Atomics.wait(ctrl, CTRL.BARRIER_GEN, gen);
    }
  };

  // with the native kernels, the reduce and Adam loops run natively too (bitwise the same results)
  const native = backend.startsWith('native') ? loadNativeAddon() : null;
  const allGrads = new Float32Array(b.grads);
  const weights = new Float64Array(N);
  // weight decay only where the Trainer's optimizer applies it (conv and dense weights)
  const adam = new FlatAdam(
    P,
    { lr: 1e-3, decayMask: decayMask(model.layout) },
    { m: adamM, v: adamV },
    native?.adamSlice.bind(native),
    native?.adamMaskedSlice.bind(native),
  );

  /**
   * Trainer.applyGradients' clipping, split over the workers: the partial sums of squares (each worker's slice in
   * index order) are added in worker order, so with 1 worker it is clip.ts's sum exactly; then each worker scales its
   * slice. Returns the norm before clipping.
   */
  const clipSlice = (maxNorm: number, slot: number): number => {
    stats[statsOffset(slot, N, index) + STATS.GRAD_SUMSQ] = sumOfSquares(reduced, p0, p1);
    barrier();
    let sum = 0;
    for (let j = 0; j < N; j++) sum += stats[statsOffset(slot, N, j) + STATS.GRAD_SUMSQ];
    const norm = Math.sqrt(sum);
    const scale = clipScale(norm, maxNorm);
    if (scale !== 1) scaleRange(reduced, scale, p0, p1);
    return norm;
  };

  const step = (slot: number): void => {
    const cmd = Atomics.load(ctrl, slotWord(slot, SLOT_WORD.CMD));
    const count = Atomics.load(ctrl, slotWord(slot, SLOT_WORD.COUNT));
    const input = Atomics.load(ctrl, slotWord(slot, SLOT_WORD.INPUT));
    if (cmd !== CMD.TRAIN_STEP && cmd !== CMD.GRADS && cmd !== CMD.INFER)
      throw new Error(`unknown command ${cmd}`);
    if (count < 1 || count > maxBatch || input < 0 || input >= SLOTS)
      throw new Error(`command ${cmd}: ${count} examples in input region ${input}`);
    const x = xSlots.subarray(input * maxBatch * inSize, (input + 1) * maxBatch * inSize);
    const labels = labelSlots.subarray(slot * maxBatch, (slot + 1) * maxBatch);
    const st = statsOffset(slot, N, index);
    const hy = slot * HYPER.LENGTH;
    const g = Atomics.load(ctrl, CTRL.STATE_GEN);
    if (g !== stateGen) {
      stateGen = g;
      model.state.set(stateSlot);
      model.rng.setState(Array.from(rngSlot) as RngState);
      model.paramsChanged(); // new state comes with new params (restore, writeState): refold the batch norms
    }
    profiling = Atomics.load(ctrl, CTRL.PROFILE) === 1;
    const [lo, hi] = batchShard(count, N, index);
    const n = hi - lo;
    const t0 = performance.now();
    if (cmd === CMD.INFER) {
      if (n > 0) {
        const out = model.forward(x.subarray(lo * inSize, hi * inSize), { training: false });
        logits.set(out, lo * classes);
      }
      stats[st + STATS.COMPUTE_MS] = performance.now() - t0;
      return;
    }
    if (n > 0) {
      const r = model.computeGradients(x.subarray(lo * inSize, hi * inSize), labels.subarray(lo, hi));
      stats[st + STATS.LOSS] = r.loss;
      stats[st + STATS.CORRECT] = r.correct;
      stateSlot.set(model.state);
      rngSlot.set(model.rng.getState());
    } else {
      slots[index].fill(0);
      stats[st + STATS.LOSS] = 0;
      stats[st + STATS.CORRECT] = 0;
    }
    stats[st + STATS.COUNT] = n;
    const t1 = performance.now();
    stats[st + STATS.COMPUTE_MS] = t1 - t0;
    barrier();
    const t2 = performance.now();
    // reduce this worker's slice: reduced = Σ_j (n_j / count) · slot_j
    for (let j = 0; j < N; j++) {
      const [l, h] = batchShard(count, N, j);
      weights[j] = (h - l) / count;
    }
    if (native) native.reduceGradients(allGrads, N, P, weights, p0, p1);
    else
      for (let j = 0; j < N; j++) {
        const wgt = weights[j];
        const s = slots[j];
        if (j === 0) for (let i = p0; i < p1; i++) reduced[i] = wgt * s[i];
        else if (wgt !== 0) for (let i = p0; i < p1; i++) reduced[i] += wgt * s[i];
      }
    if (cmd === CMD.TRAIN_STEP) {
      stats[st + STATS.GRAD_NORM] =
        hyper[hy + HYPER.CLIP_ON] === 1 ? clipSlice(hyper[hy + HYPER.CLIP_NORM], slot) : Number.NaN;
      const a = adam as { -readonly [K in keyof FlatAdam]: FlatAdam[K] };
      a.lr = hyper[hy + HYPER.LR];
      a.beta1 = hyper[hy + HYPER.BETA1];
      a.beta2 = hyper[hy + HYPER.BETA2];
      a.eps = hyper[hy + HYPER.EPS];
      a.weightDecay = hyper[hy + HYPER.WEIGHT_DECAY];
      a.decoupled = hyper[hy + HYPER.DECOUPLED] === 1;
      adam.stepSlice(params, reduced, Atomics.load(ctrl, slotWord(slot, SLOT_WORD.STEP_T)), p0, p1);
    }
    stats[st + STATS.REDUCE_MS] = performance.now() - t2;
  };

  // the coordinator's checkpoint() reads every replica's RNG from here, also before the first step
  rngSlot.set(model.rng.getState());
  postShardMessage(port, { type: 'ready', backend: zeroCopy ? `${backend}, zero-copy` : backend });
  for (let command = 0; ; command++) {
    // wait for command k to be published, and for every replica to have finished k-1 (its parameter update):
    // the coordinator usually publishes k before k-1 ends, so this wait is the step's last barrier
    waitForCount(ctrl, CTRL.SEQ, command + 1, NEXT_STEP_SPIN_US);
    const stop = Atomics.load(ctrl, CTRL.STOP);
    if (stop !== 0 && command >= stop - 1) break;
    waitForCount(ctrl, CTRL.FINISHED, command * N, NEXT_STEP_SPIN_US);
    // after a failed command every replica skips the queued ones (the coordinator fails them) until it clears
    // ERROR: every replica sees the same flag here, as it was set before the failed command finished
    if (Atomics.load(ctrl, CTRL.ERROR) === 0) {
      try {
        step(command % SLOTS);
        if (profiling && index === 0) {
          postShardMessage(port, { type: 'profile', profile: [...profiled.times] });
          profiled.reset();
        }
      } catch (e) {
        // the first failed command's number + 1: the coordinator resolves the commands before it
        Atomics.compareExchange(ctrl, CTRL.ERROR, 0, command + 1);
        postShardMessage(port, {
          type: 'error',
          message: e instanceof Error ? (e.stack ?? e.message) : String(e),
        });
      }
    }
    // The last worker wakes the coordinator with a message: Atomics.waitAsync in Node 20 does not wake an idle
    // event loop (its resolution waits for unrelated activity), so it cannot be used on the coordinator's side.
    if (Atomics.add(ctrl, CTRL.FINISHED, 1) === (command + 1) * N - 1) {
      Atomics.notify(ctrl, CTRL.FINISHED);
      postShardMessage(port, { type: 'done' });
    }
  }
}
