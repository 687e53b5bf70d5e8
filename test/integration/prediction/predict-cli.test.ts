import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFile } from '../../../native-workers/cnn/model-file';
import { preprocessImage } from '../../../main/services/dataset/decode';
import { ExportService } from '../../../main/services/export/export-service';
import { PredictionService } from '../../../main/services/prediction/prediction-service';
import { runPredictJob } from '../../../main/services/training/predict-job';
import { createServices } from '../../../main/services/services';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';
import { FASHION_SMALL } from '../../unit/dataset/fixtures';

const WORKERS = path.resolve(__dirname, '../../../out/workers');
const CLASSES = ['Bag', 'Sneaker', 'Trouser', 'Dress', 'Coat', 'Sandal'];

function copyClasses(from: string, to: string, classes: string[], n: number): void {
  for (const cls of classes) {
    fs.mkdirSync(path.join(to, cls), { recursive: true });
    for (const file of fs.readdirSync(path.join(from, cls)).sort().slice(0, n)) {
      fs.copyFileSync(path.join(from, cls, file), path.join(to, cls, file));
    }
  }
}

interface Top {
  label: string;
  probability: number;
}
type Prediction = { file: string; top: Top[] } | { file: string; error: string };

function expectRanked(top: Top[], k: number): void {
  expect(top).toHaveLength(k);
  const sum = top.reduce((s, t) => s + t.probability, 0);
  expect(sum).toBeLessThanOrEqual(1 + 1e-6);
  for (let i = 1; i < top.length; i++)
    expect(top[i - 1].probability).toBeGreaterThanOrEqual(top[i].probability);
  for (const t of top) expect(CLASSES).toContain(t.label);
}

