/**
 * ONNX → ModelSpec: our own ONNX export comes back to a spec and weights whose forward equals the original; a
 * PyTorch export (torch.onnx.export, opset 13, eval mode) of the same network comes back and matches torch's
 * output; a node we cannot run is refused by name.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { AppFailure } from '../../../app/ipc/result';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
} from '../../../main/services/export/onnx/gen/onnx_pb';
import { exportOnnx } from '../../../main/services/export/onnx/onnx-export';
import { sameLayers } from '../../../main/services/model-import/canonical-layers';
import { importOnnx } from '../../../main/services/model-import/onnx-import';
import { buildModel, type Model } from '../../../native-workers/cnn/model';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { Rng } from '../../../native-workers/cnn/rng';
import { findPython } from '../export/find-python';
import { makeTempDir } from '../../support/temp-dir';

const meta = (spec: ModelSpec) => ({
  labels: Array.from({ length: spec.numClasses }, (_, i) => `c${i}`),
  appVersion: 'test',
  inputSize: spec.input.height,
  color: spec.input.channels === 3 ? ('rgb' as const) : ('gray' as const),
  preprocessing: 'test',
});

/** A model with random weights and random batch norm statistics (so that the state matters). */
function randomModel(spec: ModelSpec, seed: number): Model {
  const model = buildModel(spec, { seed, batchSize: 4 });
  const rng = new Rng(seed + 7);
  model.plans.forEach((p, i) => {
    const o = model.layout.stateOffsets[i];
    if (o < 0) return;
    const C = p.inShape[0];
    for (let c = 0; c < C; c++) {
      model.state[o + c] = (rng.uniform() - 0.5) * 0.6;
      model.state[o + C + c] = 0.3 + rng.uniform() * 1.5;
      model.param(i, 'gamma')[c] = 0.5 + rng.uniform();
      model.param(i, 'beta')[c] = (rng.uniform() - 0.5) * 0.4;
    }
  });
  return model;
}

function images(spec: ModelSpec, n: number): Float32Array {
  const rng = new Rng(3);
  return Float32Array.from({ length: n * spec.input.channels * spec.input.height * spec.input.width }, () =>
    rng.uniform(),
  );
}

function logits(spec: ModelSpec, params: Float32Array, state: Float32Array, x: Float32Array): Float32Array {
  const m = buildModel(spec, { seed: 0, batchSize: 4, skipInit: true });
  m.loadParams(params, state);
  return Float32Array.from(m.forward(x, { training: false }));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

const gray28 = { height: 28, width: 28, channels: 1 };
const rgb32 = { height: 32, width: 32, channels: 3 };
const every: ModelSpec = {
  input: { height: 15, width: 15, channels: 3 },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 4, stride: 2, padding: 'same' }, // asymmetric 'same'
    { type: 'batchNorm', momentum: 0.2, epsilon: 1e-3 },
    { type: 'leakyRelu', alpha: 0.2 },
    { type: 'conv2d', filters: 5, kernelSize: [3, 2], padding: 1 },
    { type: 'avgPool2d', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 6 },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'conv2d', filters: 3, kernelSize: 1 }, // back to 4-D after a dense layer
    { type: 'globalAvgPool' },
    { type: 'dense', units: 3 },
  ],
  numClasses: 3,
};

describe('importOnnx: our own ONNX export comes back', () => {
  const cases: [string, ModelSpec][] = [
    ['small gray preset', presetSpec('small', gray28, 4)],
    ['reference gray preset', presetSpec('reference', gray28, 3)],
    ['medium rgb preset (batch norm)', presetSpec('medium', rgb32, 5)],
    ['every layer type, stride, asymmetric same, dense → conv', every],
  ];
  for (const [name, spec] of cases) {
    it(name, () => {
      const model = randomModel(spec, 11);
      const bytes = exportOnnx(spec, model.params, model.state, meta(spec));
      const back = importOnnx(bytes);
      expect(back.labels).toEqual(meta(spec).labels);
      expect(back.spec.input).toEqual(spec.input);
      expect(back.spec.numClasses).toBe(spec.numClasses);
      // dropouts are not in an inference graph, and a flatten before a dense layer is implied by it
      const kept = spec.layers.filter(
        (l, i) => l.type !== 'dropout' && !(l.type === 'flatten' && spec.layers[i + 1]?.type === 'dense'),
      );
      expect(sameLayers(back.spec.layers, kept), JSON.stringify(back.spec.layers)).toBe(true);
      const x = images(spec, 4);
      const diff = maxAbsDiff(
        logits(back.spec, back.params, back.state, x),
        logits(spec, model.params, model.state, x),
      );
      expect(diff).toBeLessThanOrEqual(1e-5);
    });
  }
});

