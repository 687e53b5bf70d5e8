/**
 * The training package's round trip on a small scale: `export-training`, PyTorch's train.py for 2 epochs on CPU
 * (one process), then `import-model` of output/model.cnnmodel and of output/model.onnx. Both imported runs carry
 * the package's metrics.jsonl, and their evaluation on the project's test split is train.py's own (eval.json).
 * Skipped where Debian's python3-torch is missing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';
import { findPython } from '../../unit/export/find-python';
import { SMALL_SET } from '../training/support';

const torch = findPython(['torch']);

describe.skipIf(torch.python === null)(
  `import-model of a trained training package${torch.python === null ? ` (skipped: ${torch.reason})` : ''}`,
  () => {
    let temp: { dir: string; cleanup: () => void };
    let data: string;
    let pkg: string;
    let evalJson: { accuracy: number; loss: number; count: number; split: string };
    const cli = (...args: string[]) => runCliCaptured(data, ...args);

    beforeAll(async () => {
      temp = makeTempDir('cnn-package-roundtrip-');
      data = path.join(temp.dir, 'data');
      pkg = path.join(temp.dir, 'pkg');
      expect((await cli('project', 'create', 'Fashion', '--size', '28', '--color', 'gray')).code).toBe(0);
      expect((await cli('import', 'Fashion', path.join(SMALL_SET, 'train'))).code).toBe(0);
      const exported = await cli('export-training', 'Fashion', '--preset', 'small', '--out', pkg);
      expect(exported.code, exported.err).toBe(0);
      const trained = spawnSync(torch.python!, ['train.py', '--epochs', '2', '--workers', '1'], {
        cwd: pkg,
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(trained.status, trained.stderr).toBe(0);
      evalJson = JSON.parse(fs.readFileSync(path.join(pkg, 'output', 'eval.json'), 'utf8'));
    }, 400_000);
    afterAll(() => temp?.cleanup());

    for (const file of ['model.cnnmodel', 'model.onnx']) {
      it(`imports output/${file} with its log; its evaluation is train.py's`, async () => {
        const name = file.replace('.', '-');
        const r = await cli(
          'import-model',
          'Fashion',
          path.join(pkg, 'output', file),
          '--name',
          name,
          '--json',
        );
        expect(r.code, r.err).toBe(0);
        expect(r.json()).toMatchObject({ epochs: 2, metricsFile: path.join(pkg, 'output', 'metrics.jsonl') });
        const e = await cli('evaluate', 'Fashion', '--run', name, '--split', evalJson.split, '--json');
        expect(e.code, e.err).toBe(0);
        expect(e.json().count).toBe(evalJson.count);
        expect(Math.abs(e.json().accuracy - evalJson.accuracy)).toBeLessThanOrEqual(0.001);
        expect(e.json().loss).toBeCloseTo(evalJson.loss, 4);
      });
    }
  },
);
