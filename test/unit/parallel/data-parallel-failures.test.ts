/** The data-parallel trainer when a shard worker dies: the step fails instead of waiting forever. */
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { DataParallelTrainer } from '../../../native-workers/parallel/data-parallel-trainer';
import { SLOT_WORD, slotWord } from '../../../native-workers/parallel/protocol';
import { data, shardWorkerBundle, spec } from './data-parallel-support';

const worker = shardWorkerBundle();

describe('DataParallelTrainer failures', () => {
  it('fails the step (not hang) when a worker dies, and every later call fails fast', async () => {
    const t = await DataParallelTrainer.create({
      spec,
      seed: 1,
      maxBatch: 4,
      workers: 2,
      workerPath: worker.path,
    });
    try {
      const threads = (t as unknown as { threads: { terminate(): Promise<number> }[] }).threads;
      await threads[1].terminate();
      const d = data(4, 1);
      await expect(t.trainStep(d.x, d.y, 4)).rejects.toThrow(/exited/);
      await expect(t.infer(d.x, 4)).rejects.toThrow(/exited/);
    } finally {
      await t.close();
    }
  });

  // a step of 16 images here lasts long enough for a worker to be terminated while it runs
  const slowSpec: ModelSpec = {
    input: { height: 96, width: 96, channels: 3 },
    layers: [
      { type: 'conv2d', filters: 32, kernelSize: 3, padding: 'same' },
      { type: 'relu' },
      { type: 'conv2d', filters: 32, kernelSize: 3, padding: 'same' },
      { type: 'relu' },
      { type: 'maxPool2d', size: 4 },
      { type: 'flatten' },
      { type: 'dense', units: 4 },
    ],
    numClasses: 4,
  };
  const slowData = (n: number) => {
    const x = new Float32Array(n * 96 * 96 * 3);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37);
    return { x, y: Int32Array.from({ length: n }, (_, i) => i % 4) };
  };
  const create = () =>
    DataParallelTrainer.create({
      spec: slowSpec,
      seed: 3,
      maxBatch: 16,
      workers: 2,
      workerPath: worker.path,
    });

  it('fails a long step (not hang) when a worker dies during it', async () => {
    const t = await create();
    try {
      const d = slowData(16);
      const step = t.trainStep(d.x, d.y, 16);
      const threads = (t as unknown as { threads: { terminate(): Promise<number> }[] }).threads;
      await threads[1].terminate();
      await expect(step).rejects.toThrow(/exited/);
    } finally {
      await t.close();
    }
  });

  it('a failed step fails alone or with the step queued behind it, and the next step works', async () => {
    const t = await create();
    try {
      const d = slowData(16);
      // a long step, then one queued behind it whose command word is corrupted before the workers read it
      const long = t.trainStep(d.x, d.y, 16);
      const corrupt = t.trainStep(d.x, d.y, 16).catch((e: Error) => e);
      const ctrl = (t as unknown as { ctrl: Int32Array }).ctrl;
      Atomics.store(ctrl, slotWord(1, SLOT_WORD.CMD), 99);
      expect((await long).count).toBe(16);
      // published at once: the workers skip it if the failure is not settled yet, else it runs
      const next = t.trainStep(d.x, d.y, 16).catch((e: Error) => e);
      expect(String(await corrupt)).toMatch(/unknown command 99/);
      const r = await next;
      if (r instanceof Error) expect(String(r)).toMatch(/unknown command 99/);
      else expect(r.count).toBe(16);
      const after = await t.trainStep(d.x, d.y, 16);
      expect(Number.isFinite(after.loss)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
