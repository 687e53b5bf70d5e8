/**
 * The data-parallel trainer: N workers must give the single-thread result (same seed) up to float tolerance,
 * including uneven shards and a batch smaller than the number of workers. Exact resume from checkpoints:
 * data-parallel-checkpoint.test.ts; a worker dying: data-parallel-failures.test.ts.
 */
import type { KernelChoice } from '../../../native-workers/kernels/fast-kernels';
import { loadNativeAddon } from '../../../native-workers/kernels/native-kernels';
import { describe, expect, it } from 'vitest';
import type { ModelSpec, TrainingConfig } from '../../../app/domain/model-spec';
import { clipGradNorm } from '../../../native-workers/cnn/optim/clip';
import { createOptimizer } from '../../../native-workers/cnn/optim/optimizer';
import { decayMask } from '../../../native-workers/cnn/params';
import { workerOptimizerHyper } from '../../../native-workers/parallel/worker-optimizer';
import { fastKernels, kernelsFor } from '../../../native-workers/kernels/fast-kernels';
import { FlatAdam } from '../../../native-workers/parallel/adam';
import { DataParallelTrainer } from '../../../native-workers/parallel/data-parallel-trainer';
import { buildModel } from '../../../native-workers/cnn/model';
import { batches, data, shardWorkerBundle, spec } from './data-parallel-support';

const worker = shardWorkerBundle();

async function trainWith(
  workers: number,
  kernels: KernelChoice,
): Promise<{ params: Float32Array; losses: number[] }> {
  const t = await DataParallelTrainer.create({
    spec,
    seed: 17,
    maxBatch: 10,
    workers,
    workerPath: worker.path,
    kernels,
    lr: 0.01,
  });
  try {
    const losses: number[] = [];
    let seed = 5;
    for (const n of batches) {
      const d = data(n, seed++);
      losses.push((await t.trainStep(d.x, d.y, n)).loss);
    }
    return { params: t.params.slice(), losses };
  } finally {
    await t.close();
  }
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 1e-3;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
  return worst;
}

