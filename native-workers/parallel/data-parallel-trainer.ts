/**
 * Data-parallel training over N worker threads (default: every core).
 *
 * Each worker holds a replica of the model (same spec; all replicas READ the same shared parameter buffer) and
 * computes the gradients of its shard of every mini-batch into its own slot of a shared gradient buffer. After a
 * barrier, each worker reduces its slice of the parameters over all slots (weighted by shard size, so the result
 * is the gradient of the mean loss over the whole batch), clips it when asked (the workers combine their partial
 * sums of squares into the global norm) and applies Adam or AdamW to that slice in place. So the reduce, clipping
 * and the optimizer step are parallel too, and no parameter broadcast is needed. Synchronisation is Atomics only
 * between the workers; the last worker to finish a step wakes the coordinator with one message (Atomics.waitAsync
 * does not wake an idle Node 20 event loop), so the coordinator never blocks its event loop. See protocol.ts.
 *
 * trainStep() may be called again before the previous step's promise settles (two steps in flight at most): the
 * workers then go straight on to the next step, and the caller prepares the batch after it meanwhile.
 *
 * Two ways to take the optimizer step:
 *   - trainStep(): Adam or AdamW (weight decay on the decay mask's parameters, like the Trainer's optimizer) and
 *     optional global-norm clipping inside the workers, each on its slice of the parameters (the fastest path);
 *   - computeGradients(): only the reduced gradient lands in `grads`; the caller steps any optimizer on `params`
 *     (e.g. the reference core's Trainer.applyGradients with clipping and schedules: see bench-accuracy.ts).
 *
 * For the same seed, N workers give the 1-worker result up to float32 summation order (test/unit/parallel) for
 * models without batchnorm and dropout. Batchnorm normalises with per-shard statistics (like PyTorch DDP without
 * SyncBatchNorm) and each replica keeps its own running statistics (`readState` averages them); dropout draws
 * from one generator per replica. Neither is then bit-identical to 1 worker, nor resumable bit for bit.
 */
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { buildModel } from '../cnn/model';
import { layoutParams } from '../cnn/params';
import { planModel } from '../cnn/plan';
import {
  CMD,
  CTRL,
  HYPER,
  SLOTS,
  STATS,
  type SharedBuffers,
  type ShardWorkerData,
  type ShardWorkerMessage,
  statsOffset,
} from './protocol';
import { CommandQueue, type PendingCommand } from './command-queue';
import { type DataParallelOptions, type StepResult, resolveShardWorkerPath } from './data-parallel-options';
import {
  type DataParallelCheckpoint,
  type SharedSizes,
  type SharedViews,
  allocateShared,
  averageReplicaStates,
  restoreCheckpoint,
  takeCheckpoint,
  writeReplicaStates,
} from './shared-state';

export type { DataParallelCheckpoint } from './shared-state';

export type { DataParallelOptions, StepResult } from './data-parallel-options';
export { resolveShardWorkerPath } from './data-parallel-options';

export class DataParallelTrainer {
  readonly workers: number;
  readonly paramCount: number;
  readonly stateCount: number;
  readonly inputSize: number;
  readonly classes: number;
  readonly maxBatch: number;
  /** The live parameters (shared with the workers; do not write while a step is running). */
  readonly params: Float32Array;
  /** After a step: the reduced gradient of the mean loss over the batch. */
  readonly grads: Float32Array;
  readonly adamM: Float32Array;
  readonly adamV: Float32Array;
  /** Adam step count. */
  step_t = 0;
  backend = '';
  private readonly sizes: SharedSizes;
  private readonly buffers: SharedBuffers;
  private readonly shared: SharedViews;
  private readonly ctrl: Int32Array;
  private readonly x: Float32Array;
  private readonly labels: Int32Array;
  private readonly logits: Float32Array;
  private readonly stats: Float64Array;
  /** The hyper-parameters the next published step takes. */
  private readonly hyper = new Float64Array(HYPER.LENGTH);
  private readonly commands: CommandQueue<StepResult>;
  private readonly threads: Worker[] = [];
  private errors: string[] = [];
  /** Set when a worker died: every later call fails fast. */
  private failed: string | null = null;
  private closed = false;
  /** Per-kernel [calls, ms] accumulated by worker 0 while profiling is on (see setProfiling). */
  readonly profile = new Map<string, [number, number]>();

