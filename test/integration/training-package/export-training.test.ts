/**
 * The training package on a real project (the small Fashion-MNIST set imported as class folders): every source
 * kind, the dataset exactly as a run would train on it (manifest rows, copied files and their hashes, the cached
 * tensors), training.json's recipe, model.py compiling, and the refusals that leave nothing behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { TrainingSettings } from '../../../app/domain/training';
import type {
  TrainingPackageFile,
  TrainingPackageProgress,
  TrainingPackageResult,
  TrainingPackageSource,
} from '../../../app/domain/training-package';
import { AppFailure } from '../../../app/ipc/result';
import type { Services } from '../../../main/services/services';
import { inputSpecFor } from '../../../main/services/model-description';
import { takeSnapshot } from '../../../main/services/training/dataset-snapshot';
import { presetSettings, specFor } from '../../../main/services/training/settings';
import type { TrainingService } from '../../../main/services/training/training-service';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { makeTestServices } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { projectWithImages } from '../training/support';

const SPLITS = ['train', 'val', 'test'] as const;
const hasPython = spawnSync('python3', ['--version']).status === 0;

let t: ReturnType<typeof makeTestServices>;
let s: Services;
let projectId: string;
let out: { dir: string; cleanup: () => void };
let runId: string;
let runSnapshot: { imageId: number; classIndex: number; split: (typeof SPLITS)[number] }[];
let runClassNames: string[];
const runSettings: TrainingSettings = {
  ...presetSettings('small', 11),
  epochs: 1,
  batchSize: 48,
  warmupEpochs: 0.5,
  patience: 2,
  optimizer: 'sgd',
  momentum: 0.85,
  schedule: 'step',
  stepEvery: 3,
  stepGamma: 0.5,
  augmentation: { flip: true, shift: 2, brightness: 0, contrast: 0.1 },
  workers: 2,
};

const db = () => s.projects.db(projectId);
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const dirOf = (name: string) => path.join(out.dir, name);

async function exportPackage(
  name: string,
  source: TrainingPackageSource,
  progress?: TrainingPackageProgress['stage'][],
): Promise<{ result: TrainingPackageResult; file: TrainingPackageFile; dir: string }> {
  const dir = dirOf(name);
  const result = await s.trainingPackage.export(projectId, {
    source,
    outDir: dir,
    ...(progress ? { onProgress: (p) => progress.push(p.stage) } : {}),
  });
  const file = JSON.parse(fs.readFileSync(path.join(dir, 'training.json'), 'utf8')) as TrainingPackageFile;
  return { result, file, dir };
}

async function failure(promise: Promise<unknown>): Promise<AppFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppFailure);
  return error as AppFailure;
}

/** Checks the dataset folder against the images and classes expected (snapshot order). */
function checkDataset(
  dir: string,
  images: { imageId: number; classIndex: number; split: string }[],
  classNames: string[],
): void {
  const lines = fs.readFileSync(path.join(dir, 'dataset', 'manifest.csv'), 'utf8').split('\n');
  expect(lines[0]).toBe('file,label,split,sha256');
  expect(lines.at(-1)).toBe('');
  const rows = lines.slice(1, -1).map((l) => l.split(','));
  expect(rows).toHaveLength(images.length);
  const byId = db().prepare('SELECT sha256, ext FROM images WHERE id = ?');
  const tensorOf = db().prepare('SELECT pixels FROM image_tensors WHERE image_id = ?').pluck();
  const plane = 28 * 28;
  const tensors = fs.readFileSync(path.join(dir, 'dataset', 'tensors.u8'));
  expect(tensors.length).toBe(images.length * plane);
  const projectDir = s.projects.projectDir(projectId);
  images.forEach((img, i) => {
    const [file, label, split, hash] = rows[i];
    const stored = byId.get(img.imageId) as { sha256: string; ext: string };
    expect(label).toBe(classNames[img.classIndex]);
    expect(split).toBe(img.split);
    expect(hash).toBe(stored.sha256);
    expect(file.startsWith(`${img.split}/${label}/`)).toBe(true);
    const copied = fs.readFileSync(path.join(dir, 'dataset', ...file.split('/')));
    expect(sha(copied)).toBe(hash);
    const blob = fs.readFileSync(path.join(projectDir, 'blobs', hash.slice(0, 2), `${hash}.${stored.ext}`));
    expect(copied.equals(blob)).toBe(true);
    const pixels = tensorOf.get(img.imageId) as Buffer;
    expect(tensors.subarray(i * plane, (i + 1) * plane).equals(pixels)).toBe(true);
  });
  // no other image files than the manifest's
  const copiedFiles = (fs.readdirSync(path.join(dir, 'dataset'), { recursive: true }) as string[])
    .filter((f) => SPLITS.some((sp) => f.startsWith(sp + path.sep)))
    .filter((f) => fs.statSync(path.join(dir, 'dataset', f)).isFile());
  expect(copiedFiles).toHaveLength(images.length);
}

