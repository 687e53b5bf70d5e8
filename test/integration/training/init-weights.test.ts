/**
 * Continuing training from trained weights (settings.initFrom / `train --from`): from a run of the project and
 * from a model file (copied into the run, so deleting the source does not matter), and the refusals.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../app/ipc/result';
import { makeTestServices } from '../../support/services';
import { finalWeights, projectWithImages, quickSettings, SMALL_SET } from './support';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function setup() {
  const t = makeTestServices();
  cleanups.push(t.cleanup);
  return t;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function refusalCode(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    return ((error as AppFailure).details as { code?: string } | undefined)?.code;
  }
  throw new Error('expected a refusal');
}

describe('starting a run from trained weights', () => {
  it('continues from a run and from a model file; a fresh run does not', async () => {
    const { services, dataDir } = setup();
    const projectId = await projectWithImages(services, 'init');
    const a = services.training.start(projectId, quickSettings({ epochs: 2 }), 'a');
    await services.training.waitFor(projectId, a.id);
    const trained = finalWeights(dataDir, projectId, a.id);

    // a learning rate of ~0 leaves the starting weights where they were: they must be A's
    const still = quickSettings({ epochs: 1, learningRate: 1e-9 });
    const b = services.training.start(projectId, { ...still, initFrom: { kind: 'run', runId: a.id } }, 'b');
    const bDone = await services.training.waitFor(projectId, b.id);
    expect(bDone.run.status).toBe('completed');
    expect(maxAbsDiff(finalWeights(dataDir, projectId, b.id).params, trained.params)).toBeLessThan(1e-5);
    const fresh = services.training.start(projectId, still, 'fresh');
    const freshDone = await services.training.waitFor(projectId, fresh.id);
    // with the same (frozen) step, the trained start fits the training images far better than a fresh one
    expect(bDone.run.epochs[0].trainLoss).toBeLessThan(freshDone.run.epochs[0].trainLoss - 0.5);
    // (the same seed, so only A's training moved A's weights away from the fresh ones)
    expect(maxAbsDiff(finalWeights(dataDir, projectId, fresh.id).params, trained.params)).toBeGreaterThan(
      1e-3,
    );

    // from a model file, removed right after the start: the run has its own copy
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-init-'));
    cleanups.push(async () => fs.rmSync(tmp, { recursive: true, force: true }));
    const file = path.join(tmp, 'a.cnnmodel');
    fs.copyFileSync(path.join(dataDir, 'projects', projectId, 'runs', a.id, 'final.model'), file);
    const c = services.training.start(projectId, { ...still, initFrom: { kind: 'file', file } }, 'c');
    fs.rmSync(file);
    expect((await services.training.waitFor(projectId, c.id)).run.status).toBe('completed');
    expect(maxAbsDiff(finalWeights(dataDir, projectId, c.id).params, trained.params)).toBeLessThan(1e-5);
    expect(services.runs.show(projectId, c.id).settings.initFrom).toEqual({ kind: 'file', file });

    // the starting weights are not remembered for the next run
    expect(services.training.defaults(projectId).settings.initFrom).toBeUndefined();
  });

  it('refuses weights of other classes or another input size, and files that are not models', async () => {
    const { services, dataDir } = setup();
    const projectId = await projectWithImages(services, 'source');
    const a = services.training.start(projectId, quickSettings({ epochs: 1 }), 'a');
    await services.training.waitFor(projectId, a.id);
    const model = path.join(dataDir, 'projects', projectId, 'runs', a.id, 'final.model');

    const twoClasses = services.projects.create({ name: 'two', inputSize: 28, color: 'gray' });
    for (const label of ['Bag', 'Sandal'])
      await services.dataset.importAndWait(twoClasses.id, {
        paths: [path.join(SMALL_SET, 'train', label)],
        label,
      });
    const settings = quickSettings({ epochs: 1, initFrom: { kind: 'file', file: model } });
    expect(refusalCode(() => services.training.start(twoClasses.id, settings))).toBe('init-mismatch');

    const bigger = services.projects.create({ name: 'bigger', inputSize: 32, color: 'gray' });
    await services.dataset.importAndWait(bigger.id, { paths: [path.join(SMALL_SET, 'train')] });
    expect(refusalCode(() => services.training.start(bigger.id, settings))).toBe('init-mismatch');

    const bagFolder = path.join(SMALL_SET, 'train', 'Bag');
    const png = path.join(bagFolder, fs.readdirSync(bagFolder)[0]);
    expect(
      refusalCode(() =>
        services.training.start(projectId, quickSettings({ initFrom: { kind: 'file', file: png } })),
      ),
    ).toBe('init-unreadable');
    expect(
      refusalCode(() =>
        services.training.start(
          projectId,
          quickSettings({ initFrom: { kind: 'file', file: 'relative.cnnmodel' } }),
        ),
      ),
    ).toBe('init-unreadable');
    // nothing was created by the refusals
    expect(services.runs.list(projectId)).toHaveLength(1);
  });
});
