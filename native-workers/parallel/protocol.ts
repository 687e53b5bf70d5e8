/**
 * Shared-memory layout and commands between the DataParallelTrainer (coordinator) and its shard workers
 * (native-workers/train-shard-worker.ts). Everything lives in SharedArrayBuffers; synchronisation is Atomics only
 * (wait/notify on the control words), no messages per step except the completion notice.
 *
 * Commands are numbered 0, 1, 2, ... and use input slot `command % SLOTS`: its batch, labels, command words,
 * hyper-parameters and per-worker stats. The coordinator may publish command k+1 while the workers still run
 * command k (its slot is free once command k-1 is done), so the workers go from one training step to the next
 * without waiting for the coordinator to notice the end of a step and wake them again (0.25-0.6 ms per step of
 * the reference CNN, measured with bench-train-workers.ts).
 *
 * One training step k:
 *   coordinator: copy the batch into slot k's `x`/`labels`, write its command words and hyper-parameters,
 *                SEQ += 1, notify SEQ
 *   worker w:    wait until SEQ > k and FINISHED >= k·N (every replica finished updating the parameters at k-1)
 *                forward+backward on its shard with its replica (native-workers/cnn Model) → gradSlots[w]
 *                (the replica's grads ARE that view, its params ARE the shared params)
 *                barrier (all gradients written)
 *                reduce its parameter slice: reduced = Σ_j (n_j / n) · gradSlots[j]
 *                with clipping: the sum of squares of its reduced slice → stats; barrier; every worker adds the
 *                partial sums in worker order (the same total everywhere) and scales its slice (optim/clip.ts)
 *                Adam / AdamW on that slice of params
 *                FINISHED += 1 (the last one of step k notifies FINISHED and posts 'done' to the coordinator)
 * Parameters are one shared buffer that every replica reads directly, so there is no broadcast copy.
 */
import type { KernelChoice } from '../kernels/fast-kernels';
import type { ModelSpec } from '../../app/domain/model-spec';

/** Commands in flight at most: the workers run one while the coordinator writes the next one's batch. */
export const SLOTS = 2;

export const CTRL = {
  /** Commands published so far (command k is published when SEQ > k). */
  SEQ: 0,
  /**
   * Worker-commands finished so far: command k is done everywhere when FINISHED >= (k + 1)·workers. (Int32: a
   * trainer runs at most 2^31 / workers commands, 10^9 steps on two workers.)
   */
  FINISHED: 1,
  /**
   * 0 while running; set by close() to 1 + the number of commands published: the workers run those (so no
   * replica leaves another waiting at a barrier, nor the parameters half updated), then exit their loop.
   */
  STOP: 2,
  BARRIER_ARRIVED: 4,
  BARRIER_GEN: 5,
  /**
   * 1 + the number of the first command that threw in a worker (0: none); the workers skip commands until the
   * coordinator clears it.
   */
  ERROR: 7,
  /** 1 = workers time every kernel call (worker 0 posts the totals). */
  PROFILE: 8,
  /**
   * Bumped by the coordinator when every replica must load its slot of `stateSlots` (batchnorm statistics) and of
   * `rngStates` (dropout RNG) before its next step: a new model state, or a restored checkpoint.
   */
  STATE_GEN: 9,
  /** Each slot's command words (SLOT_WORD) start here, SLOT_WORDS apart. */
  SLOT_BASE: 16,
  SLOT_WORDS: 4,
  LENGTH: 24,
} as const;

/**
 * The command words of a slot: which command, on how many examples, its Adam step count, and which of the SLOTS
 * input regions of `x` holds its batch (its own slot's, unless the caller wrote the batch into the other one,
 * free, through inputBuffer(): then no copy is needed).
 */
export const SLOT_WORD = { CMD: 0, COUNT: 1, STEP_T: 2, INPUT: 3 } as const;

/** Index in `ctrl` of a slot's command word. */
export function slotWord(slot: number, word: number): number {
  return CTRL.SLOT_BASE + slot * CTRL.SLOT_WORDS + word;
}

export const CMD = {
  /** Gradients + reduce (+ clipping) + Adam/AdamW step on the shared params. */
  TRAIN_STEP: 1,
  /** Gradients + reduce into `reduced` only (the caller runs its own optimizer on `params`). */
  GRADS: 2,
  /** Forward only: logits of each example into `logits`. */
  INFER: 3,
} as const;

