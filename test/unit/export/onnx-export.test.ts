/**
 * ONNX export parity: models built with the CNN core (random init, random batchnorm statistics) are exported,
 * run with onnxruntime-web (wasm) under Node and compared with the core's own softmax(forward) at batch sizes 1,
 * 3 and 32. Covers every layer type, stride 2, 'same' with odd (asymmetric) padding, explicit padding.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { ModelProtoSchema } from '../../../main/services/export/onnx/gen/onnx_pb';
import { exportOnnx, type OnnxExportMeta } from '../../../main/services/export/onnx/onnx-export';
import { loadOnnxClassifier } from '../../../native-workers/export/onnx-runtime';
import { argmaxRow, buildModel, type Model } from '../../../native-workers/cnn/model';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { Rng } from '../../../native-workers/cnn/rng';
import { makeTempDir } from '../../support/temp-dir';
import { findPython } from './find-python';

const BATCHES = [1, 3, 32];

function metaFor(spec: ModelSpec): OnnxExportMeta {
  return {
    labels: Array.from({ length: spec.numClasses }, (_, i) => `class ${i}`),
    appVersion: '0.0.0-test',
    inputSize: spec.input.height,
    color: spec.input.channels === 3 ? 'rgb' : 'gray',
    preprocessing: 'test',
  };
}

/** A model with random parameters and, for batchnorm, running statistics far from the 0/1 defaults. */
function randomModel(spec: ModelSpec, seed: number): Model {
  const model = buildModel(spec, { seed, batchSize: 32 });
  const rng = new Rng(seed + 100);
  model.plans.forEach((p, i) => {
    const o = model.layout.stateOffsets[i];
    if (o < 0) return;
    const C = p.inShape[0];
    for (let c = 0; c < C; c++) {
      model.state[o + c] = (rng.uniform() - 0.5) * 0.6; // running mean
      model.state[o + C + c] = 0.3 + rng.uniform() * 1.5; // running variance
    }
    const gamma = model.param(i, 'gamma');
    const beta = model.param(i, 'beta');
    for (let c = 0; c < C; c++) {
      gamma[c] = 0.5 + rng.uniform();
      beta[c] = (rng.uniform() - 0.5) * 0.4;
    }
  });
  return model;
}

function randomImages(spec: ModelSpec, n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n * spec.input.channels * spec.input.height * spec.input.width);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  return x;
}

async function parity(spec: ModelSpec, seed: number) {
  const model = randomModel(spec, seed);
  const bytes = exportOnnx(spec, model.params, model.state, metaFor(spec));
  const onnx = await loadOnnxClassifier(bytes, spec.input);
  const K = spec.numClasses;
  try {
    const results = [];
    for (const n of BATCHES) {
      const x = randomImages(spec, n, seed * 7 + n);
      const ours = model.predict(x).slice();
      const theirs = await onnx.run(x, n);
      expect(theirs.length).toBe(n * K);
      let maxAbsDiff = 0;
      let agree = 0;
      for (let i = 0; i < n * K; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(ours[i] - theirs[i]));
      for (let r = 0; r < n; r++) if (argmaxRow(ours, r, K) === argmaxRow(theirs, r, K)) agree++;
      results.push({ n, maxAbsDiff, agree });
    }
    return results;
  } finally {
    await onnx.release();
  }
}

const specs: Record<string, ModelSpec> = {
  'conv stride 2, same with odd padding, relu, max pool, dense': {
    input: { channels: 1, height: 28, width: 28 },
    numClasses: 10,
    layers: [
      { type: 'conv2d', filters: 8, kernelSize: 3, padding: 'same' },
      { type: 'relu' },
      { type: 'conv2d', filters: 12, kernelSize: 4, stride: 2, padding: 'same' }, // 28 → 14, total pad 2… (4-2)
      { type: 'relu' },
      { type: 'conv2d', filters: 12, kernelSize: 2, stride: 1, padding: 'same' }, // total pad 1: bottom/right
      { type: 'relu' },
      { type: 'maxPool2d', size: 2 },
      { type: 'dense', units: 10 },
    ],
  },
  'rgb, explicit padding, leaky relu, avg pool, dropout, flatten, dense hidden layer': {
    input: { channels: 3, height: 17, width: 15 },
    numClasses: 4,
    layers: [
      { type: 'conv2d', filters: 6, kernelSize: [3, 5], stride: [2, 1], padding: 1 },
      { type: 'leakyRelu', alpha: 0.2 },
      { type: 'avgPool2d', size: 2, stride: 1 },
      { type: 'conv2d', filters: 5, kernelSize: 3, stride: 2, padding: 'same' }, // odd sizes: asymmetric
      { type: 'leakyRelu' },
      { type: 'dropout', rate: 0.3 },
      { type: 'flatten' },
      { type: 'dense', units: 16 },
      { type: 'relu' },
      { type: 'dropout', rate: 0.5 },
      { type: 'dense', units: 4 },
    ],
  },
  'batchnorm after conv and after dense, global average pool, valid padding': {
    input: { channels: 3, height: 20, width: 20 },
    numClasses: 5,
    init: 'fan-in-uniform',
    layers: [
      { type: 'conv2d', filters: 8, kernelSize: 3, padding: 'valid' },
      { type: 'batchNorm', epsilon: 1e-3, momentum: 0.05 },
      { type: 'relu' },
      { type: 'maxPool2d', size: 3, stride: 2 },
      { type: 'conv2d', filters: 10, kernelSize: 3, stride: 2, padding: 'same' },
      { type: 'batchNorm' },
      { type: 'relu' },
      { type: 'globalAvgPool' },
      { type: 'dense', units: 12 },
      { type: 'batchNorm', epsilon: 1e-4 },
      { type: 'relu' },
      { type: 'dense', units: 5 },
    ],
  },
  'a conv after a dense layer (reshaped back to 4-D)': {
    input: { channels: 1, height: 8, width: 8 },
    numClasses: 3,
    layers: [
      { type: 'dense', units: 6 },
      { type: 'relu' },
      { type: 'conv2d', filters: 4, kernelSize: 1 },
      { type: 'globalAvgPool' },
      { type: 'dense', units: 3 },
    ],
  },
};