describe('CLI: predict', () => {
  let temp: { dir: string; cleanup: () => void };
  let data: string;
  let images: string;
  let projectId: string;
  const cli = (...args: string[]) => runCliCaptured(data, ...args);
  /** A --json predict: stdout is exactly one document, stderr silent. */
  const predictJson = async (code: number, ...args: string[]) => {
    const r = await cli('predict', ...args, '--json');
    expect(r.code, r.err + r.out).toBe(code);
    expect(r.err).toBe('');
    return JSON.parse(r.out).predictions as Prediction[];
  };

  beforeAll(async () => {
    temp = makeTempDir('cnn-predict-cli-');
    data = path.join(temp.dir, 'data');
    const src = path.join(temp.dir, 'src');
    images = path.join(temp.dir, 'images');
    copyClasses(path.join(FASHION_SMALL, 'train'), src, CLASSES, 20);
    copyClasses(path.join(FASHION_SMALL, 'test'), images, CLASSES, 2);
    fs.writeFileSync(
      path.join(images, 'Bag', 'broken.png'),
      Buffer.from('\x89PNG\r\n\x1a\n not really a png'),
    );
    fs.writeFileSync(path.join(images, 'notes.txt'), 'not an image: not listed');
    expect((await cli('project', 'create', 'Clothes')).code).toBe(0);
    const imported = await cli('import', 'Clothes', src, '--json');
    expect(imported.code, imported.err).toBe(0);
    for (const [name, epochs] of [
      ['first', '1'],
      ['second', '2'],
    ]) {
      const r = await cli('train', 'Clothes', '--epochs', epochs, '--workers', '1', '--name', name, '--json');
      expect(r.code, r.err + r.out).toBe(0);
      projectId = JSON.parse((await cli('project', 'list', '--json')).out)[0].id;
    }
  });
  afterAll(() => temp?.cleanup());

  const some = () =>
    CLASSES.slice(0, 2).map((c) =>
      path.join(images, c, fs.readdirSync(path.join(images, c)).filter((f) => f !== 'broken.png')[0]),
    );

  it('predicts files with the project model: absolute paths, top 5 by default, best first', async () => {
    const files = some();
    const rel = path.relative(process.cwd(), files[0]);
    const predictions = await predictJson(0, 'Clothes', rel, files[1]);
    expect(predictions.map((p) => p.file)).toEqual(files);
    for (const p of predictions) {
      expect('top' in p, JSON.stringify(p)).toBe(true);
      if ('top' in p) expectRanked(p.top, 5);
    }
    const three = await predictJson(0, 'Clothes', ...files, '--top', '3');
    three.forEach((p, i) => {
      expect('top' in p && p.top).toEqual('top' in predictions[i] && predictions[i].top.slice(0, 3));
    });
  });

  it('walks a folder recursively; a bad file gets its reason and the others predictions', async () => {
    const predictions = await predictJson(0, 'Clothes', images, '--top', '3');
    const errors = predictions.filter((p) => 'error' in p);
    expect(errors).toHaveLength(1);
    expect(errors[0].file).toBe(path.join(images, 'Bag', 'broken.png'));
    expect((errors[0] as { error: string }).error).toMatch(/corrupt|truncated|PNG|image/i);
    const ok = predictions.filter((p) => 'top' in p) as { file: string; top: Top[] }[];
    expect(ok).toHaveLength(CLASSES.length * 2);
    for (const p of ok) {
      expect(path.isAbsolute(p.file)).toBe(true);
      expectRanked(p.top, 3);
    }
    expect(predictions.some((p) => p.file.endsWith('notes.txt'))).toBe(false);
  });

  it('uses --run by name, and prints a table without --json', async () => {
    const files = some();
    const first = await predictJson(0, 'Clothes', ...files, '--run', 'first');
    const second = await predictJson(0, 'Clothes', ...files);
    expect(first).not.toEqual(second); // one epoch against two
    expect((await cli('predict', 'Clothes', ...files, '--run', 'nope')).code).toBe(1);
    const human = await cli('predict', 'Clothes', files[0], path.join(images, 'Bag', 'broken.png'));
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/file\s+predicted\s+probability/);
    expect(human.out).toContain(path.basename(files[0]));
    expect(human.out).toMatch(/1 image predicted, 1 could not be read \(run second\)/);
  });

  it('exits 1 when no file could be predicted, still with one JSON document', async () => {
    const missing = path.join(temp.dir, 'missing.png');
    const predictions = await predictJson(1, 'Clothes', missing, path.join(images, 'Bag', 'broken.png'));
    expect(predictions.map((p) => p.file)).toEqual([missing, path.join(images, 'Bag', 'broken.png')]);
    expect((predictions[0] as { error: string }).error).toMatch(/no such file/);
    const r = await cli('predict', 'Clothes', images, '--top', '0');
    expect(r.code).toBe(2);
  });

  it('predicts with a .cnnmodel file or a final.model without a project or data folder', async () => {
    const services = createServices({
      dataDir: data,
      workersDir: path.resolve(__dirname, '../../../out/workers'),
      mediaBaseUrl: '',
      version: '9.9.9-test',
    });
    const file = path.join(temp.dir, 'export', 'model.cnnmodel');
    let written;
    try {
      written = await new ExportService(services).export(projectId, {
        format: 'native',
        outDir: path.dirname(file),
      });
    } finally {
      await services.dispose();
    }
    expect(written.files).toContain(path.basename(file));
    const read = readModelFile(new Uint8Array(fs.readFileSync(file)));
    expect(read.source).toBe('cnnmodel');
    expect(read.meta).toMatchObject({
      labels: expect.arrayContaining(CLASSES),
      appVersion: '9.9.9-test',
      preprocessing: { inputSize: 28, color: 'gray', channels: 1 },
      metrics: { epochs: 2 },
      run: { name: 'second', project: 'Clothes' },
    });
    expect(read.meta.metrics.accuracy.val).toBeGreaterThan(0);

    const files = some();
    const byProject = await predictJson(0, 'Clothes', ...files);
    const nowhere = path.join(temp.dir, 'no-data-here');
    const byFile = await runCliCaptured(nowhere, 'predict', file, ...files, '--json');
    expect(byFile.code, byFile.err).toBe(0);
    expect(JSON.parse(byFile.out).predictions).toEqual(byProject);
    expect(fs.existsSync(nowhere)).toBe(false);

    const runs = JSON.parse((await cli('runs', 'list', 'Clothes', '--json')).out) as {
      id: string;
      name: string;
    }[];
    const second = runs.find((r) => r.name === 'second') as { id: string };
    const finalModel = path.join(data, 'projects', projectId, 'runs', second.id, 'final.model');
    const byRunFile = await runCliCaptured(nowhere, 'predict', finalModel, ...files, '--json');
    expect(byRunFile.code, byRunFile.err).toBe(0);
    expect(JSON.parse(byRunFile.out).predictions).toEqual(byProject);
    expect(fs.existsSync(nowhere)).toBe(false);

    const usage = await runCliCaptured(nowhere, 'predict', file, ...files, '--run', 'first');
    expect(usage.code).toBe(2);
    const foreign = path.join(temp.dir, 'foreign.cnnmodel');
    fs.writeFileSync(foreign, 'just text');
    const bad = await runCliCaptured(nowhere, 'predict', foreign, ...files, '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).error.message).toMatch(/not a CNN Studio model file/);
    const gone = await runCliCaptured(
      nowhere,
      'predict',
      path.join(temp.dir, 'gone.cnnmodel'),
      ...files,
      '--json',
    );
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.out).error.message).toMatch(/No such model file/);
    expect(fs.existsSync(nowhere)).toBe(false);
  });

  it("matches the training worker's predictions, whatever the batching", async () => {
    const runs = JSON.parse((await cli('runs', 'list', 'Clothes', '--json')).out) as {
      id: string;
      name: string;
    }[];
    const runId = (runs.find((r) => r.name === 'second') as { id: string }).id;
    const modelFile = path.join(data, 'projects', projectId, 'runs', runId, 'final.model');
    const service = new PredictionService(WORKERS);
    try {
      const whole = await service.predictFiles({ modelFile }, [images], { topK: CLASSES.length });
      const small = await service.predictFiles({ modelFile }, [images], {
        topK: CLASSES.length,
        batchSize: 3,
        concurrency: 2,
      });
      expect(small).toEqual(whole);
      const ok = whole.filter((p) => 'top' in p) as { file: string; top: Top[] }[];
      const pixels = new Uint8Array(ok.length * 28 * 28);
      for (const [i, p] of ok.entries())
        pixels.set(await preprocessImage(fs.readFileSync(p.file), 28, 'gray'), i * 28 * 28);
      const batch = await runPredictJob(WORKERS, {
        kind: 'predict',
        modelPath: modelFile,
        input: { kind: 'pixels', pixels, count: ok.length },
      });
      const labels = (await service.model({ modelFile })).meta.labels;
      ok.forEach((p, i) => {
        expect(p.top[0].label).toBe(labels[batch.predicted[i]]);
        for (const t of p.top) {
          const expected = batch.probabilities[i * batch.classes + labels.indexOf(t.label)];
          expect(Math.abs(t.probability - expected)).toBeLessThan(1e-5);
        }
      });
    } finally {
      await service.dispose();
    }
  });
});