describe('DataParallelTrainer', () => {
  it('1 worker matches an in-process Model + Adam', async () => {
    const model = buildModel(spec, { seed: 17, batchSize: 10, kernels: fastKernels() });
    const adam = new FlatAdam(model.params.length, { lr: 0.01 });
    const losses: number[] = [];
    let seed = 5;
    for (const n of batches) {
      const d = data(n, seed++);
      losses.push(model.computeGradients(d.x, d.y).loss);
      adam.step(model.params, model.grads);
    }
    const one = await trainWith(1, 'wasm');
    expect(maxRelDiff(one.params, model.params)).toBeLessThan(1e-6);
    one.losses.forEach((l, i) => expect(l).toBeCloseTo(losses[i], 5));
  });

  it.skipIf(!loadNativeAddon())(
    '1 worker with the native kernels (and native reduce + Adam) is bitwise the in-process Model + FlatAdam',
    async () => {
      const model = buildModel(spec, { seed: 17, batchSize: 10, kernels: kernelsFor('native') });
      const adam = new FlatAdam(model.params.length, { lr: 0.01 });
      for (const [i, n] of batches.entries()) {
        const d = data(n, 5 + i);
        model.computeGradients(d.x, d.y);
        adam.step(model.params, model.grads);
      }
      const one = await trainWith(1, 'native');
      expect(Buffer.from(one.params.buffer).equals(Buffer.from(model.params.buffer))).toBe(true);
    },
  );

  it.for(['wasm', 'native'] as const)(
    '2 and 3 workers match 1 worker (same seed), %s kernels',
    async (k, ctx) => {
      if (k === 'native' && !loadNativeAddon()) return ctx.skip('native kernels not built');
      const one = await trainWith(1, k);
      for (const n of [2, 3]) {
        const many = await trainWith(n, k);
        expect(maxRelDiff(many.params, one.params)).toBeLessThan(1e-4);
        many.losses.forEach((l, i) => expect(l).toBeCloseTo(one.losses[i], 4));
      }
    },
  );

  it('zero-copy wasm replicas (default for wasm) give exactly the results of copying replicas', async () => {
    const run = async (zeroCopy: boolean) => {
      const t = await DataParallelTrainer.create({
        spec,
        seed: 17,
        maxBatch: 10,
        workers: 2,
        workerPath: worker.path,
        zeroCopy,
        kernels: 'wasm',
        lr: 0.01,
      });
      try {
        expect(t.backend).toMatch(zeroCopy ? /^wasm-.*simd, zero-copy$/ : /^wasm-.*simd$/);
        let seed = 5;
        for (const n of batches) {
          const d = data(n, seed++);
          await t.trainStep(d.x, d.y, n);
        }
        return t.params.slice();
      } finally {
        await t.close();
      }
    };
    expect(Array.from(await run(true))).toEqual(Array.from(await run(false)));
  });

  it('reference kernels in the workers agree with the wasm kernels', async () => {
    const a = await trainWith(2, 'reference');
    const b = await trainWith(2, 'wasm');
    expect(maxRelDiff(a.params, b.params)).toBeLessThan(1e-4);
  });

  it.skipIf(!loadNativeAddon())(
    'native kernels in the workers agree with the reference kernels',
    async () => {
      const a = await trainWith(2, 'reference');
      const b = await trainWith(2, 'native');
      expect(maxRelDiff(a.params, b.params)).toBeLessThan(1e-4);
    },
  );

  it('infer reads a batch written into inputBuffer() in place, and copies any other view', async () => {
    const t = await DataParallelTrainer.create({
      spec,
      seed: 3,
      maxBatch: 10,
      workers: 2,
      workerPath: worker.path,
    });
    try {
      const d = data(8, 5);
      const size = t.inputSize;
      const expected = (await t.infer(d.x, 8)).slice();
      const shared = t.inputBuffer();
      expect(shared.length).toBe(10 * size);
      shared.fill(0);
      shared.set(d.x);
      expect(Array.from(await t.infer(shared, 8))).toEqual(Array.from(expected));
      // a view of the same memory that starts one image later is a different batch: it must be copied to the head
      const later = shared.subarray(size, 8 * size);
      const logits = await t.infer(later, 7);
      expect(maxRelDiff(logits, expected.subarray(t.classes))).toBeLessThan(1e-5);
    } finally {
      await t.close();
    }
  });

  it('infer returns the logits of every example, split over workers', async () => {
    const t = await DataParallelTrainer.create({
      spec,
      seed: 3,
      maxBatch: 10,
      workers: 3,
      workerPath: worker.path,
    });
    try {
      const d = data(7, 99);
      const logits = (await t.infer(d.x, 7)).slice();
      const model = buildModel(spec, { seed: 3, batchSize: 10, kernels: fastKernels() });
      const expected = model.forward(d.x, { training: false });
      expect(maxRelDiff(logits, expected)).toBeLessThan(1e-5);
      // gradients-only mode leaves params alone
      const before = t.params.slice();
      const r = await t.computeGradients(d.x, d.y, 7);
      expect(r.count).toBe(7);
      expect(Array.from(t.params)).toEqual(Array.from(before));
      model.computeGradients(d.x, d.y);
      expect(maxRelDiff(t.grads, model.grads)).toBeLessThan(1e-4);
    } finally {
      await t.close();
    }
  });
});