  private constructor(opts: DataParallelOptions) {
    const N = Math.max(1, opts.workers ?? cpus().length);
    const layout = layoutParams(planModel(opts.spec));
    const { input } = opts.spec;
    this.sizes = {
      workers: N,
      paramCount: layout.paramCount,
      stateCount: layout.stateCount,
      maxBatch: opts.maxBatch,
      inputSize: input.channels * input.height * input.width,
      classes: opts.spec.numClasses,
    };
    ({
      workers: this.workers,
      paramCount: this.paramCount,
      stateCount: this.stateCount,
      maxBatch: this.maxBatch,
      inputSize: this.inputSize,
      classes: this.classes,
    } = this.sizes);
    const { buffers, views } = allocateShared(this.sizes);
    this.buffers = buffers;
    this.shared = views;
    ({
      ctrl: this.ctrl,
      params: this.params,
      grads: this.grads,
      adamM: this.adamM,
      adamV: this.adamV,
      x: this.x,
      labels: this.labels,
      logits: this.logits,
      stats: this.stats,
    } = views);
    this.commands = new CommandQueue(this.ctrl, this.workers, views.hyper, {
      result: (p) => this.result(p),
      errors: (clear) => {
        const message = this.errors.join('\n');
        if (clear && !this.failed) this.errors = [];
        return message;
      },
    });
    this.setHyper(opts);
    // the same init as buildModel(spec, { seed }) in one thread
    const init = buildModel(opts.spec, { seed: opts.seed, batchSize: 1, params: this.params });
    if (opts.params) {
      if (opts.params.length !== this.paramCount)
        throw new Error(`params: expected ${this.paramCount} values, got ${opts.params.length}`);
      this.params.set(opts.params);
    }
    this.writeState(opts.state ?? init.state);
  }

  /** Loads batchnorm running statistics into every replica (before the next step). */
  writeState(state: Float32Array): void {
    this.assertIdle('writeState');
    writeReplicaStates(this.shared, this.sizes, state);
  }

  /**
   * Everything a resumed run needs to continue exactly like an uninterrupted one: parameters, Adam moments and
   * step count, and each replica's batchnorm statistics and dropout RNG (replicas see different shards, so they
   * differ). Copies; call between steps. (The caller keeps its own data order and hyper-parameters.)
   */
  checkpoint(): DataParallelCheckpoint {
    this.assertIdle('checkpoint');
    return takeCheckpoint(this.shared, this.workers, this.step_t);
  }

  /** Restores a checkpoint() of a trainer with the same spec and number of workers (before the next step). */
  restore(cp: DataParallelCheckpoint): void {
    this.assertIdle('restore');
    restoreCheckpoint(this.shared, this.sizes, cp);
    this.step_t = cp.stepT;
  }

  private assertIdle(what: string): void {
    if (this.commands.inFlight) throw new Error(`DataParallelTrainer.${what}: a step is running`);
  }

  /** The replicas' batchnorm running statistics, averaged, into `target` (length stateCount). */
  readState(target: Float32Array): Float32Array {
    this.assertIdle('readState');
    return averageReplicaStates(this.shared, this.sizes, target);
  }

  /** Starts the workers and waits until each has built its replica and loaded its kernels. */
  static async create(opts: DataParallelOptions): Promise<DataParallelTrainer> {
    const t = new DataParallelTrainer(opts);
    await t.start(opts);
    return t;
  }

