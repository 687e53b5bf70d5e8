import { describe, expect, it } from 'vitest';
import { encodeBundle } from '../../../native-workers/cnn/bundle';
import { buildModel } from '../../../native-workers/cnn/model';
import {
  preprocessingFor,
  readModelFile,
  writeModelFile,
  type CnnModelMeta,
} from '../../../native-workers/cnn/model-file';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { Rng } from '../../../native-workers/cnn/rng';
import { serializeModel } from '../../../native-workers/cnn/serialize';
import { expectBitwiseEqual } from './bitwise';

function trainedModel() {
  const spec = presetSpec('small', { height: 12, width: 12, channels: 3 }, 3);
  const model = buildModel(spec, { seed: 4, batchSize: 4 });
  const rng = new Rng(3);
  const x = new Float32Array(4 * model.inputSize).map(() => rng.normal());
  model.computeGradients(x, [0, 1, 2, 0]); // batchnorm running stats move
  model.params[0] = -0;
  return { model, x };
}

function metaFor(labels: string[], spec = trainedModel().model.spec): CnnModelMeta {
  return {
    kind: 'cnnmodel',
    version: 1,
    labels,
    preprocessing: preprocessingFor(spec),
    metrics: { accuracy: { train: 0.9, val: 0.8, test: null }, epochs: 3, bestEpoch: 2 },
    appVersion: '1.2.3',
    run: { id: 'r', name: 'run-1', project: 'Clothes' },
    createdAt: '2026-11-27T00:00:00.000Z',
  };
}

describe('.cnnmodel files', () => {
  it('round-trips spec, weights, batchnorm state and metadata exactly', () => {
    const { model, x } = trainedModel();
    const meta = metaFor(['cat', '猫', '🐈'], model.spec);
    const bytes = writeModelFile(model, meta);
    const read = readModelFile(bytes);
    expect(read.source).toBe('cnnmodel');
    expect(read.spec).toEqual(model.spec);
    expect(read.meta).toEqual(meta);
    expect(read.meta.preprocessing).toMatchObject({ inputSize: 12, color: 'rgb', channels: 3 });
    expectBitwiseEqual(read.params, model.params, 'params');
    expectBitwiseEqual(read.state, model.state, 'state');
    expect(Object.is(read.params[0], -0)).toBe(true);
    const loaded = buildModel(read.spec, { seed: 0, batchSize: 4, skipInit: true });
    loaded.loadParams(read.params, read.state);
    expect(loaded.predict(x)).toEqual(model.predict(x).slice());
  });

  it("reads a run's final.model, deriving labels and preprocessing", () => {
    const { model } = trainedModel();
    const bytes = serializeModel(model, { runId: 'abc', classNames: ['a', 'b', 'c'], epoch: 5 });
    const read = readModelFile(bytes);
    expect(read.source).toBe('run');
    expect(read.meta.labels).toEqual(['a', 'b', 'c']);
    expect(read.meta.metrics.epochs).toBe(5);
    expect(read.meta.preprocessing).toMatchObject({ inputSize: 12, color: 'rgb' });
  });

  it('refuses metadata that does not fit the model', () => {
    const { model } = trainedModel();
    expect(() => writeModelFile(model, metaFor(['only', 'two'], model.spec))).toThrow('2 labels');
    const gray = { ...metaFor(['a', 'b', 'c'], model.spec) };
    gray.preprocessing = { ...gray.preprocessing, color: 'gray', channels: 1 };
    expect(() => writeModelFile(model, gray)).toThrow('does not match the model input');
  });

  it('fails clearly on a truncated, damaged or foreign file', () => {
    const { model } = trainedModel();
    const bytes = writeModelFile(model, metaFor(['a', 'b', 'c'], model.spec));
    expect(() => readModelFile(bytes.subarray(0, bytes.length - 8))).toThrow(/damaged.*truncated/);
    expect(() => readModelFile(bytes.subarray(0, 40))).toThrow(/truncated \(in its header\)/);
    expect(() => readModelFile(bytes.subarray(0, 6))).toThrow('not a CNN Studio model file');
    expect(() => readModelFile(new TextEncoder().encode('PK\u0003\u0004 a zip, not a model'))).toThrow(
      'not a CNN Studio model file',
    );
    expect(() => readModelFile(new Uint8Array(0))).toThrow('not a CNN Studio model file');
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(() => readModelFile(longer)).toThrow('trailing bytes');
    const garbled = bytes.slice();
    garbled[12] = 0x78; // "x" instead of the header's opening brace
    expect(() => readModelFile(garbled)).toThrow(/damaged.*not valid JSON/);
    const checkpoint = encodeBundle({ format: 'cnn-studio-checkpoint' }, { params: model.params });
    expect(() => readModelFile(checkpoint)).toThrow('not a model file');
    const wrongWeights = encodeBundle(
      { format: 'cnn-studio-model', spec: model.spec },
      { params: model.params.subarray(1), state: model.state },
    );
    expect(() => readModelFile(wrongWeights)).toThrow(/parameters .* the spec needs/);
    const newer = encodeBundle(
      { format: 'cnn-studio-model', spec: model.spec, meta: { ...metaFor(['a', 'b', 'c']), version: 2 } },
      { params: model.params, state: model.state },
    );
    expect(() => readModelFile(newer)).toThrow('newer than this app reads');
  });
});
