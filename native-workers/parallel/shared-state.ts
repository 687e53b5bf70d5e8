/**
 * The coordinator's side of the shared memory of protocol.ts: allocating it, its typed views, and what a
 * checkpoint copies out of it and back in. The worker pool that runs steps on it is data-parallel-trainer.ts.
 */
import { CTRL, HYPER, SLOTS, STATS, type SharedBuffers } from './protocol';

export interface SharedSizes {
  workers: number;
  paramCount: number;
  /** Batchnorm running statistics per replica. */
  stateCount: number;
  maxBatch: number;
  /** Values per example (C·H·W). */
  inputSize: number;
  classes: number;
}

/** Typed views of the SharedBuffers, as the coordinator uses them. */
export interface SharedViews {
  ctrl: Int32Array;
  params: Float32Array;
  /** The reduced gradient (after the workers' slots). */
  grads: Float32Array;
  adamM: Float32Array;
  adamV: Float32Array;
  /** Every slot's batch (SLOTS × maxBatch examples) and labels. */
  x: Float32Array;
  labels: Int32Array;
  logits: Float32Array;
  stats: Float64Array;
  /** Every slot's hyper-parameters (SLOTS × HYPER.LENGTH). */
  hyper: Float64Array;
  stateSlots: Float32Array;
  rngStates: Int32Array;
}

export function allocateShared(z: SharedSizes): { buffers: SharedBuffers; views: SharedViews } {
  const { workers: N, paramCount: P, stateCount: S } = z;
  const sab = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));
  const buffers: SharedBuffers = {
    ctrl: sab(CTRL.LENGTH * 4),
    params: sab(P * 4),
    grads: sab((N + 1) * P * 4),
    adamM: sab(P * 4),
    adamV: sab(P * 4),
    x: sab(SLOTS * z.maxBatch * z.inputSize * 4),
    labels: sab(SLOTS * z.maxBatch * 4),
    logits: sab(z.maxBatch * z.classes * 4),
    stats: sab(SLOTS * N * STATS.LENGTH * 8),
    hyper: sab(SLOTS * HYPER.LENGTH * 8),
    stateSlots: sab(N * S * 4),
    rngStates: sab(N * 4 * 4),
  };
  const views: SharedViews = {
    ctrl: new Int32Array(buffers.ctrl),
    params: new Float32Array(buffers.params),
    grads: new Float32Array(buffers.grads, N * P * 4, P),
    adamM: new Float32Array(buffers.adamM),
    adamV: new Float32Array(buffers.adamV),
    x: new Float32Array(buffers.x),
    labels: new Int32Array(buffers.labels),
    logits: new Float32Array(buffers.logits),
    stats: new Float64Array(buffers.stats),
    hyper: new Float64Array(buffers.hyper),
    stateSlots: new Float32Array(buffers.stateSlots, 0, N * S),
    rngStates: new Int32Array(buffers.rngStates),
  };
  return { buffers, views };
}

/** DataParallelTrainer.checkpoint(): plain typed arrays, ready to be written to a file. */
export interface DataParallelCheckpoint {
  workers: number;
  /** Adam step count (of trainStep; 0 when the caller steps its own optimizer). */
  stepT: number;
  params: Float32Array;
  adamM: Float32Array;
  adamV: Float32Array;
  /** workers × stateCount batchnorm running statistics, per replica. */
  replicaStates: Float32Array;
  /** workers × 4 dropout RNG state words, per replica. */
  replicaRngs: Int32Array;
}

/** Copies of everything a resumed run needs (see DataParallelTrainer.checkpoint). */
export function takeCheckpoint(v: SharedViews, workers: number, stepT: number): DataParallelCheckpoint {
  return {
    workers,
    stepT,
    params: v.params.slice(),
    adamM: v.adamM.slice(),
    adamV: v.adamV.slice(),
    replicaStates: v.stateSlots.slice(),
    replicaRngs: v.rngStates.slice(),
  };
}

/** Writes a checkpoint back after checking every length; the replicas reload their slots before the next step. */
export function restoreCheckpoint(v: SharedViews, z: SharedSizes, cp: DataParallelCheckpoint): void {
  const N = z.workers;
  if (cp.workers !== N)
    throw new Error(`checkpoint of ${cp.workers} workers cannot resume exactly on ${N} workers`);
  const expect = (name: string, got: number, want: number) => {
    if (got !== want) throw new Error(`checkpoint ${name}: expected ${want} values, got ${got}`);
  };
  expect('params', cp.params.length, z.paramCount);
  expect('adamM', cp.adamM.length, z.paramCount);
  expect('adamV', cp.adamV.length, z.paramCount);
  expect('replicaStates', cp.replicaStates.length, N * z.stateCount);
  expect('replicaRngs', cp.replicaRngs.length, N * 4);
  v.params.set(cp.params);
  v.adamM.set(cp.adamM);
  v.adamV.set(cp.adamV);
  v.stateSlots.set(cp.replicaStates);
  v.rngStates.set(cp.replicaRngs);
  Atomics.add(v.ctrl, CTRL.STATE_GEN, 1);
}

/** The same batchnorm running statistics into every replica's slot (loaded before the next step). */
export function writeReplicaStates(v: SharedViews, z: SharedSizes, state: Float32Array): void {
  if (state.length !== z.stateCount) throw new Error(`state: expected ${z.stateCount} values`);
  for (let w = 0; w < z.workers; w++) v.stateSlots.set(state, w * z.stateCount);
  Atomics.add(v.ctrl, CTRL.STATE_GEN, 1);
}

/** The replicas' batchnorm running statistics, averaged, into `target` (length stateCount). */
export function averageReplicaStates(v: SharedViews, z: SharedSizes, target: Float32Array): Float32Array {
  const S = z.stateCount;
  target.fill(0);
  for (let w = 0; w < z.workers; w++) for (let i = 0; i < S; i++) target[i] += v.stateSlots[w * S + i];
  for (let i = 0; i < S; i++) target[i] /= z.workers;
  return target;
}
