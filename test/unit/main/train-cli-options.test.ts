import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confusionText } from '../../../main/cli/commands/evaluate';
import { shellWord } from '../../../main/cli/cli-context';
import { parseLearningRate, readSpecFile, wholeNumber } from '../../../main/cli/parse-options';
import { table } from '../../../main/cli/training-text';
import { makeTempDir } from '../../support/temp-dir';

describe('train options', () => {
  let temp: { dir: string; cleanup: () => void };
  beforeEach(() => (temp = makeTempDir()));
  afterEach(() => temp.cleanup());
  const file = (doc: unknown) => {
    const p = path.join(temp.dir, `spec-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return p;
  };
  const conv = { type: 'conv2d', filters: 8, kernelSize: 3, padding: 'same' };

  it('reads --spec layers without the classifier, and drops the classifier of a full ModelSpec', () => {
    expect(readSpecFile(file({ layers: [conv, { type: 'relu' }, { type: 'flatten' }] }))).toEqual({
      layers: [conv, { type: 'relu' }, { type: 'flatten' }],
    });
    expect(readSpecFile(file([conv, { type: 'flatten' }])).layers).toEqual([conv, { type: 'flatten' }]);
    // a hidden dense layer stays when there is no numClasses (no classifier to drop)
    expect(
      readSpecFile(file({ layers: [{ type: 'flatten' }, { type: 'dense', units: 32 }] })).layers,
    ).toHaveLength(2);
    const input = { height: 28, width: 28, channels: 1 };
    const full = { input, layers: [conv, { type: 'flatten' }, { type: 'dense', units: 10 }], numClasses: 10 };
    expect(readSpecFile(file(full))).toEqual({ layers: [conv, { type: 'flatten' }], input });
    // what `model describe --json` prints
    expect(readSpecFile(file({ preset: 'reference', spec: full })).layers).toEqual([
      conv,
      { type: 'flatten' },
    ]);
  });

  it('names the file, the layer and the problem of a bad --spec', () => {
    expect(() => readSpecFile(file('{'))).toThrow(/spec-.*\.json: not JSON/);
    expect(() => readSpecFile(file({ model: [] }))).toThrow(/expected \{ "layers": \[\.\.\.\] \}/);
    expect(() =>
      readSpecFile(file({ layers: [conv, { type: 'conv2d', filters: 0, kernelSize: 3 }] })),
    ).toThrow(/layer 2 \(filters\)/);
    expect(() => readSpecFile(file({ layers: [conv, { type: 'pool' }] }))).toThrow(/layer 2/);
    expect(() => readSpecFile(file({ layers: [conv], numClasses: 3 }))).toThrow(
      /must end with the dense classifier/,
    );
    expect(() => readSpecFile(file({ layers: [{ type: 'dense', units: 3 }], numClasses: 3 }))).toThrow(
      /no layers before the classifier/,
    );
    expect(() => readSpecFile(path.join(temp.dir, 'missing.json'))).toThrow(/cannot read it \(ENOENT\)/);
  });

  it('accepts only plain whole numbers and positive learning rates', () => {
    const epochs = wholeNumber(1, 1000);
    expect(epochs('12')).toBe(12);
    for (const bad of ['0', '1001', '1.5', '1e2', '0x10', '', ' ', '-1', 'ten']) {
      expect(() => epochs(bad), bad).toThrow(/whole number from 1 to 1000/);
    }
    expect(parseLearningRate('1e-3')).toBe(0.001);
    for (const bad of ['0', '-0.1', '11', 'NaN', '', 'Infinity']) {
      expect(() => parseLearningRate(bad), bad).toThrow(/above 0/);
    }
  });
});

describe('training text', () => {
  it('aligns tables and prints the confusion matrix with label names (numbered when too wide)', () => {
    expect(
      table(
        ['a', 'n'],
        [
          ['long', '1'],
          ['x', '100'],
        ],
        [1],
      ),
    ).toBe('a       n\nlong    1\nx     100');
    const small = confusionText({
      labels: ['cat', 'dog'],
      matrix: [
        [5, 1],
        [0, 12],
      ],
    });
    expect(small.split('\n').slice(1)).toEqual(['     cat  dog', 'cat    5    1', 'dog    0   12']);
    const labels = Array.from({ length: 10 }, (_, i) => `a-rather-long-label-${i}`);
    const wide = confusionText({
      labels,
      matrix: labels.map((_, i) => labels.map((_, j) => (i === j ? 9 : 0))),
    });
    expect(wide).toMatch(/numbered as the rows/);
    expect(wide).toMatch(/^10 a-rather-long-label-9 +0 +0 +0 +0 +0 +0 +0 +0 +0 +9$/m);
  });

  it('quotes suggested command words only when needed', () => {
    expect(shellWord('Clothes')).toBe('Clothes');
    expect(shellWord('/tmp/a b')).toBe("'/tmp/a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });
});