describe('ONNX export', () => {
  Object.entries(specs).forEach(([name, spec], k) => {
    it(`matches the core: ${name}`, async () => {
      const results = await parity(spec, 11 + k);
      for (const r of results) {
        expect(r.maxAbsDiff, `batch ${r.n}`).toBeLessThanOrEqual(1e-4);
        expect(r.agree, `batch ${r.n}`).toBe(r.n);
      }
    });
  });

  it('writes opset 13, IR 8, a dynamic batch, pads [top, left, bottom, right] and the metadata', () => {
    const spec = specs['conv stride 2, same with odd padding, relu, max pool, dense'];
    const model = randomModel(spec, 3);
    const bytes = exportOnnx(spec, model.params, model.state, metaFor(spec));
    const proto = fromBinary(ModelProtoSchema, bytes);
    expect(proto.irVersion).toBe(8n);
    expect(proto.opsetImport.map((o) => o.version)).toEqual([13n]);
    const input = proto.graph?.input[0];
    expect(input?.name).toBe('image');
    const dims =
      input?.type?.value.case === 'tensorType' ? input.type.value.value.shape?.dim.map((d) => d.value) : [];
    expect(dims).toEqual([
      { case: 'dimParam', value: 'N' },
      { case: 'dimValue', value: 1n },
      { case: 'dimValue', value: 28n },
      { case: 'dimValue', value: 28n },
    ]);
    expect(proto.graph?.output[0].name).toBe('probabilities');
    const convs = proto.graph?.node.filter((n) => n.opType === 'Conv') ?? [];
    const pads = convs.map((c) => c.attribute.find((a) => a.name === 'pads')?.ints.map(Number));
    expect(pads).toEqual([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
      [0, 0, 1, 1],
    ]);
    expect(proto.graph?.node.some((n) => n.opType === 'Dropout')).toBe(false);
    const meta = Object.fromEntries(proto.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(meta.labels)).toEqual(metaFor(spec).labels);
    expect(meta.app_version).toBe('0.0.0-test');
    expect(JSON.parse(meta.input)).toMatchObject({ name: 'image', layout: 'NCHW', range: [0, 1] });
    expect(meta.preprocessing).toBe('test');
  });

  it('refuses parameters of the wrong length', () => {
    const spec = specs['a conv after a dense layer (reshaped back to 4-D)'];
    expect(() => exportOnnx(spec, new Float32Array(3), new Float32Array(0), metaFor(spec))).toThrow(
      /parameters/,
    );
  });

  // onnx.checker (Debian's python3-onnx 1.12) on every architecture above and the four presets
  const probe = findPython(['onnx']);
  if (probe.reason) console.info(`onnx.checker test skipped: ${probe.reason}.`);
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());
  const checked: [string, ModelSpec][] = [
    ...Object.entries(specs),
    ...(['small', 'medium', 'large', 'reference'] as const).map((p, i): [string, ModelSpec] => [
      `preset ${p}`,
      presetSpec(p, { channels: i % 2 ? 3 : 1, height: i % 2 ? 32 : 28, width: i % 2 ? 32 : 28 }, 10),
    ]),
  ];
  it.skipIf(!probe.python)(
    `passes onnx.checker.check_model(path, full_check=True) on ${checked.length} architectures`,
    () => {
      const files = checked.map(([, spec], k) => {
        const model = randomModel(spec, 5 + k);
        const file = path.join(temp.dir, `model-${k}.onnx`);
        fs.writeFileSync(file, exportOnnx(spec, model.params, model.state, metaFor(spec)));
        return file;
      });
      const out = execFileSync(
        probe.python!,
        [
          '-c',
          'import onnx, sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(f, full_check=True)\n' +
            '    print(onnx.load(f).ir_version, onnx.load(f).opset_import[0].version)',
          ...files,
        ],
        { encoding: 'utf8' },
      );
      expect(out.trim().split('\n')).toEqual(files.map(() => '8 13'));
    },
  );
});
