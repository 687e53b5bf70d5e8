/**
 * Shared-memory layout and commands between the DataParallelTrainer (coordinator) and its shard workers
 * (native-workers/train-shard-worker.ts). Everything lives in SharedArrayBuffers; synchronisation is Atomics only
 * (wait/notify on the control words), no messages per step.
 *
 * One training step:
 *   coordinator: copy the batch into `x`/`labels`, set CMD/COUNT, DONE = 0, SEQ += 1, notify SEQ
 *   worker w:    forward+backward on its shard with its replica (native-workers/cnn Model) → gradSlots[w]
 *                (the replica's grads ARE that view, its params ARE the shared params)
 *                barrier (all gradients written)
 *                reduce its parameter slice: reduced = Σ_j (n_j / n) · gradSlots[j]
 *                with clipping: the sum of squares of its reduced slice → stats; barrier; every worker adds the
 *                partial sums in worker order (the same total everywhere) and scales its slice (optim/clip.ts)
 *                Adam / AdamW on that slice of params
 *                DONE += 1 (the last one notifies the coordinator)
 * Parameters are one shared buffer that every replica reads directly, so there is no broadcast copy.
 */
import type { KernelChoice } from '../kernels/fast-kernels';
import type { ModelSpec } from '../../app/domain/model-spec';

export const CTRL = {
  SEQ: 0,
  CMD: 1,
  COUNT: 2,
  DONE: 3,
  BARRIER_ARRIVED: 4,
  BARRIER_GEN: 5,
  STEP_T: 6,
  ERROR: 7,
  /** 1 = workers time every kernel call (worker 0 posts the totals). */
  PROFILE: 8,
  /**
   * Bumped by the coordinator when every replica must load its slot of `stateSlots` (batchnorm statistics) and of
   * `rngStates` (dropout RNG) before its next step: a new model state, or a restored checkpoint.
   */
  STATE_GEN: 9,
  LENGTH: 16,
} as const;

export const CMD = {
  /** Gradients + reduce (+ clipping) + Adam/AdamW step on the shared params. */
  TRAIN_STEP: 1,
  /** Gradients + reduce into `reduced` only (the caller runs its own optimizer on `params`). */
  GRADS: 2,
  /** Forward only: logits of each example into `logits`. */
  INFER: 3,
  /** Workers exit their loop. */
  STOP: 4,
} as const;

/**
 * Float64 hyper-parameters readable by every worker. Weight decay applies where the decay mask is 1, as L2 or
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
 * Per worker Float64 stats: loss (mean over its shard), correct count, examples, compute ms, reduce ms, the sum of
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

export interface SharedBuffers {
  ctrl: SharedArrayBuffer;
  params: SharedArrayBuffer;
  /** workers × paramCount gradient slots, then one reduced gradient. */
  grads: SharedArrayBuffer;
  adamM: SharedArrayBuffer;
  adamV: SharedArrayBuffer;
  x: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  logits: SharedArrayBuffer;
  stats: SharedArrayBuffer;
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
  /** The last worker finished a step. */
  | { type: 'done' }
  /** A step threw (the ERROR control word is set too). */
  | { type: 'error'; message: string }
  /** Worker 0's per-kernel [calls, ms] of the last step, while profiling is on. */
  | { type: 'profile'; profile: [string, [number, number]][] };

/** Posts a typed message (the one way shard workers talk to the coordinator). */
export function postShardMessage(port: { postMessage(m: unknown): void }, message: ShardWorkerMessage): void {
  port.postMessage(message);
}
