/**
 * The coordinator's side of the command sequence of protocol.ts: publishing a command into its slot, settling the
 * commands the workers finished (in order), and failing those left when a worker dies or the trainer closes.
 * DataParallelTrainer owns one, and the typed views it writes through.
 */
import { CMD, CTRL, HYPER, SLOTS, SLOT_WORD, slotWord } from './protocol';

/** A published command whose promise has not settled yet. */
export interface PendingCommand<R> {
  /** Its number (protocol.ts): it uses slot `index % SLOTS`. */
  index: number;
  cmd: number;
  count: number;
  /** The input region its batch is in (protocol.ts SLOT_WORD.INPUT). */
  input: number;
  resolve(r: R): void;
  reject(e: Error): void;
}

/** How the owner reads a finished command's result, and the error messages the workers posted. */
export interface CommandOutcome<R> {
  result(p: PendingCommand<R>): R;
  /** The workers' error messages so far; `clear` forgets them (no command that failed with them is left). */
  errors(clear: boolean): string;
}

export class CommandQueue<R> {
  /** Commands published so far. */
  private published = 0;
  /** Those not settled yet, oldest first. */
  private readonly pending: PendingCommand<R>[] = [];
  /** Finished commands that failed, waiting for the workers' error messages. */
  private readonly failed: PendingCommand<R>[] = [];

  constructor(
    private readonly ctrl: Int32Array,
    private readonly workers: number,
    /** Every slot's hyper-parameters (SLOTS × HYPER.LENGTH, shared). */
    private readonly slotHyper: Float64Array,
    private readonly outcome: CommandOutcome<R>,
  ) {}

  /** Commands published and not settled. */
  get inFlight(): number {
    return this.pending.length;
  }

  /** An input region no command in flight reads: the next command's own slot's, if free. */
  freeInput(): number {
    const slot = this.published % SLOTS;
    return this.pending.every((p) => p.input !== slot) ? slot : (slot + 1) % SLOTS;
  }

  /**
   * Publishes a command with these hyper-parameters and Adam count, on the batch `fill` puts in an input region
   * (its slot's, or one that already holds it and that no command in flight reads) and names. Only training steps
   * may queue behind a running training step (their inputs, stats and hyper-parameters are per slot; inference's
   * logits and a caller's own optimizer step between gradient commands are not), SLOTS at most.
   */
  publish(
    cmd: number,
    count: number,
    hyper: Float64Array,
    stepT: number,
    fill: (slot: number, inputFree: (region: number) => boolean) => number,
  ): Promise<R> {
    const queueable = cmd === CMD.TRAIN_STEP && this.pending.every((p) => p.cmd === CMD.TRAIN_STEP);
    if (this.pending.length && !queueable) throw new Error('DataParallelTrainer: a step is already running');
    if (this.pending.length >= SLOTS)
      throw new Error(`DataParallelTrainer: ${SLOTS} steps are in flight already; await the oldest first`);
    const index = this.published;
    const slot = index % SLOTS;
    const input = fill(slot, (region) => this.pending.every((p) => p.input !== region));
    const c = this.ctrl;
    Atomics.store(c, slotWord(slot, SLOT_WORD.CMD), cmd);
    Atomics.store(c, slotWord(slot, SLOT_WORD.COUNT), count);
    Atomics.store(c, slotWord(slot, SLOT_WORD.STEP_T), stepT);
    Atomics.store(c, slotWord(slot, SLOT_WORD.INPUT), input);
    this.slotHyper.set(hyper, slot * HYPER.LENGTH);
    const done = new Promise<R>((resolve, reject) =>
      this.pending.push({ index, cmd, count, input, resolve, reject }),
    );
    this.published++;
    Atomics.add(c, CTRL.SEQ, 1);
    Atomics.notify(c, CTRL.SEQ);
    return done;
  }

  /**
   * Settles every pending command the workers have finished (the 'done' notices may arrive late or merged): those
   * before a failed command resolve; the failed one, and those the workers skipped after it, fail with the
   * workers' error messages. Once none is pending, the workers' error flag is cleared (they are idle then).
   */
  settleFinished(): void {
    const finished = Math.floor(Atomics.load(this.ctrl, CTRL.FINISHED) / this.workers);
    const failedAt = Atomics.load(this.ctrl, CTRL.ERROR) - 1;
    while (this.pending.length && this.pending[0].index < finished) {
      const p = this.pending.shift() as PendingCommand<R>;
      if (failedAt < 0 || p.index < failedAt) p.resolve(this.outcome.result(p));
      else this.failed.push(p);
    }
    if (failedAt >= 0 && this.pending.length === 0) Atomics.store(this.ctrl, CTRL.ERROR, 0);
    // the failing worker's message may still be on its way (another worker may have posted the notice): one turn
    if (this.failed.length) setImmediate(() => this.rejectFailed());
  }

  private rejectFailed(): void {
    if (!this.failed.length) return;
    const idle = Atomics.load(this.ctrl, CTRL.ERROR) === 0;
    const message = this.outcome.errors(idle) || 'a shard worker failed';
    for (const p of this.failed.splice(0)) p.reject(new Error(message));
  }

  /** Fails every pending command (a worker died, or the trainer closed). */
  failAll(message: string): void {
    for (const p of this.pending.splice(0)) p.reject(new Error(message));
  }

  /** The workers finish the commands already published, then exit (SEQ moves so that none sleeps through it). */
  stop(): void {
    Atomics.store(this.ctrl, CTRL.STOP, this.published + 1);
    Atomics.add(this.ctrl, CTRL.SEQ, 1);
    Atomics.notify(this.ctrl, CTRL.SEQ);
  }
}
