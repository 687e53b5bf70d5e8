/**
 * Validates a model spec and works out, layer by layer, the shapes, parameters and cost. Both describeModel
 * (for the UI) and buildModel (to allocate buffers) start from this plan, so they can never disagree.
 */
import type { ActivationShape, LayerSpec, ModelSpec, PaddingSpec, Size2d } from '../../app/domain/model-spec';
import { convAxis, pair, poolAxis, type Pair } from './shape';
import { SpecError } from './spec-error';

/** One learned tensor of a layer. `decay` says whether weight decay applies (weights yes; biases, BN no). */
export interface ParamPlan {
  name: 'weight' | 'bias' | 'gamma' | 'beta';
  shape: number[];
  decay: boolean;
}

/** Geometry resolved for a convolution. */
export interface ConvGeometry {
  kernel: Pair;
  stride: Pair;
  padTop: number;
  padLeft: number;
}

/** Geometry resolved for a pooling layer. */
export interface PoolGeometry {
  size: Pair;
  stride: Pair;
}

/** Everything known about one layer before any buffer is allocated. */
export interface LayerPlan {
  index: number;
  spec: LayerSpec;
  inShape: ActivationShape;
  outShape: ActivationShape;
  params: ParamPlan[];
  /** Floats of non-learned state (batchnorm running mean and variance). */
  stateSize: number;
  conv?: ConvGeometry;
  pool?: PoolGeometry;
  label: string;
  macs: number;
  fullyConnectedParams: number;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function isPositiveInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

function checkSize2d(fail: (reason: string) => never, what: string, s: Size2d | undefined): Pair {
  const ok =
    isPositiveInt(s) || (Array.isArray(s) && s.length === 2 && isPositiveInt(s[0]) && isPositiveInt(s[1]));
  if (!ok)
    fail(
      `${what} must be a positive integer or [height, width] of positive integers, got ${JSON.stringify(s)}`,
    );
  return pair(s as Size2d);
}

const fmt = (p: Pair) => `${p[0]}×${p[1]}`;

/** Validates the spec (throwing a SpecError that names the layer) and returns one plan per layer. */
export function planModel(spec: ModelSpec): LayerPlan[] {
  const { input } = spec ?? ({} as ModelSpec);
  if (
    !input ||
    !isPositiveInt(input.height) ||
    !isPositiveInt(input.width) ||
    !isPositiveInt(input.channels)
  ) {
    throw new SpecError(
      null,
      null,
      `input: height, width and channels must be positive integers, got ${JSON.stringify(input)}`,
    );
  }
  if (!isPositiveInt(spec.numClasses) || spec.numClasses < 2) {
    throw new SpecError(
      null,
      null,
      `numClasses must be an integer ≥ 2, got ${JSON.stringify(spec.numClasses)}`,
    );
  }
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
    throw new SpecError(
      null,
      null,
      'the model needs at least one layer (a dense layer giving the class logits)',
    );
  }
  let shape: ActivationShape = [input.channels, input.height, input.width];
  const plans: LayerPlan[] = [];
  spec.layers.forEach((layer, index) => {
    const fail = (reason: string): never => {
      throw new SpecError(index, String((layer as { type?: unknown })?.type), reason);
    };
    const plan = planLayer(layer, index, shape, fail);
    plans.push(plan);
    shape = plan.outShape;
  });
  const last = plans[plans.length - 1];
  const fail = (reason: string): never => {
    throw new SpecError(last.index, last.spec.type, reason);
  };
  if (last.spec.type !== 'dense')
    fail(
      `the last layer must be a dense layer with ${spec.numClasses} units (numClasses): it gives the class logits`,
    );
  if (last.spec.type === 'dense' && last.spec.units !== spec.numClasses) {
    fail(
      `the last layer gives the class logits, so it needs ${spec.numClasses} units (numClasses), not ${last.spec.units}`,
    );
  }
  return plans;
}