/** Checks training.json's fields that do not depend on the source. */
function checkFile(
  file: TrainingPackageFile,
  result: TrainingPackageResult,
  dir: string,
  expected: {
    classNames: string[];
    settings: TrainingSettings;
    spec: ModelSpec;
    counts: Record<string, number>;
  },
): void {
  expect(file.format).toBe('cnn-studio-training-package');
  expect(file.version).toBe(1);
  expect(file.appVersion).toBe('0.0.0-test');
  expect(Number.isNaN(Date.parse(file.createdAt))).toBe(false);
  expect(file.project).toEqual({ id: projectId, name: 'Fashion' });
  expect(file.classNames).toEqual(expected.classNames);
  expect(file.settings).toEqual(expected.settings);
  expect(file.spec).toEqual(expected.spec);
  expect(file.spec.numClasses).toBe(expected.classNames.length);
  expect(file.dataset).toEqual({
    manifest: 'dataset/manifest.csv',
    tensors: 'dataset/tensors.u8',
    input: { height: 28, width: 28, channels: 1 },
    counts: expected.counts,
  });
  // the recipe, worked out here from the settings the way the trainer counts batches
  const st = expected.settings;
  const batch = Math.min(st.batchSize, expected.counts.train);
  const perEpoch = Math.ceil(expected.counts.train / batch);
  expect(file.training.epochs).toBe(st.epochs);
  expect(file.training.batchSize).toBe(batch);
  expect(file.training.learningRate).toBe(st.learningRate);
  expect(file.training.seed).toBe(st.seed);
  expect(file.training.patience).toBe(st.patience);
  expect(file.training.warmupSteps).toBe(Math.round(st.warmupEpochs * perEpoch));
  expect(file.training.optimizer.type).toBe(st.optimizer);
  expect(file.training.optimizer.weightDecay).toBe(st.weightDecay);
  expect(file.training.schedule.type).toBe(st.schedule);

  expect(result.dir).toBe(dir);
  expect(result.classNames).toEqual(expected.classNames);
  expect(result.counts).toEqual(expected.counts);
  expect(result.command).toBe('python3 train.py');
  expect(result.totalParams).toBeGreaterThan(0);
  const top = fs.readdirSync(dir).sort();
  expect(top).toEqual(
    [
      'README.md',
      'cnnstudio_package.py',
      'dataset',
      'model.py',
      'requirements.txt',
      'train.py',
      'training.json',
    ].sort(),
  );
  for (const f of result.files.filter((f) => !f.endsWith('…')))
    expect(fs.existsSync(path.join(dir, f))).toBe(true);
  let bytes = 0;
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const st2 = fs.statSync(path.join(dir, f));
    if (st2.isFile()) bytes += st2.size;
  }
  expect(result.bytes).toBe(bytes);
  // the static files are copies of the shipped ones
  for (const f of ['train.py', 'cnnstudio_package.py', 'requirements.txt']) {
    const shipped = path.resolve(__dirname, '../../../main/services/training-package/python', f);
    expect(fs.readFileSync(path.join(dir, f), 'utf8')).toBe(fs.readFileSync(shipped, 'utf8'));
  }
}

function countsOf(images: { split: string }[]): Record<string, number> {
  return Object.fromEntries(SPLITS.map((sp) => [sp, images.filter((i) => i.split === sp).length]));
}

beforeAll(async () => {
  t = makeTestServices();
  s = t.services;
  out = makeTempDir('cnn-training-package-');
  projectId = await projectWithImages(s, 'Fashion');
  const run = s.training.start(projectId, runSettings, 'first');
  runId = run.id;
  const outcome = await s.training.waitFor(projectId, runId);
  expect(outcome.run.status).toBe('completed');
  const snap = takeSnapshot(db());
  runSnapshot = snap.images;
  runClassNames = snap.classNames;
  // after the run, the dataset changes: a package of the run keeps the run's images, the others follow the change
  const moved = snap.images
    .filter((i) => i.split === 'train')
    .slice(0, 5)
    .map((i) => i.imageId);
  s.dataset.setSplit(projectId, moved, 'test');
  const removed = snap.images.filter((i) => i.split === 'val')[0].imageId;
  s.dataset.removeImages(projectId, [removed]);
  // a label with only a test image: left out of what a run started now would train
  const unseen = s.dataset.createLabel(projectId, 'Unseen');
  s.dataset.assignLabel(projectId, [snap.images.filter((i) => i.split === 'test')[0].imageId], unseen.id);
}, 300_000);

