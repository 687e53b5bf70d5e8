/**
 * English wording of training data for the CLI's human output: the services send codes and numbers, the CLI
 * words them (as the renderer does through its dictionaries).
 */
import type {
  EpochMetrics,
  TrainingFailure,
  TrainingFailureCode,
  TrainingSettings,
} from '../../app/domain/training';
import { TRAINING_FAILURES } from '../../app/domain/training';
import { AppFailure } from '../../app/ipc/result';

const FAILURE_TEXT: Record<TrainingFailureCode, string> = {
  'worker-error': 'the training code raised an error',
  'out-of-memory': 'a training worker ran out of memory',
  'worker-exit': 'a training worker exited unexpectedly',
  'too-few-classes':
    'fewer than two labels have training images (label more images, then "dataset split PROJECT")',
  'no-training-images':
    'no labeled images are in the train split (assign splits with "dataset split PROJECT")',
  'invalid-model': 'the model does not fit the project',
  checkpoint: 'the checkpoint could not be written or read',
  'init-unreadable': 'the trained model to start from cannot be read',
  'init-mismatch': 'the trained model to start from was made for other labels or another image size',
  'disk-full': 'the disk is full: free some space, then resume the run',
  'storage-read-only': 'the data folder is read-only: make it writable, then resume the run',
};

/** "a training worker ran out of memory (detail)". */
export function failureText(failure: TrainingFailure): string {
  const text = FAILURE_TEXT[failure.code] ?? failure.code;
  return failure.detail ? `${text} (${failure.detail})` : text;
}

/**
 * A refusal to start (an AppFailure whose details carry a TrainingFailureCode, with the service's English
 * message), prefixed for the terminal; the same error code.
 */
export function wordTrainingFailure(error: unknown): unknown {
  if (!(error instanceof AppFailure)) return error;
  const code = (error.details as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !(TRAINING_FAILURES as readonly string[]).includes(code)) return error;
  const prefix = code === 'invalid-model' ? `${FAILURE_TEXT['invalid-model']}: ` : '';
  return new AppFailure(error.code, `Cannot train: ${prefix}${error.message}`, error.details);
}

/** 0.8531 → "85.3 %"; null → "–". */
export const percent = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)} %`;

/** A number with `digits` decimals; null → "–". */
export const fixed = (v: number | null | undefined, digits: number): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);

/** 12345.6 → "12,346"; null → "–". */
export const count = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : Math.round(v).toLocaleString('en-US');

/** Columns padded to their widest cell; columns in `right` are right-aligned. */
export function table(header: string[], rows: string[][], right: number[] = []): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => (right.includes(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** One row per epoch: losses, accuracies, time. */
export function epochTable(epochs: EpochMetrics[]): string {
  return table(
    ['epoch', 'train loss', 'train acc', 'val loss', 'val acc', 'img/s', 'seconds'],
    epochs.map((e) => [
      String(e.epoch),
      fixed(e.trainLoss, 4),
      percent(e.trainAccuracy),
      fixed(e.valLoss, 4),
      percent(e.valAccuracy),
      count(e.imagesPerSecond),
      fixed(e.seconds, 1),
    ]),
    [0, 1, 2, 3, 4, 5, 6],
  );
}

/** The settings as "key: value" lines. */
export function settingsLines(s: TrainingSettings): string[] {
  const a = s.augmentation;
  const augmentation = [
    a.flip ? 'flip' : '',
    a.shift ? `shift ${a.shift}px` : '',
    a.brightness ? `brightness ±${a.brightness}` : '',
    a.contrast ? `contrast ±${a.contrast}` : '',
  ].filter(Boolean);
  const schedule =
    s.schedule === 'step'
      ? `step (×${s.stepGamma} every ${s.stepEvery} epochs)`
      : s.schedule === 'cosine' && s.minLearningRate
        ? `cosine to ${s.minLearningRate}`
        : s.schedule;
  return [
    `model: ${s.model.kind === 'preset' ? `preset ${s.model.preset}` : `custom, ${s.model.layers.length} layers + classifier`}`,
    `epochs: ${s.epochs}, batch ${s.batchSize}, seed ${s.seed}`,
    `optimizer: ${s.optimizer}${s.optimizer === 'sgd' ? ` (momentum ${s.momentum})` : ''}, learning rate ${s.learningRate}, weight decay ${s.weightDecay}`,
    `schedule: ${schedule}${s.warmupEpochs ? `, warm-up ${s.warmupEpochs} epochs` : ''}`,
    `early stopping: ${s.patience ? `patience ${s.patience}` : 'off'}`,
    `augmentation: ${augmentation.length ? augmentation.join(', ') : 'off'}`,
    `workers: ${s.workers ?? 'every core'}`,
  ];
}