  private async start(opts: DataParallelOptions): Promise<void> {
    const path = opts.workerPath ?? resolveShardWorkerPath();
    const ready: Promise<string>[] = [];
    for (let i = 0; i < this.workers; i++) {
      const data: ShardWorkerData = {
        spec: opts.spec,
        seed: opts.seed,
        workers: this.workers,
        index: i,
        maxBatch: opts.maxBatch,
        paramCount: this.paramCount,
        stateCount: this.stateCount,
        buffers: this.buffers,
        kernels: opts.kernels ?? 'auto',
        zeroCopy: opts.zeroCopy ?? true,
      };
      const w = new Worker(path, { workerData: data });
      this.threads.push(w);
      ready.push(
        new Promise<string>((resolve, reject) => {
          w.on('message', (m: ShardWorkerMessage) => {
            switch (m.type) {
              case 'ready':
                resolve(m.backend);
                break;
              case 'done':
                this.commands.settleFinished();
                break;
              case 'error':
                this.errors.push(m.message);
                break;
              case 'profile':
                if (i !== 0) break;
                for (const [k, [c, ms]] of m.profile) {
                  const e = this.profile.get(k) ?? [0, 0];
                  this.profile.set(k, [e[0] + c, e[1] + ms]);
                }
                break;
              default: {
                const never: never = m;
                throw new Error(`unknown shard worker message ${JSON.stringify(never)}`);
              }
            }
          });
          w.once('exit', (code) => {
            if (this.closed) return;
            // a replica that vanished mid-run would leave a step waiting forever: fail it instead
            this.failed = `shard worker ${i} exited (code ${code})`;
            this.errors.push(this.failed);
            Atomics.store(this.ctrl, CTRL.ERROR, 1);
            this.commands.failAll(this.failed);
            reject(new Error(`shard worker ${i} exited (code ${code})`));
          });
          w.once('error', (e) => {
            this.failed = `shard worker ${i} failed: ${String(e?.message ?? e)}`;
            this.errors.push(String(e?.stack ?? e));
            Atomics.store(this.ctrl, CTRL.ERROR, 1);
            this.commands.failAll(this.failed);
            reject(e);
          });
        }),
      );
    }
    const backends = await Promise.all(ready);
    this.backend = backends[0];
  }

  /** Updates the optimizer hyper-parameters of the steps published from now on. */
  setHyper(h: {
    lr?: number;
    beta1?: number;
    beta2?: number;
    eps?: number;
    weightDecay?: number;
    decoupled?: boolean;
    clipGradNorm?: number | null;
  }): void {
    const H = this.hyper;
    if (h.lr !== undefined || H[HYPER.LR] === 0) H[HYPER.LR] = h.lr ?? 1e-3;
    if (h.beta1 !== undefined || H[HYPER.BETA1] === 0) H[HYPER.BETA1] = h.beta1 ?? 0.9;
    if (h.beta2 !== undefined || H[HYPER.BETA2] === 0) H[HYPER.BETA2] = h.beta2 ?? 0.999;
    if (h.eps !== undefined || H[HYPER.EPS] === 0) H[HYPER.EPS] = h.eps ?? 1e-8;
    if (h.weightDecay !== undefined) H[HYPER.WEIGHT_DECAY] = h.weightDecay;
    if (h.decoupled !== undefined) H[HYPER.DECOUPLED] = h.decoupled ? 1 : 0;
    if (h.clipGradNorm !== undefined) {
      H[HYPER.CLIP_ON] = h.clipGradNorm === null ? 0 : 1;
      H[HYPER.CLIP_NORM] = h.clipGradNorm ?? 0;
    }
  }

  /** Turns per-kernel timing in the workers on or off (worker 0's figures accumulate in `profile`). */
  setProfiling(on: boolean): void {
    Atomics.store(this.ctrl, CTRL.PROFILE, on ? 1 : 0);
  }

  private publish(
    cmd: number,
    count: number,
    stepT: number,
    fill: (slot: number, inputFree: (region: number) => boolean) => number,
  ): Promise<StepResult> {
    if (this.closed) throw new Error('DataParallelTrainer is closed');
    if (this.failed) throw new Error(this.failed);
    return this.commands.publish(cmd, count, this.hyper, stepT, fill);
  }

  /**
   * The workers' input buffer [maxBatch, C, H, W] (shared memory) for the next call. A caller that writes its batch
   * here and passes this buffer (or a view of its head) to infer, trainStep or computeGradients saves the copy of
   * the batch into it (into shared memory: about 0.25 ms of the coordinator's CPU for 32 images of 96×96×3). Write
   * only while no step runs, or while one runs and you then publish another: ask again for every call (a step
   * queued behind a running one needs the other buffer).
   */
  inputBuffer(): Float32Array {
    return this.slotInput(this.commands.freeInput());
  }

