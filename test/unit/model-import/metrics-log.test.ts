/** metrics.jsonl: optional fields default, numbers are checked, bad lines are named, a resumed epoch replaces. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bestEpochOf, readMetricsLog } from '../../../main/services/model-import/metrics-log';
import { makeTempDir } from '../../support/temp-dir';

const temp = makeTempDir('metrics-log-');
afterAll(() => temp.cleanup());
let n = 0;
const log = (...lines: string[]) => {
  const file = path.join(temp.dir, `m${n++}.jsonl`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
};
const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('readMetricsLog', () => {
  it('fills missing optional figures and keeps a later line of the same epoch (a resumed training)', () => {
    const epochs = readMetricsLog(
      log(
        '{"epoch":1,"trainLoss":2,"valLoss":1.5}',
        '',
        '{"epoch":2,"trainLoss":1}',
        '{"epoch":2,"trainLoss":0.9,"valLoss":1.2,"valAccuracy":0.6}',
      ),
    );
    expect(epochs).toEqual([
      {
        epoch: 1,
        trainLoss: 2,
        trainAccuracy: 0,
        valLoss: 1.5,
        valAccuracy: null,
        seconds: 0,
        imagesPerSecond: 0,
        learningRate: 0,
      },
      {
        epoch: 2,
        trainLoss: 0.9,
        trainAccuracy: 0,
        valLoss: 1.2,
        valAccuracy: 0.6,
        seconds: 0,
        imagesPerSecond: 0,
        learningRate: 0,
      },
    ]);
    expect(bestEpochOf(epochs)).toBe(2);
  });

  it('names the line of a bad row', () => {
    expect(message(() => readMetricsLog(log('{"epoch":1,"trainLoss":1}', 'oops')))).toContain(
      'line 2: not a JSON object',
    );
    expect(message(() => readMetricsLog(log('{"epoch":1,"trainLoss":1,"valAccuracy":1.5}')))).toContain(
      'line 1: valAccuracy must be between 0 and 1',
    );
    expect(message(() => readMetricsLog(log('{"trainLoss":1}')))).toContain('line 1: no epoch');
    expect(
      message(() => readMetricsLog(log('{"epoch":1,"trainLoss":1}', '{"epoch":3,"trainLoss":1}'))),
    ).toContain('epoch 2 is missing');
  });

  it('takes the first lowest validation loss as the best epoch, the last epoch without validation', () => {
    const row = (epoch: number, valLoss: number | null) => ({
      epoch,
      trainLoss: 1,
      trainAccuracy: 0,
      valLoss,
      valAccuracy: null,
      seconds: 0,
      imagesPerSecond: 0,
      learningRate: 0,
    });
    expect(bestEpochOf([row(1, 0.5), row(2, 0.4), row(3, 0.4)])).toBe(2);
    expect(bestEpochOf([row(1, null), row(2, null)])).toBe(2);
    expect(bestEpochOf([])).toBeNull();
  });
});
