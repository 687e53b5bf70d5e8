/**
 * train.py's recipe pieces (cnnstudio_package.py) against the CNN core's: the learning-rate schedule (warm-up,
 * constant, step, cosine with minLr), the augmentation of one image given the same random draws (flip, shift with
 * zero fill, brightness, contrast) and global-norm gradient clipping. Needs python3-torch (skipped without it).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AugmentationConfig, LrScheduleConfig } from '../../../app/domain/model-spec';
import { clipGradNorm } from '../../../native-workers/cnn/optim/clip';
import { learningRateAt } from '../../../native-workers/cnn/optim/schedule';
import type { Rng } from '../../../native-workers/cnn/rng';
import { augmentBatch } from '../../../native-workers/cnn/train/augment';
import { makeTempDir } from '../../support/temp-dir';
import { findPython } from '../../unit/export/find-python';

const probe = findPython(['torch', 'numpy']);
if (probe.reason) console.info(`train.py recipe tests skipped: ${probe.reason} (python3-torch missing).`);
const PYTHON_DIR = path.join(__dirname, '../../../main/services/training-package/python');

const schedules: { learningRate: number; schedule: LrScheduleConfig; warmupSteps: number }[] = [
  { learningRate: 0.01, schedule: { type: 'constant' }, warmupSteps: 0 },
  { learningRate: 0.01, schedule: { type: 'constant' }, warmupSteps: 5 },
  { learningRate: 0.1, schedule: { type: 'step', everyEpochs: 2, gamma: 0.5 }, warmupSteps: 3 },
  { learningRate: 0.001, schedule: { type: 'cosine' }, warmupSteps: 0 },
  { learningRate: 0.001, schedule: { type: 'cosine', minLr: 1e-5 }, warmupSteps: 4 },
];
const STEPS_PER_EPOCH = 7;
const TOTAL_STEPS = 42;
const steps = Array.from({ length: TOTAL_STEPS + 2 }, (_, i) => i);

const SHAPE = { channels: 3, height: 5, width: 6 };
const augments: { config: AugmentationConfig; uniform: number[]; int: number[] }[] = [
  { config: { flipHorizontal: true }, uniform: [0.2], int: [] },
  { config: { flipHorizontal: true }, uniform: [0.7], int: [] },
  { config: { maxShift: 2 }, uniform: [], int: [4, 0] }, // dy +2, dx −2
  { config: { flipHorizontal: true, maxShift: 1 }, uniform: [0.1], int: [0, 2] }, // flip, dy −1, dx +1
  { config: { maxShift: 7 }, uniform: [], int: [14, 3] }, // dy +7: past the image, all zeros
  { config: { brightness: 0.2, contrast: 0.3 }, uniform: [0.9, 0.15], int: [] },
  {
    config: { flipHorizontal: true, maxShift: 3, brightness: 0.1, contrast: 0.5 },
    uniform: [0.4, 0.3, 0.8],
    int: [1, 5],
  },
];
const clips = [
  { grads: [3, 4, 0, 0], maxNorm: 1 },
  { grads: [0.1, -0.2, 0.05], maxNorm: 5 },
  { grads: [0, 0, 0], maxNorm: 1 },
];

function imageFor(i: number): number[] {
  const n = SHAPE.channels * SHAPE.height * SHAPE.width;
  return Array.from({ length: n }, (_, k) => Math.fround(((k * 37 + i * 11) % 29) / 29));
}

/** A generator that returns the given draws, for both sides. */
function draws(uniform: number[], int: number[]): Rng {
  const u = [...uniform];
  const ints = [...int];
  return {
    uniform: () => u.shift()!,
    int: (n: number) => {
      const v = ints.shift()!;
      if (!(v >= 0 && v < n)) throw new Error(`draw ${v} not in [0, ${n})`);
      return v;
    },
  } as unknown as Rng;
}

interface DriverResult {
  rates: number[][];
  images: number[][];
  clips: { norm: number; grads: number[] }[];
}

describe.skipIf(!probe.python)("train.py's recipe pieces match the core's", () => {
  const tmp = makeTempDir('cnn-train-recipe-');
  afterAll(() => tmp.cleanup());
  let result: DriverResult | null = null;
  const run = (): DriverResult => {
    if (result) return result;
    const job = {
      schedules: schedules.map((config) => ({
        config,
        steps,
        stepsPerEpoch: STEPS_PER_EPOCH,
        totalSteps: TOTAL_STEPS,
      })),
      augments: augments.map((a, i) => ({
        config: a.config,
        shape: [SHAPE.channels, SHAPE.height, SHAPE.width],
        image: imageFor(i),
        draws: { uniform: a.uniform, int: a.int },
      })),
      clips,
    };
    const file = path.join(tmp.dir, 'job.json');
    fs.writeFileSync(file, JSON.stringify(job));
    const out = execFileSync(
      probe.python!,
      [path.join(__dirname, 'train-py-recipe-driver.py'), PYTHON_DIR, file],
      { encoding: 'utf8' },
    );
    result = JSON.parse(out.trim().split('\n').pop()!) as DriverResult;
    return result;
  };

  it.each(schedules.map((s, i) => [JSON.stringify(s), i] as const))(
    'learning rate of every step: %s',
    (_n, i) => {
      const ours = steps.map((step) => learningRateAt(schedules[i], step, STEPS_PER_EPOCH, TOTAL_STEPS));
      const theirs = run().rates[i];
      theirs.forEach((r, k) => expect(r).toBeCloseTo(ours[k], 12));
    },
  );

  it.each(augments.map((a, i) => [JSON.stringify(a.config), i] as const))(
    'augmentation of one image with the same draws: %s',
    (_n, i) => {
      const a = augments[i];
      const x = Float32Array.from(imageFor(i));
      augmentBatch(x, 1, SHAPE, a.config, draws(a.uniform, a.int));
      const theirs = run().images[i];
      expect(theirs.length).toBe(x.length);
      theirs.forEach((v, k) => expect(v).toBeCloseTo(x[k], 5));
    },
  );

  it.each(clips.map((c, i) => [JSON.stringify(c), i] as const))('global-norm clipping: %s', (_n, i) => {
    const g = Float32Array.from(clips[i].grads);
    const norm = clipGradNorm(g, clips[i].maxNorm);
    const theirs = run().clips[i];
    expect(theirs.norm).toBeCloseTo(norm, 6);
    theirs.grads.forEach((v, k) => expect(v).toBeCloseTo(g[k], 6));
  });
});
