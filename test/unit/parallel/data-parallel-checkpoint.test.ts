/**
 * Exact resume of the data-parallel trainer: checkpoint() / restore() carry the parameters, Adam's moments and step,
 * and each replica's batchnorm statistics and dropout RNG.
 */
import { describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../../../app/domain/model-spec';
import { DataParallelTrainer } from '../../../native-workers/parallel/data-parallel-trainer';
import { workerOptimizerHyper } from '../../../native-workers/parallel/worker-optimizer';
import { batches, bnSpec, data, shardWorkerBundle } from './data-parallel-support';

const worker = shardWorkerBundle();

describe('DataParallelTrainer checkpoint', () => {
  const create = (
    recipe: Pick<TrainingConfig, 'optimizer' | 'clipGradNorm'> = { optimizer: { type: 'adam' } },
  ) =>
    DataParallelTrainer.create({
      spec: bnSpec,
      seed: 23,
      maxBatch: 10,
      workers: 2,
      workerPath: worker.path,
      lr: 0.01,
      ...workerOptimizerHyper(recipe),
    });
  const steps = async (t: DataParallelTrainer, from: number, to: number, losses: number[]) => {
    for (let i = from; i < to; i++) {
      const n = batches[i % batches.length];
      const d = data(n, 100 + i);
      losses.push((await t.trainStep(d.x, d.y, n)).loss);
    }
  };

  it.for([
    ['Adam', { optimizer: { type: 'adam' } }],
    ['AdamW + clipping', { optimizer: { type: 'adamw', weightDecay: 0.05 }, clipGradNorm: 0.5 }],
  ] as const)(
    '%s: a run restored from a checkpoint continues exactly like the uninterrupted run (bitwise)',
    async ([, recipe]) => {
      const whole = await create(recipe);
      const lossesA: number[] = [];
      let paramsA: Float32Array;
      let stateA: Float32Array;
      try {
        await steps(whole, 0, 8, lossesA);
        paramsA = whole.params.slice();
        stateA = whole.readState(new Float32Array(whole.stateCount));
      } finally {
        await whole.close();
      }

      const first = await create(recipe);
      const lossesB: number[] = [];
      let cp;
      try {
        await steps(first, 0, 4, lossesB);
        cp = first.checkpoint();
      } finally {
        await first.close();
      }
      const resumed = await create(recipe);
      try {
        resumed.restore(cp);
        await steps(resumed, 4, 8, lossesB);
        expect(lossesB).toEqual(lossesA);
        expect(Buffer.from(resumed.params.buffer).equals(Buffer.from(paramsA.buffer))).toBe(true);
        expect(Array.from(resumed.readState(new Float32Array(resumed.stateCount)))).toEqual(
          Array.from(stateA),
        );
      } finally {
        await resumed.close();
      }
    },
  );

  it('refuses a checkpoint of another worker count or shape', async () => {
    const t = await create();
    try {
      const cp = t.checkpoint();
      expect(() => t.restore({ ...cp, workers: 3 })).toThrow(/3 workers/);
      expect(() => t.restore({ ...cp, params: cp.params.subarray(1) })).toThrow(/params/);
    } finally {
      await t.close();
    }
  });

  it('without the replica RNGs, dropout would diverge (the test above can fail)', async () => {
    const a = await create();
    const b = await create();
    try {
      await steps(a, 0, 3, []);
      const cp = a.checkpoint();
      b.restore({ ...cp, replicaRngs: new Int32Array(cp.replicaRngs.length).fill(7) });
      const la: number[] = [];
      const lb: number[] = [];
      await steps(a, 3, 5, la);
      await steps(b, 3, 5, lb);
      expect(lb).not.toEqual(la);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
