/**
 * A training step queued behind the running one (DataParallelTrainer keeps two in flight): the same parameters,
 * losses and gradient norms bit for bit as awaiting every step, with each step's own learning rate and Adam count,
 * and clear refusals of what cannot overlap a running step.
 */
import { describe, expect, it } from 'vitest';
import { DataParallelTrainer, type StepResult } from '../../../native-workers/parallel/data-parallel-trainer';
import { batches, bnSpec, data, shardWorkerBundle, spec } from './data-parallel-support';

const worker = shardWorkerBundle();

const create = (workers: number, withBatchNorm = false) =>
  DataParallelTrainer.create({
    spec: withBatchNorm ? bnSpec : spec,
    seed: 23,
    maxBatch: 10,
    workers,
    workerPath: worker.path,
    lr: 0.01,
    weightDecay: 0.05,
    decoupled: true,
    clipGradNorm: 0.5,
  });

/** A run of `batches` twice over with a decaying learning rate; `queued` keeps one step queued behind another. */
async function run(
  workers: number,
  queued: boolean,
  withBatchNorm = false,
): Promise<{ params: Float32Array; state: Float32Array; results: StepResult[] }> {
  const t = await create(workers, withBatchNorm);
  try {
    const results: StepResult[] = [];
    let inFlight: Promise<StepResult> | null = null;
    const steps = [...batches, ...batches];
    for (const [i, n] of steps.entries()) {
      const d = data(n, 40 + i);
      // a schedule's rate set just before a step is that step's, also while the previous one still runs
      t.setHyper({ lr: 0.01 / (1 + i) });
      const next = t.trainStep(d.x, d.y, n);
      // the batch was copied: overwriting it now changes nothing
      d.x.fill(Number.NaN);
      if (inFlight) results.push(await inFlight);
      inFlight = next;
      if (!queued) {
        results.push(await inFlight);
        inFlight = null;
      }
    }
    if (inFlight) results.push(await inFlight);
    expect(t.step_t).toBe(steps.length);
    return { params: t.params.slice(), state: t.readState(new Float32Array(t.stateCount)), results };
  } finally {
    await t.close();
  }
}

describe('DataParallelTrainer with a step queued', () => {
  for (const [workers, withBatchNorm] of [
    [1, false],
    [2, false],
    [2, true],
  ] as const) {
    const what = `${workers} worker${workers > 1 ? 's' : ''}${withBatchNorm ? ', batch norm and dropout' : ''}`;
    it(`is bitwise the run that awaits every step (${what})`, async () => {
      const awaited = await run(workers, false, withBatchNorm);
      const queued = await run(workers, true, withBatchNorm);
      expect(queued.results.length).toBe(awaited.results.length);
      expect(Buffer.from(queued.params.buffer).equals(Buffer.from(awaited.params.buffer))).toBe(true);
      expect(Buffer.from(queued.state.buffer).equals(Buffer.from(awaited.state.buffer))).toBe(true);
      queued.results.forEach((r, i) => {
        expect(r.loss).toBe(awaited.results[i].loss);
        expect(r.correct).toBe(awaited.results[i].correct);
        expect(r.gradNorm).toBe(awaited.results[i].gradNorm);
        expect(Number.isFinite(r.loss)).toBe(true);
      });
    });
  }

  it('a batch put in inputBuffer() or copied while a step runs lands where the running step does not read', async () => {
    const steps = [...batches, ...batches];
    const reference = await create(2);
    const inPlace = await create(2);
    try {
      for (const [i, n] of steps.entries())
        await reference.trainStep(data(n, 60 + i).x, data(n, 60 + i).y, n);
      // an inference first, so that the next command (slot 1) reads its batch in place from slot 0's region
      const first = inPlace.inputBuffer();
      first.set(data(10, 1).x);
      await inPlace.infer(first, 10);
      let inFlight: Promise<unknown> | null = null;
      for (const [i, n] of steps.entries()) {
        const d = data(n, 60 + i);
        // alternately in place (the buffer a queued step may write) and copied (into a region nothing reads)
        const x = i % 2 === 0 ? (i === 0 ? first : inPlace.inputBuffer()) : d.x;
        if (x !== d.x) x.set(d.x);
        const next = inPlace.trainStep(x, d.y, n);
        if (inFlight) await inFlight;
        inFlight = next;
      }
      await inFlight;
      expect(Buffer.from(inPlace.params.buffer).equals(Buffer.from(reference.params.buffer))).toBe(true);
    } finally {
      await Promise.all([reference.close(), inPlace.close()]);
    }
  });

  it('refuses a third step, inference, a checkpoint or new state while steps run, and works after', async () => {
    const t = await create(2);
    try {
      const d = data(10, 3);
      const first = t.trainStep(d.x, d.y, 10);
      const second = t.trainStep(d.x, d.y, 10);
      await expect(t.trainStep(d.x, d.y, 10)).rejects.toThrow(/in flight/);
      await expect(t.infer(d.x, 10)).rejects.toThrow(/already running/);
      await expect(t.computeGradients(d.x, d.y, 10)).rejects.toThrow(/already running/);
      expect(() => t.checkpoint()).toThrow(/a step is running/);
      expect(() => t.readState(new Float32Array(t.stateCount))).toThrow(/a step is running/);
      const [a, b] = await Promise.all([first, second]);
      expect(a.count + b.count).toBe(20);
      // the refused step did not count as an Adam step
      expect(t.step_t).toBe(2);
      expect((await t.infer(d.x, 10)).length).toBe(10 * 4);
      expect(t.checkpoint().stepT).toBe(2);
    } finally {
      await t.close();
    }
  });

  it('close() fails the steps still queued instead of leaving them waiting', async () => {
    const t = await create(2);
    const d = data(10, 4);
    const first = t.trainStep(d.x, d.y, 10);
    const second = t.trainStep(d.x, d.y, 10);
    const settled = Promise.allSettled([first, second]);
    await t.close();
    for (const s of await settled) if (s.status === 'rejected') expect(String(s.reason)).toMatch(/closed/);
    await expect(t.trainStep(d.x, d.y, 10)).rejects.toThrow(/closed/);
  });
});
