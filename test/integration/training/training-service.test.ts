/**
 * The training service end to end with real workers, kernels and SQLite: runs, exact resume from checkpoints
 * (mid-epoch and at an epoch boundary, both optimizer paths), queueing, early stopping, refusals, evaluation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainingProgress } from '../../../app/domain/training';
import type { Services } from '../../../main/services/services';
import type { TrainingService } from '../../../main/services/training/training-service';
import { makeTestServices } from '../../support/services';
import { finalWeights, projectWithImages, quickSettings } from './support';
import { createServices } from '../../../main/services/services';
import fs from 'node:fs';
import path from 'node:path';
import { presetSettings } from '../../../main/services/training/settings';
import { decodeRunCheckpoint, encodeRunCheckpoint } from '../../../native-workers/training/run-checkpoint';

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

/** A second Services over the same data folder: the app restarted. */
function reopen(dataDir: string): Services {
  const s = createServices(
    {
      dataDir,
      workersDir: path.resolve(__dirname, '../../../out/workers'),
      mediaBaseUrl: 'http://127.0.0.1:0/media',
      version: '0.0.0-test',
    },
    { emit: () => undefined },
  );
  cleanups.push(() => s.dispose());
  return s;
}

/** Waits for the first progress event that satisfies `when`. */
function progressWhere(s: Services, when: (p: TrainingProgress) => boolean): Promise<TrainingProgress> {
  return new Promise((resolve) => {
    const off = s.training.subscribe((e) => {
      if (e.kind === 'progress' && when(e.payload)) {
        off();
        resolve(e.payload);
      }
    });
  });
}

/** Resolves when the run's first epoch has ended (its checkpoint is written). */
function epochEnded(s: Services, runId: string): Promise<void> {
  return new Promise((resolve) => {
    const off = s.training.subscribe((e) => {
      if (e.kind === 'epoch' && e.payload.runId === runId) {
        off();
        resolve();
      }
    });
  });
}