/**
 * Float64 hyper-parameters of a command, one set per slot (the coordinator copies its current ones in when it
 * publishes a step, so a schedule's next rate never reaches a step already queued). Weight decay applies where the decay mask is 1, as L2 or
 * (DECOUPLED = 1) as AdamW's; CLIP_ON = 1 clips the reduced gradient to global norm CLIP_NORM.
 */
export const HYPER = {
  LR: 0,
  BETA1: 1,
  BETA2: 2,
  EPS: 3,
  WEIGHT_DECAY: 4,
  DECOUPLED: 5,
  CLIP_ON: 6,
  CLIP_NORM: 7,
  LENGTH: 8,
} as const;

/**
 * Per slot and worker (statsOffset) Float64 stats of the slot's last command: loss (mean over its shard), correct count, examples, compute ms, reduce ms, the sum of
 * squares of its slice of the reduced gradient and the global norm (before clipping; both while clipping).
 */
export const STATS = {
  LOSS: 0,
  CORRECT: 1,
  COUNT: 2,
  COMPUTE_MS: 3,
  REDUCE_MS: 4,
  GRAD_SUMSQ: 5,
  GRAD_NORM: 6,
  LENGTH: 8,
} as const;

/** Where worker `index`'s stats of a slot's command start in `stats`. */
export function statsOffset(slot: number, workers: number, index: number): number {
  return (slot * workers + index) * STATS.LENGTH;
}

export interface SharedBuffers {
  ctrl: SharedArrayBuffer;
  params: SharedArrayBuffer;
  /** workers × paramCount gradient slots, then one reduced gradient. */
  grads: SharedArrayBuffer;
  adamM: SharedArrayBuffer;
  adamV: SharedArrayBuffer;
  /** SLOTS × maxBatch examples, and SLOTS × maxBatch labels. */
  x: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  /** The logits of an inference command (never queued behind another command). */
  logits: SharedArrayBuffer;
  /** SLOTS × workers × STATS.LENGTH. */
  stats: SharedArrayBuffer;
  /** SLOTS × HYPER.LENGTH. */
  hyper: SharedArrayBuffer;
  /** workers × stateCount: each replica's batchnorm running statistics after its last step (or to load). */
  stateSlots: SharedArrayBuffer;
  /** workers × 4 int32: each replica's dropout RNG state (xoshiro128) after its last step (or to load). */
  rngStates: SharedArrayBuffer;
}

export interface ShardWorkerData {
  spec: ModelSpec;
  seed: number;
  workers: number;
  index: number;
  maxBatch: number;
  paramCount: number;
  stateCount: number;
  buffers: SharedBuffers;
  /** 'wasm' (fastKernels) or 'reference' (the readable ops, for tests). */
  kernels: KernelChoice;
  /** Move the replica's activations into wasm memory (adoptKernelMemory); default true. */
  zeroCopy?: boolean;
}

/** The slice [from, to) of parameters that worker `index` reduces and updates (4-aligned). */
export function paramSlice(paramCount: number, workers: number, index: number): [number, number] {
  const per = Math.ceil(paramCount / workers / 4) * 4;
  return [Math.min(paramCount, index * per), Math.min(paramCount, (index + 1) * per)];
}

/** The examples [lo, hi) of a batch of `count` that worker `index` computes. */
export function batchShard(count: number, workers: number, index: number): [number, number] {
  return [Math.floor((index * count) / workers), Math.floor(((index + 1) * count) / workers)];
}

/** What a shard worker posts to the coordinator (the steps themselves go through shared memory). */
export type ShardWorkerMessage =
  /** The replica is built and its kernels loaded. */
  | { type: 'ready'; backend: string }
  /** The last worker finished a command (the coordinator reads which from FINISHED). */
  | { type: 'done' }
  /** A step threw (the ERROR control word is set too). */
  | { type: 'error'; message: string }
  /** Worker 0's per-kernel [calls, ms] of the last step, while profiling is on. */
  | { type: 'profile'; profile: [string, [number, number]][] };

/** Posts a typed message (the one way shard workers talk to the coordinator). */
export function postShardMessage(port: { postMessage(m: unknown): void }, message: ShardWorkerMessage): void {
  port.postMessage(message);
}