afterAll(async () => {
  await t?.cleanup();
  out?.cleanup();
});

describe('export-training', () => {
  it('the current settings: the images a run started now would train on, and model.py compiles', async () => {
    const stages: TrainingPackageProgress['stage'][] = [];
    const { result, file, dir } = await exportPackage('settings', { kind: 'settings' }, stages);
    const now = takeSnapshot(db());
    const settings = s.training.defaults(projectId).settings;
    expect(file.source).toEqual({ kind: 'settings' });
    expect(now.leftOutLabels).toEqual(['Unseen']);
    expect(result.leftOutLabels).toEqual(['Unseen']);
    expect(now.images.length).toBe(runSnapshot.length - 2); // the removed one, the one of Unseen
    expect(file.modelName).toBe('small');
    checkDataset(dir, now.images, now.classNames);
    checkFile(file, result, dir, {
      classNames: now.classNames,
      settings,
      spec: specFor(settings.model, inputSpecFor(28, 'gray'), now.classNames.length),
      counts: countsOf(now.images),
    });
    expect(stages[0]).toBe('dataset');
    expect(stages.at(-1)).toBe('done');
    expect(stages).toContain('files');
    if (!hasPython) {
      console.warn('skipped: python3 is not installed, model.py not compiled');
      return;
    }
    execFileSync('python3', ['-m', 'py_compile', path.join(dir, 'model.py'), path.join(dir, 'train.py')]);
  });

  it("--run: the run's own images, classes, network and settings (by name or id)", async () => {
    const run = s.runs.show(projectId, runId);
    const byName = await exportPackage('run', { kind: 'run', runId: 'first' });
    const byId = await exportPackage('run-id', { kind: 'run', runId });
    for (const { result, file, dir } of [byName, byId]) {
      expect(file.source).toEqual({ kind: 'run', runId, runName: 'first' });
      expect(result.leftOutLabels).toEqual([]);
      expect(file.modelName).toBe('small');
      checkDataset(dir, runSnapshot, runClassNames);
      checkFile(file, result, dir, {
        classNames: runClassNames,
        settings: runSettings,
        spec: (s.training as TrainingService).repo(projectId).get(runId).spec,
        counts: countsOf(runSnapshot),
      });
      expect(file.training.optimizer).toEqual({
        type: 'sgd',
        momentum: 0.85,
        weightDecay: runSettings.weightDecay,
      });
      expect(file.training.schedule).toEqual({ type: 'step', everyEpochs: 3, gamma: 0.5 });
      expect(file.training.augmentation).toEqual({ flipHorizontal: true, maxShift: 2, contrast: 0.1 });
      expect(file.training.warmupSteps).toBeGreaterThan(0);
    }
    expect(run.name).toBe('first');
    const missing = await failure(exportPackage('no-run', { kind: 'run', runId: 'no such run' }));
    expect(missing.details).toMatchObject({ code: 'run-missing' });
    expect(fs.existsSync(dirOf('no-run'))).toBe(false);
  });

  it("--preset: the preset's network and recipe for the project's input and classes", async () => {
    const { result, file, dir } = await exportPackage('preset', { kind: 'preset', preset: 'medium' });
    const now = takeSnapshot(db());
    const trainImages = now.images.filter((i) => i.split === 'train').length;
    expect(file.source).toEqual({ kind: 'preset', preset: 'medium' });
    expect(file.modelName).toBe('medium');
    checkDataset(dir, now.images, now.classNames);
    checkFile(file, result, dir, {
      classNames: now.classNames,
      settings: presetSettings('medium', 1, trainImages),
      spec: presetSpec('medium', inputSpecFor(28, 'gray'), now.classNames.length),
      counts: countsOf(now.images),
    });
    expect(file.training.clipGradNorm).toBe(5);
    expect(file.training.schedule).toEqual({ type: 'cosine', minLr: 1e-5 });
    // 200 steps of the recipe, through the settings' epochs (rounded to 1/1000 epoch)
    expect(Math.abs(file.training.warmupSteps - 200)).toBeLessThanOrEqual(1);
  });

  it('--spec: a whole spec that fits, or bare layers with the classifier added; one that does not fit is refused', async () => {
    const now = takeSnapshot(db());
    const n = now.classNames.length;
    const input = inputSpecFor(28, 'gray');
    const whole: ModelSpec = {
      input,
      layers: [
        { type: 'conv2d', filters: 6, kernelSize: 4, stride: 2, padding: 'same' },
        { type: 'batchNorm' },
        { type: 'relu' },
        { type: 'globalAvgPool' },
        { type: 'dense', units: n },
      ],
      numClasses: n,
    };
    const a = await exportPackage('spec', { kind: 'spec', spec: whole });
    expect(a.file.source).toEqual({ kind: 'spec' });
    expect(a.file.modelName).toBe('custom');
    expect(a.file.spec).toEqual(whole);
    expect(a.file.settings.model).toEqual({ kind: 'custom', layers: whole.layers.slice(0, -1) });
    expect(a.file.training.clipGradNorm).toBeNull();
    checkDataset(a.dir, now.images, now.classNames);

    const layers = whole.layers.slice(0, -1);
    const b = await exportPackage('layers', { kind: 'spec', spec: { layers } });
    expect(b.file.spec).toEqual(whole);

    const wrongClasses = await failure(
      exportPackage('spec-classes', {
        kind: 'spec',
        spec: { ...whole, numClasses: n + 1, layers: [...layers, { type: 'dense', units: n + 1 }] },
      }),
    );
    expect(wrongClasses.details).toEqual({ code: 'spec-mismatch' });
    expect(wrongClasses.message).toContain(`project trains ${n}`);
    const wrongInput = await failure(
      exportPackage('spec-input', {
        kind: 'spec',
        spec: { ...whole, input: { height: 32, width: 32, channels: 3 } },
      }),
    );
    expect(wrongInput.details).toEqual({ code: 'spec-mismatch' });
    expect(fs.existsSync(dirOf('spec-classes'))).toBe(false);
    expect(fs.existsSync(dirOf('spec-input'))).toBe(false);
  });

  it('refuses a folder that is not empty and leaves it as it was', async () => {
    const dir = dirOf('busy');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const e = await failure(exportPackage('busy', { kind: 'settings' }));
    expect(e.details).toEqual({ code: 'dir-not-empty', dir });
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('a failure after the dataset was written leaves nothing', async () => {
    const dir = dirOf('injected');
    await expect(
      s.trainingPackage.export(projectId, {
        source: { kind: 'settings' },
        outDir: dir,
        failAfterDataset: true,
      }),
    ).rejects.toThrow('injected failure');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('a crafted row (bad sha256) or a wrongly sized tensor fails clearly and leaves nothing', async () => {
    const victim = takeSnapshot(db()).images.at(-1)!.imageId;
    const original = db().prepare('SELECT sha256 FROM images WHERE id = ?').pluck().get(victim) as string;
    const pixels = db()
      .prepare('SELECT pixels FROM image_tensors WHERE image_id = ?')
      .pluck()
      .get(victim) as Buffer;
    const empty = dirOf('crafted');
    fs.mkdirSync(empty);
    try {
      db()
        .prepare('UPDATE images SET sha256 = ? WHERE id = ?')
        .run(`../../${'a'.repeat(58)}`, victim);
      const bad = await failure(exportPackage('crafted', { kind: 'settings' }));
      expect(bad.details).toMatchObject({ code: 'stored-path-invalid', field: 'sha256', imageId: victim });
      expect(fs.readdirSync(empty)).toEqual([]);
      db().prepare('UPDATE images SET sha256 = ? WHERE id = ?').run(original, victim);

      db().prepare('UPDATE image_tensors SET pixels = ? WHERE image_id = ?').run(Buffer.alloc(10), victim);
      const short = await failure(exportPackage('crafted', { kind: 'settings' }));
      expect(short.details).toEqual({ code: 'tensor-missing', imageId: victim });
      expect(short.message).toContain('1×28×28');
      expect(fs.readdirSync(empty)).toEqual([]);
    } finally {
      db().prepare('UPDATE images SET sha256 = ? WHERE id = ?').run(original, victim);
      db().prepare('UPDATE image_tensors SET pixels = ? WHERE image_id = ?').run(pixels, victim);
    }
  });
});