describe('DataParallelTrainer with AdamW / L2 decay and clipping in the workers', () => {
  type Recipe = Pick<TrainingConfig, 'optimizer' | 'clipGradNorm'>;
  // clipping at 2.5 clips some of these batches and not others (asserted below)
  const adamw: Recipe = { optimizer: { type: 'adamw', weightDecay: 0.1 }, clipGradNorm: 2.5 };
  const adamL2: Recipe = { optimizer: { type: 'adam', weightDecay: 0.05, beta2: 0.99 }, clipGradNorm: 2.5 };
  const lrAt = (step: number) => 0.01 * (1 - step / 10); // a schedule: setHyper before every step

  /** The Trainer's step (applyGradients): clip.ts, then createOptimizer with the decay mask, in one thread. */
  function referenceRun(recipe: Recipe, kernels: KernelChoice) {
    const model = buildModel(spec, { seed: 17, batchSize: 10, kernels: kernelsFor(kernels) });
    const opt = createOptimizer(recipe.optimizer, model.params.length, decayMask(model.layout));
    const norms: number[] = [];
    for (const [i, n] of batches.entries()) {
      const d = data(n, 5 + i);
      model.computeGradients(d.x, d.y);
      norms.push(clipGradNorm(model.grads, recipe.clipGradNorm!));
      opt.step(model.params, model.grads, lrAt(i));
    }
    return { params: model.params, norms };
  }

  async function workersRun(recipe: Recipe, workers: number, kernels: KernelChoice) {
    const t = await DataParallelTrainer.create({
      spec,
      seed: 17,
      maxBatch: 10,
      workers,
      workerPath: worker.path,
      kernels,
      lr: lrAt(0),
      ...workerOptimizerHyper(recipe),
    });
    try {
      const norms: number[] = [];
      for (const [i, n] of batches.entries()) {
        const d = data(n, 5 + i);
        t.setHyper({ lr: lrAt(i) });
        norms.push((await t.trainStep(d.x, d.y, n)).gradNorm);
      }
      return { params: t.params.slice(), norms };
    } finally {
      await t.close();
    }
  }

  it.for([
    ['AdamW', adamw],
    ['Adam + L2', adamL2],
  ] as const)('%s + clipping with 1, 2 and 3 workers matches the Trainer step', async ([, recipe]) => {
    const ref = referenceRun(recipe, 'wasm');
    expect(ref.norms.some((n) => n > 2.5) && ref.norms.some((n) => n < 2.5)).toBe(true);
    for (const workers of [1, 2, 3]) {
      const got = await workersRun(recipe, workers, 'wasm');
      const tolerance = workers === 1 ? 1e-6 : 1e-4; // float32 summation order of the reduce
      expect(maxRelDiff(got.params, ref.params), `${workers} workers`).toBeLessThan(tolerance);
      got.norms.forEach((n, i) => expect(Math.abs(n - ref.norms[i]) / ref.norms[i]).toBeLessThan(tolerance));
    }
  });

  it.skipIf(!loadNativeAddon())(
    '1 worker with the native kernels is bitwise the in-process Model + clip.ts + FlatAdam',
    async () => {
      const model = buildModel(spec, { seed: 17, batchSize: 10, kernels: kernelsFor('native') });
      const h = workerOptimizerHyper(adamw);
      const adam = new FlatAdam(model.params.length, { lr: 0, ...h, decayMask: decayMask(model.layout) });
      for (const [i, n] of batches.entries()) {
        const d = data(n, 5 + i);
        model.computeGradients(d.x, d.y);
        clipGradNorm(model.grads, h.clipGradNorm!);
        (adam as { lr: number }).lr = lrAt(i);
        adam.stepSlice(model.params, model.grads, i + 1);
      }
      const one = await workersRun(adamw, 1, 'native');
      expect(Buffer.from(one.params.buffer).equals(Buffer.from(model.params.buffer))).toBe(true);
    },
  );

  it('without clipping, trainStep reports no norm', async () => {
    const t = await DataParallelTrainer.create({
      spec,
      seed: 1,
      maxBatch: 4,
      workers: 2,
      workerPath: worker.path,
    });
    try {
      const d = data(4, 1);
      expect((await t.trainStep(d.x, d.y, 4)).gradNorm).toBeNaN();
      t.setHyper({ clipGradNorm: 1e-3 });
      expect((await t.trainStep(d.x, d.y, 4)).gradNorm).toBeGreaterThan(1e-3);
    } finally {
      await t.close();
    }
  });
});

describe('DataParallelTrainer with batchnorm and dropout', () => {
  const bnSpec: ModelSpec = {
    input: { height: 8, width: 8, channels: 1 },
    layers: [
      { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
      { type: 'batchNorm' },
      { type: 'relu' },
      { type: 'maxPool2d', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 8 },
      { type: 'dropout', rate: 0.3 },
      { type: 'dense', units: 3 },
    ],
    numClasses: 3,
  };

  it("trains, averages the replicas' running statistics and loads new ones", async () => {
    const t = await DataParallelTrainer.create({
      spec: bnSpec,
      seed: 2,
      maxBatch: 8,
      workers: 2,
      workerPath: worker.path,
    });
    try {
      const x = new Float32Array(8 * 64).map((_, i) => Math.sin(i));
      const y = new Int32Array(8).map((_, i) => i % 3);
      const r = await t.trainStep(x, y, 8);
      expect(Number.isFinite(r.loss)).toBe(true);
      const state = t.readState(new Float32Array(t.stateCount));
      expect(state.length).toBe(8); // mean + var of 4 channels
      expect(state.some((v, i) => (i < 4 ? v !== 0 : v !== 1))).toBe(true);
      t.writeState(new Float32Array(8).fill(0.5));
      expect(Array.from(t.readState(new Float32Array(8)))).toEqual(new Array(8).fill(0.5));
      await t.infer(x, 8);
    } finally {
      await t.close();
    }
  });
});
