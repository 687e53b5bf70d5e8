/**
 * The import service over real services: classes mapped to the project's labels by exact name (in the model's
 * order), the input checked, labels found in labels.txt, and every refusal leaving no run and no run folder.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { AppFailure } from '../../../app/ipc/result';
import { ModelProtoSchema, NodeProtoSchema } from '../../../main/services/export/onnx/gen/onnx_pb';
import { exportOnnx } from '../../../main/services/export/onnx/onnx-export';
import { buildModel } from '../../../native-workers/cnn/model';
import { preprocessingFor, writeModelFile } from '../../../native-workers/cnn/model-file';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { makeTestServices } from '../../support/services';
import { projectWithImages, SMALL_SET } from '../training/support';

const gray28 = { height: 28, width: 28, channels: 1 };

function cnnmodel(spec: ModelSpec, labels: string[]): Uint8Array {
  const m = buildModel(spec, { seed: 3, batchSize: 1 });
  return writeModelFile(
    { spec, params: m.params, state: m.state },
    {
      kind: 'cnnmodel',
      version: 1,
      labels,
      preprocessing: preprocessingFor(spec),
      metrics: { accuracy: { train: null, val: 0.5, test: null }, epochs: 4, bestEpoch: 3 },
      appVersion: 'test',
      run: null,
      createdAt: new Date().toISOString(),
    },
  );
}

function onnx(spec: ModelSpec): Uint8Array {
  const m = buildModel(spec, { seed: 3, batchSize: 1 });
  const bytes = exportOnnx(spec, m.params, m.state, {
    labels: Array.from({ length: spec.numClasses }, (_, i) => `x${i}`),
    appVersion: 'test',
    inputSize: 28,
    color: 'gray',
    preprocessing: '',
  });
  const model = fromBinary(ModelProtoSchema, bytes);
  model.metadataProps = []; // like a PyTorch export: no labels inside
  return toBinary(ModelProtoSchema, model);
}

describe('import-model service', () => {
  let ctx: ReturnType<typeof makeTestServices>;
  let projectId: string;
  let dir: string;
  const write = (name: string, bytes: Uint8Array | string) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    return file;
  };
  const runCount = () => ctx.services.runs.list(projectId).length;
  const runFolders = () => {
    const runs = path.join(ctx.dataDir, 'projects', projectId, 'runs');
    return fs.existsSync(runs) ? fs.readdirSync(runs).length : 0;
  };
  const refusal = (file: string) => {
    const [runs, folders] = [runCount(), runFolders()];
    let failure: AppFailure | null = null;
    try {
      ctx.services.modelImport.importModel(projectId, file);
    } catch (error) {
      if (!(error instanceof AppFailure)) throw error;
      failure = error;
    }
    expect(failure, 'expected a refusal').not.toBeNull();
    expect([runCount(), runFolders()]).toEqual([runs, folders]);
    return failure!;
  };

  beforeAll(async () => {
    ctx = makeTestServices();
    projectId = await projectWithImages(ctx.services, 'Fashion');
    dir = path.join(ctx.dataDir, 'files');
  }, 120_000);
  afterAll(() => ctx?.cleanup());

  it('maps the classes by name in the model order, snapshots their images, and becomes the model', () => {
    const labels = ['Trouser', 'Bag', 'Coat'];
    const file = write('three/model.cnnmodel', cnnmodel(presetSpec('small', gray28, 3), labels));
    const result = ctx.services.modelImport.importModel(projectId, file);
    expect(result.labels).toEqual(labels);
    expect(result.run).toMatchObject({
      status: 'completed',
      preset: 'small',
      isModel: true,
      epochsDone: 4,
      bestEpoch: 3,
      finalValAccuracy: 0.5,
      bestValAccuracy: 0.5, // no metrics log: what the model file says
    });
    const detail = ctx.services.runs.show(projectId, result.run.id);
    expect(detail.dataset.classNames).toEqual(labels);
    expect(detail.dataset.leftOutLabels).toHaveLength(7);
    expect(detail.dataset.train + detail.dataset.val + detail.dataset.test).toBe(150); // 50 images per class
    expect(
      ctx.events.some(
        ([c, p]) => c === 'training:status' && (p as { runId: string }).runId === result.run.id,
      ),
    ).toBe(true);
    const final = path.join(ctx.dataDir, 'projects', projectId, 'runs', result.run.id, 'final.model');
    expect(fs.existsSync(final)).toBe(true);
  });

  it('an imported run predicts, is inspected and exports like a trained one', async () => {
    const file = write(
      'uses/model.cnnmodel',
      cnnmodel(presetSpec('small', gray28, 2), ['Sandal', 'Sneaker']),
    );
    const { run } = ctx.services.modelImport.importModel(projectId, file, { name: 'in use' });
    const image = path.join(
      SMALL_SET,
      'test',
      'Sandal',
      fs.readdirSync(path.join(SMALL_SET, 'test', 'Sandal'))[0],
    );
    const { batchId } = ctx.services.prediction.startBatch(
      projectId,
      { projectId, runId: run.id },
      [image],
      2,
    );
    await ctx.services.prediction.waitForBatch(batchId);
    const [item] = ctx.services.prediction.batchItems(batchId);
    expect(item.ok && item.top.map((p) => p.label).sort()).toEqual(['Sandal', 'Sneaker']);
    const imageId = ctx.services.dataset.listImages(projectId, {
      filter: { kind: 'all' },
      sort: 'added',
      descending: false,
      offset: 0,
      limit: 1,
    }).items[0].id;
    const inspection = await ctx.services.inspect.inspect(projectId, { runId: run.id }, { imageId });
    expect(inspection.runId).toBe(run.id);
    expect(inspection.layers).toHaveLength(presetSpec('small', gray28, 2).layers.length);
    const exported = await ctx.services.modelExport.export(projectId, {
      format: 'onnx',
      outDir: path.join(dir, 'export-of-imported'),
      run: run.id,
    });
    expect(exported.parity.ok).toBe(true);
    const evaluated = await ctx.services.evaluation.evaluate(projectId, 'val', run.id);
    expect(evaluated.confusion.labels).toEqual(['Sandal', 'Sneaker']);
  }, 120_000);

  it('refuses classes that are not project labels (exact name, case included), listing them', () => {
    const file = write(
      'unknown/model.cnnmodel',
      cnnmodel(presetSpec('small', gray28, 3), ['Bag', 'coat', 'Cat']),
    );
    const failure = refusal(file);
    expect(failure.details).toMatchObject({ code: 'import-model-unknown-labels', labels: ['coat', 'Cat'] });
  });

  it('refuses another input size or colour, saying both', () => {
    const spec = presetSpec('small', { height: 32, width: 32, channels: 3 }, 2);
    const failure = refusal(write('rgb/model.cnnmodel', cnnmodel(spec, ['Bag', 'Coat'])));
    expect(failure.details).toMatchObject({
      code: 'import-model-input-mismatch',
      model: { width: 32, height: 32, color: 'rgb' },
      project: { width: 28, height: 28, color: 'gray' },
    });
  });

  it('takes an ONNX file’s labels from labels.txt beside it', () => {
    const file = write('onnx/model.onnx', onnx(presetSpec('reference', gray28, 2)));
    write('onnx/labels.txt', 'Sandal\nShirt\n');
    const result = ctx.services.modelImport.importModel(projectId, file, { name: 'onnx one' });
    expect(result).toMatchObject({ format: 'onnx', labels: ['Sandal', 'Shirt'] });
    expect(result.run).toMatchObject({
      name: 'onnx one',
      preset: 'reference',
      imported: { format: 'onnx', fileName: 'model.onnx' },
    });
  });

  it('refuses an ONNX file without labels whose outputs are not the project’s classes', () => {
    const failure = refusal(write('nolabels/model.onnx', onnx(presetSpec('reference', gray28, 4))));
    expect(failure.details).toMatchObject({ code: 'import-model-no-labels', outputs: 4, projectClasses: 10 });
  });

  it('names the first unsupported ONNX node', () => {
    const model = fromBinary(ModelProtoSchema, onnx(presetSpec('reference', gray28, 10)));
    const at = model.graph!.node.findIndex((n) => n.opType === 'Relu');
    model.graph!.node[at] = create(NodeProtoSchema, {
      ...model.graph!.node[at],
      opType: 'Sigmoid',
      name: '/act/Sigmoid',
    });
    const failure = refusal(write('sigmoid/model.onnx', toBinary(ModelProtoSchema, model)));
    expect(failure.message).toContain(`unsupported ONNX node ${at} (Sigmoid "/act/Sigmoid")`);
  });

  it('refuses a file that is no model, and a missing one', () => {
    expect(refusal(write('notes.txt', 'hello')).details).toMatchObject({
      code: 'import-model-unknown-format',
    });
    expect(refusal(path.join(dir, 'missing.cnnmodel')).details).toMatchObject({
      code: 'import-model-unreadable',
      reason: 'no such file',
    });
    const damaged = write(
      'damaged.cnnmodel',
      cnnmodel(presetSpec('small', gray28, 2), ['Bag', 'Coat']).subarray(0, 200),
    );
    expect(refusal(damaged).details).toMatchObject({ code: 'import-model-unreadable' });
  });
});
