/**
 * The PyTorch fixtures (scripts/gen-torch-fixtures.py → test/fixtures/torch) through every kernel backend this
 * machine has: the reference ops, the native addon at each instruction set the CPU supports, and the wasm SIMD
 * module this Node picks. torch-fixtures.test.ts calls the readable ops directly; here each case runs through the
 * layer a Model builds over the backend's KernelSet, so whatever a layer calls (a KernelSet op, a fused op, or the
 * reference op where the KernelSet has none) is what is compared, with buffers sized for a larger batch than is live,
 * as in a model's last partial batch. Whole networks run through buildModel(spec, { kernels }).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputSpec, LayerSpec, ModelSpec } from '../../../app/domain/model-spec';
import type { KernelSet } from '../../../native-workers/cnn/kernel-set';
import { conv2dShapeOf } from '../../../native-workers/cnn/layers/geometry';
import { buildModel, type Model } from '../../../native-workers/cnn/model';
import type { ParamEntry } from '../../../native-workers/cnn/params';
import { sizeOf } from '../../../native-workers/cnn/plan';
import { kernelsBackend, kernelsFor, type KernelChoice } from '../../../native-workers/kernels/fast-kernels';
import { loadNativeAddon } from '../../../native-workers/kernels/native-kernels';
import { wasmKernelsVariant, wasmSimdSupported } from '../../../native-workers/kernels/wasm-kernels';
import { expectClose, f32, loadFixtures as load } from './torch-fixtures';

/** A backend to run the fixtures on, and what kernelsBackend(choice) must report once it is selected. */
interface Backend {
  name: string;
  choice: Exclude<KernelChoice, 'auto'>;
  /** The addon's instruction set to switch to (native only). */
  isa?: string;
  expectedBackend: () => string;
}

// Without the addon the native rows are absent here; CI requires it (native-kernels.test.ts fails there without it).
const addon = loadNativeAddon();
const bestIsa = addon?.useIsa();
const backends: Backend[] = [
  { name: 'reference', choice: 'reference', expectedBackend: () => 'reference' },
  ...(addon?.isas() ?? []).map((isa): Backend => ({
    name: `native ${isa}`,
    choice: 'native',
    isa,
    expectedBackend: () => `native-${isa}`,
  })),
  // The module this Node validates: plain SIMD under Node 20, relaxed SIMD (FMA) under Node >= 22 and Electron.
  ...(wasmSimdSupported()
    ? [
        {
          name: 'wasm',
          choice: 'wasm',
          expectedBackend: () =>
            wasmKernelsVariant() === 'relaxed-simd' ? 'wasm-relaxed-simd' : 'wasm-simd',
        } satisfies Backend,
      ]
    : []),
];

/** The tail of every buffer past the live batch: must be neither read (it would spread NaN) nor written. */
const TAIL = NaN;

/**
 * Layer 0 of a model over `kernels` (followed by flatten and a 2-class dense layer, which are never run), with
 * parameters, gradients and state as zeroed views of the model's flat buffers, for a live batch of `batch` images
 * in buffers sized for batch + 1.
 */
function singleLayer(kernels: KernelSet, input: InputSpec, spec: LayerSpec, batch: number) {
  const model = buildModel(
    { input, layers: [spec, { type: 'flatten' }, { type: 'dense', units: 2 }], numClasses: 2 },
    { seed: 1, batchSize: batch + 1, kernels, skipInit: true },
  );
  const layer = model.layers[0];
  const inSize = batch * sizeOf(layer.inShape);
  const outSize = batch * sizeOf(layer.outShape);
  const view = (buffer: Float32Array, kind: ParamEntry['kind']) => {
    const e = model.layout.entries.find((x) => x.layerIndex === 0 && x.kind === kind)!;
    return buffer.subarray(e.offset, e.offset + e.length);
  };
  /** A buffer for batch + 1 images: `head` (or zeros) for the live batch, then the tail. */
  const buffer = (size: number, head?: ArrayLike<number>) => {
    const b = new Float32Array(size + size / batch).fill(TAIL);
    if (head) b.set(head);
    else b.fill(0, 0, size);
    return b;
  };
  const expectTailUntouched = (b: Float32Array, live: number, what: string) =>
    expect(
      b.subarray(live).every((v) => Number.isNaN(v)),
      `${what}: written past the live batch`,
    ).toBe(true);
  let lastInput: Float32Array | null = null;
  let lastOutput: Float32Array | null = null;
  return {
    model,
    layer,
    param: (kind: ParamEntry['kind']) => view(model.params, kind),
    grad: (kind: ParamEntry['kind']) => view(model.grads, kind),
    forward(inp: ArrayLike<number>, training: boolean): Float32Array {
      lastInput = buffer(inSize, inp);
      lastOutput = buffer(outSize).fill(TAIL); // NaN everywhere: forward must write every live output
      layer.forward(lastInput, lastOutput, batch, training);
      expectTailUntouched(lastOutput, outSize, 'forward');
      return lastOutput.subarray(0, outSize);
    },
    /** The layer's fused forward + relu, when this KernelSet gives it one. */
    forwardRelu(inp: ArrayLike<number>): Float32Array | null {
      if (!layer.forwardRelu) return null;
      const out = buffer(outSize).fill(TAIL);
      layer.forwardRelu(buffer(inSize, inp), out, batch);
      expectTailUntouched(out, outSize, 'forward + relu');
      return out.subarray(0, outSize);
    },
    /** Backward after the last training forward; returns the input gradient. */
    backward(dout: ArrayLike<number>): Float32Array {
      const dinp = buffer(inSize);
      layer.backward(lastInput!, lastOutput!, buffer(outSize, dout), dinp, batch);
      expectTailUntouched(dinp, inSize, 'backward');
      return dinp.subarray(0, inSize);
    },
  };
}

