/**
 * A training package's `metrics.jsonl` (written by train.py beside the model): one EpochMetrics object per line.
 * Optional figures may be missing (0 or null then); every number present is checked. A resumed training may
 * append an epoch again: the later line wins. The epochs must then run 1..n.
 */
import fs from 'node:fs';
import type { EpochMetrics } from '../../../app/domain/training';
import { AppFailure } from '../../../app/ipc/result';

export const METRICS_FILE = 'metrics.jsonl';

function badLine(file: string, line: number, reason: string): AppFailure {
  return new AppFailure('invalid-payload', `${file}, line ${line}: ${reason}.`, {
    code: 'import-model-bad-metrics',
    file,
    line,
    reason,
  });
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Reads and checks the log; throws `import-model-bad-metrics` naming the line. */
export function readMetricsLog(file: string): EpochMetrics[] {
  const byEpoch = new Map<number, EpochMetrics>();
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((text, i) => {
    const line = i + 1;
    if (!text.trim()) return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw badLine(file, line, 'not a JSON object');
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw badLine(file, line, 'not a JSON object');
    const num = (key: string, fallback: number | null, check: (v: number) => boolean, what: string) => {
      const v = row[key];
      if (v === undefined || v === null) {
        if (fallback === null && key !== 'valLoss' && key !== 'valAccuracy')
          throw badLine(file, line, `no ${key}`);
        return fallback;
      }
      if (!finite(v) || !check(v))
        throw badLine(file, line, `${key} must be ${what} (it is ${JSON.stringify(v)})`);
      return v;
    };
    const epoch = num('epoch', null, (v) => Number.isInteger(v) && v >= 1, 'a whole number from 1') as number;
    const nonNegative = (v: number) => v >= 0;
    const fraction = (v: number) => v >= 0 && v <= 1;
    byEpoch.set(epoch, {
      epoch,
      trainLoss: num('trainLoss', null, nonNegative, 'a number ≥ 0') as number,
      trainAccuracy: num('trainAccuracy', 0, fraction, 'between 0 and 1') as number,
      valLoss: num('valLoss', null, nonNegative, 'a number ≥ 0 or null'),
      valAccuracy: num('valAccuracy', null, fraction, 'between 0 and 1 or null'),
      seconds: num('seconds', 0, nonNegative, 'a number ≥ 0') as number,
      imagesPerSecond: num('imagesPerSecond', 0, nonNegative, 'a number ≥ 0') as number,
      learningRate: num('learningRate', 0, nonNegative, 'a number ≥ 0') as number,
    });
  });
  const epochs = [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
  epochs.forEach((e, i) => {
    if (e.epoch !== i + 1)
      throw new AppFailure(
        'invalid-payload',
        `${file}: epoch ${i + 1} is missing (the log jumps to ${e.epoch}).`,
        {
          code: 'import-model-bad-metrics',
          file,
          line: null,
          reason: `epoch ${i + 1} is missing`,
        },
      );
  });
  return epochs;
}

/** The epoch with the lowest validation loss (the first of equals), else the last one; null without epochs. */
export function bestEpochOf(epochs: EpochMetrics[]): number | null {
  let best: EpochMetrics | null = null;
  for (const e of epochs)
    if (e.valLoss !== null && (best === null || best.valLoss === null || e.valLoss < best.valLoss)) best = e;
  return best?.epoch ?? (epochs.length ? epochs[epochs.length - 1].epoch : null);
}