describe('training service', () => {
  it('trains a run, records its epochs, predictions and model, and evaluates it', async () => {
    const { services, events } = setup();
    const projectId = await projectWithImages(services, 'fmnist');
    const run = services.training.start(projectId, quickSettings({ epochs: 2 }), 'first');
    expect(run.name).toBe('first');
    const { run: done, resumedFrom } = await services.training.waitFor(projectId, run.id);
    expect(resumedFrom).toBeNull();
    expect(done.status).toBe('completed');
    expect(done.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const e of done.epochs) {
      expect(Number.isFinite(e.trainLoss) && Number.isFinite(e.valLoss ?? NaN)).toBe(true);
      expect(e.imagesPerSecond).toBeGreaterThan(0);
    }
    expect(done.dataset).toMatchObject({ train: 400, val: 50, test: 50 });
    expect(done.isModel).toBe(true);
    const channels = new Set(events.map((e) => e[0]));
    expect([...channels]).toEqual(
      expect.arrayContaining(['training:progress', 'training:epoch', 'training:status']),
    );

    const report = await services.evaluation.evaluate(projectId, 'val');
    expect(report.count).toBe(50);
    expect(report.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(50);
    // the last epoch's validation accuracy is the same model on the same images
    expect(report.accuracy).toBeCloseTo(done.epochs[1].valAccuracy ?? -1, 10);

    // relabeling a validation image moves it in the confusion matrix (current labels)
    const wrong = await services.evaluation.predictions(projectId, {
      split: 'val',
      order: 'loss',
      onlyWrong: true,
      limit: 100,
    });
    expect(wrong.length).toBe(Math.round(50 * (1 - report.accuracy)));
    for (let i = 1; i < wrong.length; i++) expect(wrong[i - 1].loss!).toBeGreaterThanOrEqual(wrong[i].loss!);
    const fix = wrong[0];
    const labels = services.dataset.listLabels(projectId);
    const target = labels.find((l) => l.name === fix.predicted)!;
    services.dataset.assignLabel(projectId, [fix.imageId], target.id);
    const after = await services.evaluation.evaluate(projectId, 'val');
    expect(after.accuracy).toBeCloseTo(report.accuracy + 1 / 50, 10);

    // the Dataset grid's "misclassified" filter lists the same images the model gets wrong, in every split
    const page = services.dataset.listImages(projectId, {
      filter: { kind: 'misclassified' },
      sort: 'added',
      descending: false,
      offset: 0,
      limit: 1000,
    });
    let wrongEverywhere = 0;
    for (const split of ['train', 'val', 'test'] as const)
      wrongEverywhere += (
        await services.evaluation.predictions(projectId, {
          split,
          order: 'loss',
          onlyWrong: true,
          limit: 1000,
        })
      ).length;
    expect(page.total).toBe(wrongEverywhere);
  });

  it('an interrupted run resumes from a mid-epoch checkpoint to the same weights (Adam in the workers)', async () => {
    const { services, dataDir } = setup();
    const projectId = await projectWithImages(services, 'resume');
    // 50 batches per epoch, so a pause asked for when epoch 1 ends lands a few batches into epoch 2
    const settings = quickSettings({ epochs: 3, batchSize: 8 });
    const straight = services.training.start(projectId, settings);
    await services.training.waitFor(projectId, straight.id);

    const run = services.training.start(projectId, settings);
    await epochEnded(services, run.id);
    const paused = await services.training.pause(projectId, run.id);
    expect(paused.status).toBe('paused');
    const checkpoint = decodeRunCheckpoint(
      new Uint8Array(
        fs.readFileSync(path.join(dataDir, 'projects', projectId, 'runs', run.id, 'checkpoint.bin')),
      ),
    );
    expect(checkpoint.trainer.epoch).toBe(1);
    expect(checkpoint.trainer.batchIndex).toBeGreaterThan(0); // mid-epoch
    await services.dispose(); // the app closes while paused
    const again = reopen(dataDir);
    const interrupted = again.runs.show(projectId, run.id);
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.resumable).toBe(true);
    expect(again.training.resumable(projectId)?.id).toBe(run.id);
    again.training.resume(projectId, run.id);
    const { run: done, resumedFrom } = await again.training.waitFor(projectId, run.id);
    expect(done.status).toBe('completed');
    expect(resumedFrom).toEqual({ epoch: 1 });
    expect(done.epochs).toHaveLength(3);
    const a = finalWeights(dataDir, projectId, straight.id);
    const b = finalWeights(dataDir, projectId, run.id);
    expect(Buffer.from(b.params.buffer).equals(Buffer.from(a.params.buffer))).toBe(true);
    expect(Buffer.from(b.state.buffer).equals(Buffer.from(a.state.buffer))).toBe(true);
  });

  it('SGD with momentum, weight decay, a step schedule and augmentation resumes exactly too', async () => {
    const { services, dataDir } = setup();
    const projectId = await projectWithImages(services, 'sgd');
    const settings = quickSettings({
      epochs: 3,
      optimizer: 'sgd',
      learningRate: 0.05,
      momentum: 0.9,
      weightDecay: 1e-4,
      schedule: 'step',
      stepEvery: 1,
      stepGamma: 0.5,
      warmupEpochs: 0.5,
      augmentation: { flip: true, shift: 2, brightness: 0.1, contrast: 0.2 },
    });
    const straight = services.training.start(projectId, settings);
    await services.training.waitFor(projectId, straight.id);
    const run = services.training.start(projectId, settings);
    await epochEnded(services, run.id); // interrupt right after the first epoch's checkpoint
    await services.dispose();
    const again = reopen(dataDir);
    again.training.resume(projectId, run.id);
    const { run: done } = await again.training.waitFor(projectId, run.id);
    expect(done.status).toBe('completed');
    const a = finalWeights(dataDir, projectId, straight.id);
    const b = finalWeights(dataDir, projectId, run.id);
    expect(Buffer.from(b.params.buffer).equals(Buffer.from(a.params.buffer))).toBe(true);
  });

  it('the medium recipe (AdamW, decay mask, clipping, cosine with warm-up; optimizer in the workers) resumes exactly, also from a checkpoint with its moments in the Trainer state', async () => {
    const { services, dataDir } = setup();
    const projectId = await projectWithImages(services, 'adamw');
    const settings = { ...presetSettings('medium', 7), epochs: 2, workers: 2 };
    expect(settings.optimizer).toBe('adamw');
    const straight = services.training.start(projectId, settings);
    await services.training.waitFor(projectId, straight.id);
    const expected = finalWeights(dataDir, projectId, straight.id);
    const checkpointFile = (runId: string) =>
      path.join(dataDir, 'projects', projectId, 'runs', runId, 'checkpoint.bin');

    let s = services;
    // as written, and rewritten the way a run whose optimizer stepped on the Trainer left it (before AdamW moved
    // into the workers): moments and step in the Trainer's optimizer state, none in the workers'
    for (const legacy of [false, true]) {
      const run = s.training.start(projectId, settings);
      await epochEnded(s, run.id);
      await s.dispose();
      const cp = decodeRunCheckpoint(new Uint8Array(fs.readFileSync(checkpointFile(run.id))));
      expect(cp.dataParallel.stepT).toBeGreaterThan(0); // the workers took the steps
      expect(cp.trainer.optimizer.step).toBe(0);
      if (legacy) {
        const { adamM, adamV, stepT } = cp.dataParallel;
        cp.trainer.optimizer = { type: 'adamw', step: stepT, buffers: { m: adamM, v: adamV } };
        const zeros = new Float32Array(adamM.length);
        cp.dataParallel = { ...cp.dataParallel, stepT: 0, adamM: zeros, adamV: zeros };
        fs.writeFileSync(checkpointFile(run.id), encodeRunCheckpoint(cp));
      }
      s = reopen(dataDir);
      s.training.resume(projectId, run.id);
      const { run: done } = await s.training.waitFor(projectId, run.id);
      expect(done.status).toBe('completed');
      const got = finalWeights(dataDir, projectId, run.id);
      expect(
        Buffer.from(got.params.buffer).equals(Buffer.from(expected.params.buffer)),
        `legacy ${legacy}`,
      ).toBe(true);
      expect(Buffer.from(got.state.buffer).equals(Buffer.from(expected.state.buffer))).toBe(true);
    }
  });

  it('queues runs of other projects, refuses a second run of the same project, and stops', async () => {
    const { services } = setup();
    const p1 = await projectWithImages(services, 'one');
    const p2 = await projectWithImages(services, 'two');
    const r1 = services.training.start(p1, quickSettings({ epochs: 2 }));
    expect(r1.status).toBe('running');
    expect(() => services.training.start(p1, quickSettings())).toThrow(/stop it first/);
    const r2 = services.training.start(p2, quickSettings({ epochs: 2 }));
    expect(r2.status).toBe('queued');
    expect(services.training.status(p2).queuePosition).toBe(1);
    const [d1, d2] = await Promise.all([
      services.training.waitFor(p1, r1.id),
      services.training.waitFor(p2, r2.id),
    ]);
    expect(d1.run.status).toBe('completed');
    expect(d2.run.status).toBe('completed');
    expect(new Date(d2.run.startedAt!).getTime()).toBeGreaterThanOrEqual(
      new Date(d1.run.finishedAt!).getTime() - 5,
    );

    const long = services.training.start(p1, quickSettings({ epochs: 50 }));
    await progressWhere(services, (p) => p.runId === long.id);
    const stopped = await services.training.stop(p1, long.id);
    expect(stopped.status).toBe('stopped');
    expect(stopped.epochsDone).toBeLessThan(50);
    // a stopped run keeps its weights: it can be picked as the model, but the newest completed run stays the default
    expect(services.runs.modelRun(p1)?.id).toBe(r1.id);
    expect(services.runs.use(p1, long.id)?.id).toBe(long.id);
    expect(services.runs.use(p1, null)?.id).toBe(r1.id);
  });

  it('early stopping keeps the best epoch weights', async () => {
    const { services, dataDir } = setup();
    const projectId = await projectWithImages(services, 'early');
    // validation labels that contradict the training labels: the better the fit, the worse the validation loss
    const labels = services.dataset.listLabels(projectId);
    const val = services.dataset.listImages(projectId, {
      filter: { kind: 'split', split: 'val' },
      sort: 'added',
      descending: false,
      offset: 0,
      limit: 100,
    }).items;
    for (const [i, img] of val.entries()) {
      const own = labels.findIndex((l) => l.id === img.labelId);
      services.dataset.assignLabel(projectId, [img.id], labels[(own + 1 + (i % 3)) % labels.length].id);
    }
    const run = services.training.start(
      projectId,
      quickSettings({ epochs: 20, patience: 2, learningRate: 3e-3 }),
    );
    const { run: done } = await services.training.waitFor(projectId, run.id);
    expect(done.status).toBe('completed');
    expect(done.epochsDone).toBeLessThan(20);
    const best = done.epochs.reduce((a, b) => ((b.valLoss ?? Infinity) < (a.valLoss ?? Infinity) ? b : a));
    expect(done.bestEpoch).toBe(best.epoch);
    expect(done.epochsDone).toBe(best.epoch + 2);
    expect(done.finalValAccuracy).toBe(best.valAccuracy);
    const kept = finalWeights(dataDir, projectId, run.id);
    const bestFile = finalWeights(dataDir, projectId, run.id, 'best.model');
    expect(Buffer.from(kept.params.buffer).equals(Buffer.from(bestFile.params.buffer))).toBe(true);
  });

  it('refuses runs that cannot train, with a code the UI words', async () => {
    const { services } = setup();
    const empty = services.projects.create({ name: 'empty', inputSize: 28, color: 'gray' });
    expect(() => services.training.start(empty.id, quickSettings())).toThrow(
      expect.objectContaining({ code: 'invalid-payload', details: { code: 'no-training-images' } }),
    );
    const one = services.projects.create({ name: 'one class', inputSize: 28, color: 'gray' });
    await services.dataset.importAndWait(one.id, {
      paths: [path.join(__dirname, '../../../../shared/datasets/fashion-mnist-small/train/Bag')],
      label: 'Bag',
    });
    expect(() => services.training.start(one.id, quickSettings())).toThrow(
      expect.objectContaining({ details: { code: 'too-few-classes' } }),
    );
    const projectId = await projectWithImages(services, 'bad model');
    expect(() =>
      services.training.start(
        projectId,
        quickSettings({ model: { kind: 'custom', layers: [{ type: 'maxPool2d', size: 64 }] } }),
      ),
    ).toThrow(expect.objectContaining({ details: { code: 'invalid-model' } }));
    expect(services.runs.list(projectId)).toEqual([]);
  });
});