const relu = (a: ArrayLike<number>) => Array.from(a, (v) => Math.max(0, v));

/** Logits, loss, every gradient, the running statistics and eval logits (fused and not) of a whole network. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function checkNet(model: Model, c: any): void {
  model.loadParams(f32(c.params));
  const { loss } = model.computeGradients(f32(c.input), c.labels);
  expectClose('logits', model.activations[model.layers.length - 1].subarray(0, c.logits.length), c.logits);
  expect(Math.abs(loss - c.loss)).toBeLessThan(1e-5 * Math.max(1, c.loss));
  expectClose('all parameter gradients', model.grads, c.grads);
  expectClose('batchnorm running stats', model.state, c.stateAfter);
  expectClose(
    'eval logits (fused where the kernels fuse)',
    model.forward(f32(c.input), { training: false }),
    c.evalLogits,
  );
  expectClose('eval logits (unfused)', model.forwardUnfused(f32(c.input)), c.evalLogits);
}

describe.each(backends)('PyTorch fixtures on the $name kernels', (backend) => {
  let k: KernelSet;
  beforeAll(() => {
    if (backend.isa) addon!.useIsa(backend.isa); // the addon dispatches every call on the thread's current ISA
    k = kernelsFor(backend.choice);
  });
  afterAll(() => {
    if (bestIsa) addon!.useIsa(bestIsa);
  });

  it('runs the backend it names', () => {
    expect(kernelsBackend(backend.choice)).toBe(backend.expectedBackend());
  });

  for (const c of load('conv2d.json')) {
    it(`conv2d: ${c.name}`, () => {
      const s = c.shape;
      const l = singleLayer(
        k,
        { channels: s.inChannels, height: s.inHeight, width: s.inWidth },
        {
          type: 'conv2d',
          filters: s.outChannels,
          kernelSize: [s.kernelHeight, s.kernelWidth],
          stride: [s.strideH, s.strideW],
          padding: c.padding,
        },
        s.batch,
      );
      // the plan's geometry (output size, and which side 'same' pads more) is torch's
      expect(conv2dShapeOf(l.model.plans[0], s.batch)).toEqual(s);
      l.param('weight').set(c.weight);
      l.param('bias').set(c.bias);
      expectClose('out', l.forward(c.inp, true), c.out);
      expectClose('dinp', l.backward(c.dout), c.dinp);
      expectClose('dweight', l.grad('weight'), c.dweight);
      expectClose('dbias', l.grad('bias'), c.dbias);
      const fused = l.forwardRelu(c.inp);
      if (fused) expectClose('fused relu(out)', fused, relu(c.out));
    });
  }

  for (const c of load('pool.json')) {
    it(`pool: ${c.name}`, () => {
      const s = c.shape;
      const l = singleLayer(
        k,
        { channels: s.channels, height: s.inHeight, width: s.inWidth },
        {
          type: c.kind === 'max' ? 'maxPool2d' : 'avgPool2d',
          size: [s.poolHeight, s.poolWidth],
          stride: [s.strideH, s.strideW],
        },
        s.batch,
      );
      expectClose('out', l.forward(c.inp, true), c.out);
      expectClose('dinp', l.backward(c.dout), c.dinp);
    });
  }

  for (const c of load('global-avg-pool.json')) {
    it(`global average pool: ${c.name}`, () => {
      const s = c.shape;
      const l = singleLayer(
        k,
        { channels: s.channels, height: s.height, width: s.width },
        { type: 'globalAvgPool' },
        s.batch,
      );
      expectClose('out', l.forward(c.inp, true), c.out);
      expectClose('dinp', l.backward(c.dout), c.dinp);
    });
  }

  for (const c of load('dense.json')) {
    it(`dense: ${c.name}`, () => {
      const s = c.shape;
      const l = singleLayer(
        k,
        { channels: s.inFeatures, height: 1, width: 1 },
        { type: 'dense', units: s.outFeatures },
        s.batch,
      );
      l.param('weight').set(c.weight);
      l.param('bias').set(c.bias);
      expectClose('out', l.forward(c.inp, true), c.out);
      expectClose('dinp', l.backward(c.dout), c.dinp);
      expectClose('dweight', l.grad('weight'), c.dweight);
      expectClose('dbias', l.grad('bias'), c.dbias);
    });
  }

  for (const c of load('batch-norm.json')) {
    it(`batch norm: ${c.name}`, () => {
      const s = c.shape;
      const l = singleLayer(
        k,
        { channels: s.channels, height: c.height, width: c.width },
        { type: 'batchNorm', epsilon: s.epsilon, momentum: s.momentum },
        s.batch,
      );
      l.param('gamma').set(c.gamma);
      l.param('beta').set(c.beta);
      const running = l.model.state; // [mean, var] of layer 0
      running.set([...c.runningMeanBefore, ...c.runningVarBefore]);
      expectClose('out', l.forward(c.inp, true), c.out);
      expectClose('running mean and var', running, [...c.runningMeanAfter, ...c.runningVarAfter]);
      expectClose('dinp', l.backward(c.dout), c.dinp);
      expectClose('dgamma', l.grad('gamma'), c.dgamma);
      expectClose('dbeta', l.grad('beta'), c.dbeta);
      expectClose('eval out', l.forward(c.evalInp, false), c.evalOut);
    });
  }

  for (const c of load('net.json')) {
    it(`whole network: ${c.name}`, () => {
      const spec: ModelSpec = c.spec;
      // batch + 1: the live batch is a prefix of the buffers, as in the last batch of an epoch
      checkNet(buildModel(spec, { seed: 0, batchSize: c.batch + 1, kernels: k }), c);
    });
  }
});