function planLayer(
  layer: LayerSpec,
  index: number,
  inShape: ActivationShape,
  fail: (reason: string) => never,
): LayerPlan {
  const [C, H, W] = inShape;
  const inSize = C * H * W;
  const base = { index, spec: layer, inShape, params: [] as ParamPlan[], stateSize: 0, macs: 0 };
  const same = (label: string): LayerPlan => ({ ...base, outShape: inShape, label, fullyConnectedParams: 0 });
  switch (layer?.type) {
    case 'conv2d': {
      if (!isPositiveInt(layer.filters))
        fail(`filters must be a positive integer, got ${JSON.stringify(layer.filters)}`);
      const kernel = checkSize2d(fail, 'kernelSize', layer.kernelSize);
      const stride = checkSize2d(fail, 'stride', layer.stride ?? 1);
      const padding: PaddingSpec = layer.padding ?? 'valid';
      if (padding !== 'same' && padding !== 'valid' && !(Number.isInteger(padding) && padding >= 0)) {
        fail(`padding must be 'same', 'valid' or a non-negative integer, got ${JSON.stringify(padding)}`);
      }
      const y = convAxis(H, kernel[0], stride[0], padding);
      const x = convAxis(W, kernel[1], stride[1], padding);
      const padded: Pair = [H + y.padBefore + y.padAfter, W + x.padBefore + x.padAfter];
      if (kernel[0] > padded[0] || kernel[1] > padded[1]) {
        fail(`kernel ${fmt(kernel)} is larger than the padded input ${fmt(padded)}`);
      }
      const F = layer.filters;
      const outShape: ActivationShape = [F, y.out, x.out];
      const outSize = sizeOf(outShape);
      const pad = padding === 'same' ? 'same' : padding === 'valid' ? 'valid' : `pad ${padding}`;
      return {
        ...base,
        outShape,
        params: [
          { name: 'weight', shape: [F, C, kernel[0], kernel[1]], decay: true },
          { name: 'bias', shape: [F], decay: false },
        ],
        conv: { kernel, stride, padTop: y.padBefore, padLeft: x.padBefore },
        label: `conv ${fmt(kernel)}, ${F} filters, stride ${stride[0] === stride[1] ? stride[0] : fmt(stride)}, ${pad}`,
        macs: outSize * C * kernel[0] * kernel[1],
        fullyConnectedParams: inSize * outSize + outSize,
      };
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const size = checkSize2d(fail, 'size', layer.size);
      const stride = checkSize2d(fail, 'stride', layer.stride ?? layer.size);
      const oh = Math.max(0, poolAxis(H, size[0], stride[0]));
      const ow = Math.max(0, poolAxis(W, size[1], stride[1]));
      if (oh === 0 || ow === 0)
        fail(`output would be ${oh}×${ow} (window ${fmt(size)} on a ${H}×${W} input)`);
      const kind = layer.type === 'maxPool2d' ? 'max' : 'average';
      return {
        ...base,
        outShape: [C, oh, ow],
        pool: { size, stride },
        label: `${kind} pool ${fmt(size)}, stride ${stride[0] === stride[1] ? stride[0] : fmt(stride)}`,
        fullyConnectedParams: 0,
      };
    }
    case 'globalAvgPool':
      return { ...base, outShape: [C, 1, 1], label: 'global average pool', fullyConnectedParams: 0 };
    case 'flatten':
      return { ...base, outShape: [inSize, 1, 1], label: 'flatten', fullyConnectedParams: 0 };
    case 'dense': {
      if (!isPositiveInt(layer.units))
        fail(`units must be a positive integer, got ${JSON.stringify(layer.units)}`);
      const n = inSize * layer.units + layer.units;
      return {
        ...base,
        outShape: [layer.units, 1, 1],
        params: [
          { name: 'weight', shape: [layer.units, inSize], decay: true },
          { name: 'bias', shape: [layer.units], decay: false },
        ],
        label: `dense ${layer.units}`,
        macs: inSize * layer.units,
        fullyConnectedParams: n,
      };
    }
    case 'relu':
      return same('ReLU');
    case 'leakyRelu': {
      const alpha = layer.alpha ?? 0.01;
      if (!Number.isFinite(alpha) || alpha < 0 || alpha >= 1) fail(`alpha must be in [0, 1), got ${alpha}`);
      return same(`leaky ReLU ${alpha}`);
    }
    case 'dropout':
      if (!(typeof layer.rate === 'number' && layer.rate >= 0 && layer.rate < 1)) {
        fail(`rate must be in [0, 1), got ${JSON.stringify(layer.rate)}`);
      }
      return same(`dropout ${layer.rate}`);
    case 'batchNorm': {
      const momentum = layer.momentum ?? 0.1;
      const epsilon = layer.epsilon ?? 1e-5;
      if (!(momentum > 0 && momentum <= 1)) fail(`momentum must be in (0, 1], got ${momentum}`);
      if (!(epsilon > 0)) fail(`epsilon must be positive, got ${epsilon}`);
      return {
        ...base,
        outShape: inShape,
        params: [
          { name: 'gamma', shape: [C], decay: false },
          { name: 'beta', shape: [C], decay: false },
        ],
        stateSize: 2 * C,
        label: 'batch norm',
        fullyConnectedParams: 2 * C,
      };
    }
    default:
      return fail('unknown layer type');
  }
}