describe('importOnnx: refusals', () => {
  const spec = presetSpec('reference', gray28, 3);
  const decode = () => fromOurExport(spec);

  it('names the first unsupported node (a Sigmoid)', () => {
    const model = decode();
    const nodes = model.graph!.node;
    const at = nodes.findIndex((n) => n.opType === 'Relu');
    const relu = nodes[at];
    nodes[at] = create(NodeProtoSchema, { ...relu, opType: 'Sigmoid', name: '/act/Sigmoid' });
    const failure = refusal(() => importOnnx(toBinary(ModelProtoSchema, model)));
    expect(failure.message).toContain(`unsupported ONNX node ${at} (Sigmoid "/act/Sigmoid")`);
    expect(failure.details).toMatchObject({
      code: 'onnx-unsupported-node',
      op: 'Sigmoid',
      name: '/act/Sigmoid',
      index: at,
    });
  });

  it('names a Conv with groups', () => {
    const model = decode();
    const at = model.graph!.node.findIndex((n) => n.opType === 'Conv');
    const group = model.graph!.node[at].attribute.find((a) => a.name === 'group')!;
    group.i = 2n;
    const failure = refusal(() => importOnnx(toBinary(ModelProtoSchema, model)));
    expect(failure.details).toMatchObject({
      code: 'onnx-unsupported-node',
      op: 'Conv',
      index: at,
      attribute: 'group',
    });
  });

  it('names a pool with ceil_mode', () => {
    const model = decode();
    const at = model.graph!.node.findIndex((n) => n.opType === 'MaxPool');
    model.graph!.node[at].attribute.push(
      create(AttributeProtoSchema, { name: 'ceil_mode', type: AttributeProto_AttributeType.INT, i: 1n }),
    );
    const failure = refusal(() => importOnnx(toBinary(ModelProtoSchema, model)));
    expect(failure.details).toMatchObject({ op: 'MaxPool', index: at, attribute: 'ceil_mode' });
  });

  it('refuses a file that is not ONNX', () => {
    const failure = refusal(() => importOnnx(new TextEncoder().encode('definitely not a protobuf model')));
    expect(failure.details).toMatchObject({ code: 'onnx-unreadable' });
  });

  it('refuses a graph of only a Sigmoid built from scratch, naming node 0', () => {
    const graph = create(GraphProtoSchema, {
      node: [create(NodeProtoSchema, { opType: 'Sigmoid', name: 'only', input: ['image'], output: ['y'] })],
      input: fromOurExport(spec).graph!.input,
      output: [],
    });
    const bytes = toBinary(
      ModelProtoSchema,
      create(ModelProtoSchema, {
        irVersion: 8n,
        opsetImport: [create(OperatorSetIdProtoSchema, { version: 13n })],
        graph,
      }),
    );
    expect(refusal(() => importOnnx(bytes)).details).toMatchObject({ op: 'Sigmoid', name: 'only', index: 0 });
  });
});

function fromOurExport(spec: ModelSpec) {
  const model = randomModel(spec, 5);
  return fromBinaryModel(exportOnnx(spec, model.params, model.state, meta(spec)));
}

function fromBinaryModel(bytes: Uint8Array) {
  return fromBinary(ModelProtoSchema, bytes);
}

function refusal(fn: () => unknown): AppFailure {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    return error as AppFailure;
  }
  throw new Error('expected a refusal');
}

const torch = findPython(['torch', 'onnx']);
const benchDir = path.resolve(__dirname, '../../bench');

describe.skipIf(torch.python === null)(
  `importOnnx: PyTorch's ONNX export comes back${torch.python === null ? ` (skipped: ${torch.reason})` : ''}`,
  () => {
    const cases: [string, ModelSpec][] = [
      ['small gray preset', presetSpec('small', gray28, 4)],
      ['medium rgb preset (batch norm)', presetSpec('medium', rgb32, 5)],
      // torch.onnx (1.13) cannot export nn.Unflatten, so no conv after the dense layer here
      ['every layer type', { ...every, layers: [...every.layers.slice(0, 9), { type: 'dense', units: 3 }] }],
    ];
    for (const [name, spec] of cases) {
      it(name, () => {
        const { dir, cleanup } = makeTempDir('onnx-import-torch-');
        onTestFinished(cleanup);
        const model = randomModel(spec, 21);
        const x = images(spec, 4);
        fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
        fs.writeFileSync(path.join(dir, 'params.f32'), model.params);
        fs.writeFileSync(path.join(dir, 'state.f32'), model.state);
        fs.writeFileSync(path.join(dir, 'x.f32'), x);
        const r = spawnSync(torch.python!, [path.join(__dirname, 'torch_export.py'), benchDir, dir], {
          encoding: 'utf8',
          timeout: 120_000,
        });
        expect(r.status, r.stderr).toBe(0);
        const report = JSON.parse(r.stdout) as { batchNormNodes: number };
        const back = importOnnx(new Uint8Array(fs.readFileSync(path.join(dir, 'model.onnx'))));
        const expected = new Float32Array(new Uint8Array(fs.readFileSync(path.join(dir, 'y.f32'))).buffer);
        const diff = maxAbsDiff(logits(back.spec, back.params, back.state, x), expected);
        expect(diff).toBeLessThanOrEqual(1e-4);
        // torch.onnx.export in eval mode folds a BatchNormalization that follows a Conv into the Conv's weights
        const convBn = spec.layers.filter(
          (l, i) => l.type === 'batchNorm' && spec.layers[i - 1]?.type === 'conv2d',
        );
        const bnKept = back.spec.layers.filter((l) => l.type === 'batchNorm').length;
        expect(bnKept).toBe(report.batchNormNodes);
        expect(bnKept).toBe(spec.layers.filter((l) => l.type === 'batchNorm').length - convBn.length);
      });
    }
  },
);
