/**
 * `cnn-studio import-model`: a run trained in one project, exported as .cnnmodel and as ONNX, comes back into
 * another project with the same labels as completed runs; both evaluate like the original, a training package's
 * metrics.jsonl and training.json come with them, and `runs list/show` say the runs are imported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';
import { SMALL_SET } from '../training/support';

describe('CLI: import-model', () => {
  let temp: { dir: string; cleanup: () => void };
  let data: string;
  let original: { accuracy: number; loss: number };
  let targetId: string;
  const cli = (...args: string[]) => runCliCaptured(data, ...args);
  const exported = (format: string) => path.join(temp.dir, format);

  beforeAll(async () => {
    temp = makeTempDir('cnn-import-model-cli-');
    data = path.join(temp.dir, 'data');
    for (const name of ['Source', 'Target']) {
      const created = await cli('--json', 'project', 'create', name, '--size', '28', '--color', 'gray');
      expect(created.code, created.err).toBe(0);
      if (name === 'Target') targetId = created.json().id;
      expect((await cli('import', name, path.join(SMALL_SET, 'train'))).code).toBe(0);
    }
    const trained = await cli(
      'train',
      'Source',
      '--preset',
      'reference',
      '--epochs',
      '1',
      '--workers',
      '2',
      '--json',
    );
    expect(trained.code, trained.err).toBe(0);
    for (const format of ['native', 'onnx']) {
      const r = await cli('export', 'Source', '--format', format, '--out', exported(format));
      expect(r.code, r.err).toBe(0);
    }
    const evaluated = await cli('evaluate', 'Source', '--split', 'val', '--json');
    expect(evaluated.code, evaluated.err).toBe(0);
    original = evaluated.json();
  }, 300_000);
  afterAll(() => temp?.cleanup());

  it('imports the .cnnmodel as a completed run that evaluates like the original', async () => {
    const r = await cli(
      'import-model',
      'Target',
      path.join(exported('native'), 'model.cnnmodel'),
      '--name',
      'from-source',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const result = r.json();
    expect(result.format).toBe('cnnmodel');
    expect(result.run).toMatchObject({
      name: 'from-source',
      status: 'completed',
      preset: 'reference',
      isModel: true,
    });
    expect(result.run.imported).toMatchObject({ format: 'cnnmodel', fileName: 'model.cnnmodel' });
    expect(result.labels).toHaveLength(10);
    expect(result.epochs).toBe(0); // no metrics.jsonl beside an app export
    expect(result.metricsFile).toBeNull();
    expect(result.run.epochsDone).toBe(1); // the model file says it trained one epoch
    const e = await cli('evaluate', 'Target', '--run', 'from-source', '--split', 'val', '--json');
    expect(e.code, e.err).toBe(0);
    // both projects imported the same folder, so their splits are the same images
    expect(e.json().accuracy).toBe(original.accuracy);
    expect(e.json().loss).toBeCloseTo(original.loss, 6);
  });

  it('imports the ONNX export (labels from its metadata) with the same predictions', async () => {
    const r = await cli('import-model', 'Target', path.join(exported('onnx'), 'model.onnx'), '--json');
    expect(r.code, r.err).toBe(0);
    const result = r.json();
    expect(result.format).toBe('onnx');
    expect(result.run.imported.fileName).toBe('model.onnx');
    const e = await cli('evaluate', 'Target', '--run', result.run.name, '--split', 'val', '--json');
    expect(e.json().accuracy).toBe(original.accuracy);
    expect(e.json().loss).toBeCloseTo(original.loss, 4);
  });

  it('reads a training package: metrics.jsonl epochs, the best epoch, training.json settings', async () => {
    const pkg = path.join(temp.dir, 'pkg');
    fs.mkdirSync(path.join(pkg, 'output'), { recursive: true });
    fs.copyFileSync(
      path.join(exported('native'), 'model.cnnmodel'),
      path.join(pkg, 'output', 'model.cnnmodel'),
    );
    const rows = [
      {
        epoch: 1,
        trainLoss: 1.2,
        trainAccuracy: 0.6,
        valLoss: 0.9,
        valAccuracy: 0.7,
        seconds: 3,
        imagesPerSecond: 400,
        learningRate: 0.001,
      },
      { epoch: 2, trainLoss: 0.8, valLoss: 0.7, valAccuracy: 0.75 }, // optional fields missing
      {
        epoch: 3,
        trainLoss: 0.6,
        trainAccuracy: 0.8,
        valLoss: 0.75,
        valAccuracy: 0.74,
        seconds: 3,
        imagesPerSecond: 500,
        learningRate: 0.0005,
      },
    ];
    fs.writeFileSync(
      path.join(pkg, 'output', 'metrics.jsonl'),
      rows.map((x) => JSON.stringify(x)).join('\n') + '\n',
    );
    const shown = await cli('runs', 'show', 'Source', 'run-1', '--json');
    const settings = { ...shown.json().settings, batchSize: 77, seed: 1234 };
    fs.writeFileSync(
      path.join(pkg, 'training.json'),
      JSON.stringify({
        format: 'cnn-studio-training-package',
        version: 1,
        settings,
        classNames: shown.json().dataset.classNames,
        modelName: 'reference',
      }),
    );
    const r = await cli(
      'import-model',
      'Target',
      path.join(pkg, 'output', 'model.cnnmodel'),
      '--name',
      'cluster',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.json()).toMatchObject({ epochs: 3, metricsFile: path.join(pkg, 'output', 'metrics.jsonl') });
    const detail = (await cli('runs', 'show', 'Target', 'cluster', '--json')).json();
    expect(detail).toMatchObject({
      epochsDone: 3,
      epochsPlanned: 3,
      bestEpoch: 2,
      bestValAccuracy: 0.75,
      preset: 'reference',
    });
    expect(detail.settings).toMatchObject({
      batchSize: 77,
      seed: 1234,
      epochs: 3,
      model: { kind: 'preset', preset: 'reference' },
    });
    expect(detail.epochs[1]).toEqual({
      epoch: 2,
      trainLoss: 0.8,
      trainAccuracy: 0,
      valLoss: 0.7,
      valAccuracy: 0.75,
      seconds: 0,
      imagesPerSecond: 0,
      learningRate: 0,
    });
    const text = await cli('import-model', 'Target', path.join(pkg, 'output', 'model.cnnmodel'));
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain('epochs: 3 from');
    expect(text.out).toContain('best validation accuracy 75.0 % (epoch 2)');
  });

  it('runs list and show say a run is imported', async () => {
    const list = await cli('runs', 'list', 'Target');
    expect(list.out).toMatch(/from-source\s+completed \(imported\)/);
    const json = (await cli('runs', 'list', 'Target', '--json')).json() as {
      name: string;
      imported: unknown;
    }[];
    expect(json.find((r) => r.name === 'from-source')?.imported).toMatchObject({ format: 'cnnmodel' });
    const source = (await cli('runs', 'list', 'Source', '--json')).json() as { imported: unknown }[];
    expect(source.every((r) => r.imported === null)).toBe(true);
    const show = await cli('runs', 'show', 'Target', 'from-source');
    expect(show.out).toContain('imported from model.cnnmodel (cnnmodel)');
  });

  it('fails with the reason and exit 1, leaving nothing: a malformed log line, a taken name', async () => {
    const bad = path.join(temp.dir, 'bad');
    fs.mkdirSync(bad);
    fs.copyFileSync(path.join(exported('native'), 'model.cnnmodel'), path.join(bad, 'model.cnnmodel'));
    fs.writeFileSync(
      path.join(bad, 'metrics.jsonl'),
      '{"epoch":1,"trainLoss":1}\n{"epoch":2,"trainLoss":"x"}\n',
    );
    const before = (await cli('runs', 'list', 'Target', '--json')).json().length;
    const runsDir = () => fs.readdirSync(path.join(data, 'projects', targetId, 'runs'));
    const folders = runsDir().length;
    const r = await cli('import-model', 'Target', path.join(bad, 'model.cnnmodel'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('line 2: trainLoss must be a number');
    const taken = await cli(
      'import-model',
      'Target',
      path.join(exported('native'), 'model.cnnmodel'),
      '--name',
      'FROM-source',
    );
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('already exists');
    expect((await cli('runs', 'list', 'Target', '--json')).json()).toHaveLength(before);
    expect(runsDir()).toHaveLength(folders);
  });
});