  private slotInput(slot: number): Float32Array {
    const size = this.maxBatch * this.inputSize;
    return this.x.subarray(slot * size, (slot + 1) * size);
  }

  /** Puts a command's batch in place (see CommandQueue.publish); returns the input region it is in. */
  private load(
    x: Float32Array,
    labels: ArrayLike<number> | null,
    count: number,
    slot: number,
    inputFree: (region: number) => boolean,
  ): number {
    if (count < 1 || count > this.maxBatch) throw new Error(`batch of ${count} (max ${this.maxBatch})`);
    if (x.length < count * this.inputSize)
      throw new Error(`input of ${x.length} values for ${count} examples`);
    if (labels) {
      const at = slot * this.maxBatch;
      for (let i = 0; i < count; i++) this.labels[at + i] = labels[i];
    }
    // the batch already in an input region (inputBuffer()) that no running command reads: nothing to copy
    for (let region = 0; region < SLOTS; region++) {
      const r = this.slotInput(region);
      if (x.buffer === r.buffer && x.byteOffset === r.byteOffset && inputFree(region)) return region;
    }
    // a copy goes into a region no running command reads (with one in flight, one of the two is free)
    const target = inputFree(slot) ? slot : (slot + 1) % SLOTS;
    this.slotInput(target).set(
      x.length === count * this.inputSize ? x : x.subarray(0, count * this.inputSize),
    );
    return target;
  }

  private result(p: PendingCommand<StepResult>): StepResult {
    let loss = 0;
    let correct = 0;
    let computeMs = 0;
    let reduceMs = 0;
    const slot = p.index % SLOTS;
    for (let w = 0; w < this.workers; w++) {
      const s = statsOffset(slot, this.workers, w);
      loss += this.stats[s + STATS.LOSS] * this.stats[s + STATS.COUNT];
      correct += this.stats[s + STATS.CORRECT];
      computeMs = Math.max(computeMs, this.stats[s + STATS.COMPUTE_MS]);
      reduceMs = Math.max(reduceMs, this.stats[s + STATS.REDUCE_MS]);
    }
    // every worker computed the same norm; worker 0's is the one
    const gradNorm =
      p.cmd === CMD.TRAIN_STEP
        ? this.stats[statsOffset(slot, this.workers, 0) + STATS.GRAD_NORM]
        : Number.NaN;
    return { loss: loss / p.count, correct, count: p.count, computeMs, reduceMs, gradNorm };
  }

  /**
   * One optimizer step (Adam or AdamW, clipping as set by setHyper) on a batch: x is [count, C, H, W] float32, labels
   * are class indices. The batch is copied before this returns, and a second step may be published before this
   * one's promise settles.
   */
  async trainStep(x: Float32Array, labels: ArrayLike<number>, count: number): Promise<StepResult> {
    const fill = (slot: number, free: (region: number) => boolean) => this.load(x, labels, count, slot, free);
    const done = this.publish(CMD.TRAIN_STEP, count, this.step_t + 1, fill);
    this.step_t++;
    return done;
  }

  /**
   * Gradients only: afterwards `grads` holds the gradient of the mean loss over the batch, and the caller may run
   * any optimizer on `params` (between steps).
   */
  async computeGradients(x: Float32Array, labels: ArrayLike<number>, count: number): Promise<StepResult> {
    return this.publish(CMD.GRADS, count, 0, (slot, free) => this.load(x, labels, count, slot, free));
  }

  /** Logits [count, classes] of a batch, computed by all workers; the returned view is reused by the next call. */
  async infer(x: Float32Array, count: number): Promise<Float32Array> {
    await this.publish(CMD.INFER, count, 0, (slot, free) => this.load(x, null, count, slot, free));
    return this.logits.subarray(0, count * this.classes);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.commands.failAll('DataParallelTrainer is closed');
    this.commands.stop();
    await Promise.all(
      this.threads.map(
        (w) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void w.terminate().then(() => resolve()), 2000);
            w.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
  }
}