describe('worker failures', () => {
  for (const [kind, code] of [
    ['throw', 'worker-error'],
    ['oom', 'out-of-memory'],
    ['exit', 'worker-exit'],
  ] as const) {
    it(`a worker that ${kind === 'throw' ? 'throws' : kind === 'oom' ? 'runs out of memory' : 'exits'} fails the run with ${code}; the app keeps working`, async () => {
      const { services } = setup();
      const training = services.training as TrainingService;
      const projectId = await projectWithImages(services, `fail-${kind}`);
      training.configureForTests({
        fault: { kind, afterSteps: 3 },
        maxOldGenerationSizeMb: kind === 'oom' ? 96 : undefined,
      });
      const run = training.start(projectId, quickSettings({ epochs: 2 }));
      const { run: failed } = await training.waitFor(projectId, run.id);
      expect(failed.status).toBe('failed');
      expect(failed.failure?.code).toBe(code);
      expect(failed.isModel).toBe(false);
      expect(training.status(projectId).active).toBeNull();
      // the database is consistent and the next run trains
      training.configureForTests({});
      const next = training.start(projectId, quickSettings({ epochs: 1 }));
      expect((await training.waitFor(projectId, next.id)).run.status).toBe('completed');
      expect(services.runs.list(projectId).map((r) => r.status)).toEqual(['completed', 'failed']);
    });
  }
});
