/**
 * One ONNX node → one CNN Studio layer with its weights in the core's flat order (native-workers/cnn/params.ts:
 * conv OIHW and dense [out, in], as ONNX has them; batch norm gamma, beta, then running mean, variance as state).
 * Each translator checks the attributes our layer cannot express and names the node when one does not fit.
 */
import type { LayerSpec, PaddingSpec, Size2d } from '../../../app/domain/model-spec';
import { convAxis, poolAxis } from '../../../native-workers/cnn/shape';
import { floatAttr, intAttr, intsAttr, stringAttr, type ConstTensor, type OnnxGraph } from './onnx-graph';
import { constantInts } from './onnx-const-eval';
import { unsupportedAttribute, type NodeRef } from './onnx-errors';

/** A mapped layer: its spec, its parameter tensors in the core's order, its state (batch norm). */
export interface MappedLayer {
  spec: LayerSpec;
  params: Float32Array[];
  state: Float32Array[];
}

/** The activation shape [C, H, W] (dense outputs [units, 1, 1]) and whether the tensor is still 4-D in ONNX. */
export interface Activation {
  shape: [number, number, number];
  rank4: boolean;
}

/** [top, left, bottom, right] zeros from a Pad node folded into the following Conv. */
export type Pads = [number, number, number, number];

const size2d = (a: number, b: number): Size2d => (a === b ? a : [a, b]);

/** Float32 attribute values as the decimal a person wrote (0.009999999776 → 0.01). */
export const tidy = (x: number): number => Number(Math.fround(x).toPrecision(7));

export function floatInput(
  graph: OnnxGraph,
  ref: NodeRef,
  position: number,
  what: string,
): ConstTensor & { kind: 'float' } {
  const name = ref.node.input[position];
  const c = name ? graph.constants.get(name) : undefined;
  if (!c || c.kind !== 'float')
    throw unsupportedAttribute(ref, what, name ? `non-constant "${name}"` : 'missing');
  return c;
}

export function optionalFloatInput(graph: OnnxGraph, ref: NodeRef, position: number, what: string) {
  return ref.node.input[position] ? floatInput(graph, ref, position, what) : null;
}

/** The zeros a Pad node adds to H and W (constant mode, value 0, nothing on N and C), or an error naming it. */
export function padOf(graph: OnnxGraph, ref: NodeRef): Pads {
  const { node } = ref;
  const mode = stringAttr(node, 'mode', 'constant');
  if (mode !== 'constant') throw unsupportedAttribute(ref, 'mode', mode);
  const pads = node.input[1] ? constantInts(graph, node.input[1]) : intsAttr(node, 'pads');
  if (!pads || pads.length !== 8) throw unsupportedAttribute(ref, 'pads', pads ?? 'non-constant');
  const value = node.input[2] ? graph.constants.get(node.input[2]) : undefined;
  if (node.input[2] && (!value || Array.from(value.values).some((v) => v !== 0)))
    throw unsupportedAttribute(ref, 'constant_value', value ? Array.from(value.values) : 'non-constant');
  if (floatAttr(node, 'value', 0) !== 0)
    throw unsupportedAttribute(ref, 'value', floatAttr(node, 'value', 0));
  const [n0, c0, t, l, n1, c1, b, r] = pads;
  if (n0 || c0 || n1 || c1 || [t, l, b, r].some((p) => p < 0)) throw unsupportedAttribute(ref, 'pads', pads);
  return [t, l, b, r];
}

/** Conv (group 1, dilation 1) with its padding as ours: 'same' (SAME_UPPER), one number, or 'valid'. */
export function convLayer(
  graph: OnnxGraph,
  ref: NodeRef,
  act: Activation,
  extraPads: Pads | null,
): MappedLayer {
  const { node } = ref;
  const [C, H, W] = act.shape;
  const weight = floatInput(graph, ref, 1, 'weight');
  if (weight.dims.length !== 4) throw unsupportedAttribute(ref, 'weight dims', weight.dims);
  const [F, wc, kh, kw] = weight.dims;
  const group = intAttr(node, 'group', 1);
  if (group !== 1) throw unsupportedAttribute(ref, 'group', group);
  if (wc !== C) throw unsupportedAttribute(ref, 'input channels', wc);
  const dilations = intsAttr(node, 'dilations') ?? [1, 1];
  if (dilations.some((d) => d !== 1)) throw unsupportedAttribute(ref, 'dilations', dilations);
  const kernel = intsAttr(node, 'kernel_shape') ?? [kh, kw];
  if (kernel[0] !== kh || kernel[1] !== kw) throw unsupportedAttribute(ref, 'kernel_shape', kernel);
  const [sh, sw] = intsAttr(node, 'strides') ?? [1, 1];
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
  const same: Pads = (() => {
    const y = convAxis(H, kh, sh, 'same');
    const x = convAxis(W, kw, sw, 'same');
    return [y.padBefore, x.padBefore, y.padAfter, x.padAfter];
  })();
  let pads: Pads;
  if (autoPad === 'SAME_UPPER') pads = same;
  else if (autoPad === 'SAME_LOWER') {
    pads = [same[2], same[3], same[0], same[1]];
  } else if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  else if (autoPad === 'NOTSET') {
    const p = intsAttr(node, 'pads') ?? [0, 0, 0, 0];
    if (p.length !== 4) throw unsupportedAttribute(ref, 'pads', p);
    pads = [p[0], p[1], p[2], p[3]];
  } else throw unsupportedAttribute(ref, 'auto_pad', autoPad);
  if (extraPads) pads = pads.map((p, i) => p + extraPads[i]) as Pads;
  let padding: PaddingSpec;
  if (pads.every((p, i) => p === same[i]) && pads.some((p) => p > 0)) padding = 'same';
  else if (pads.every((p) => p === 0)) padding = 'valid';
  else if (pads.every((p) => p === pads[0])) padding = pads[0];
  else throw unsupportedAttribute(ref, extraPads ? 'pads (with the Pad before it)' : 'pads', pads);
  const bias = optionalFloatInput(graph, ref, 2, 'bias')?.values ?? new Float32Array(F);
  if (bias.length !== F) throw unsupportedAttribute(ref, 'bias length', bias.length);
  const y = convAxis(H, kh, sh, padding);
  const x = convAxis(W, kw, sw, padding);
  if (y.out < 1 || x.out < 1) throw unsupportedAttribute(ref, 'output size', [y.out, x.out]);
  act.shape = [F, y.out, x.out];
  // stride and padding spelled out, as the presets write them
  const spec: LayerSpec = {
    type: 'conv2d',
    filters: F,
    kernelSize: size2d(kh, kw),
    stride: size2d(sh, sw),
    padding,
  };
  return { spec, params: [weight.values, bias], state: [] };
}

/** MaxPool / AveragePool without padding, floor rounding, dilation 1. */
export function poolLayer(ref: NodeRef, act: Activation): MappedLayer {
  const { node } = ref;
  const kernel = intsAttr(node, 'kernel_shape');
  if (!kernel || kernel.length !== 2) throw unsupportedAttribute(ref, 'kernel_shape', kernel ?? 'missing');
  const strides = intsAttr(node, 'strides') ?? [1, 1]; // ONNX's default stride is 1 (ours is the window)
  const pads = intsAttr(node, 'pads') ?? [0, 0, 0, 0];
  if (pads.some((p) => p !== 0)) throw unsupportedAttribute(ref, 'pads', pads);
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') throw unsupportedAttribute(ref, 'auto_pad', autoPad);
  const ceil = intAttr(node, 'ceil_mode', 0);
  if (ceil !== 0) throw unsupportedAttribute(ref, 'ceil_mode', ceil);
  const dilations = intsAttr(node, 'dilations') ?? [1, 1];
  if (dilations.some((d) => d !== 1)) throw unsupportedAttribute(ref, 'dilations', dilations);
  if (node.opType === 'MaxPool' && node.output.length > 1 && node.output[1])
    throw unsupportedAttribute(ref, 'Indices output', node.output[1]);
  const [C, H, W] = act.shape;
  const oh = poolAxis(H, kernel[0], strides[0]);
  const ow = poolAxis(W, kernel[1], strides[1]);
  if (oh < 1 || ow < 1) throw unsupportedAttribute(ref, 'output size', [oh, ow]);
  act.shape = [C, oh, ow];
  return {
    spec: {
      type: node.opType === 'MaxPool' ? 'maxPool2d' : 'avgPool2d',
      size: size2d(kernel[0], kernel[1]),
      stride: size2d(strides[0], strides[1]),
    },
    params: [],
    state: [],
  };
}

/** BatchNormalization in inference form: scale, B, mean, var; ONNX's momentum weighs the OLD statistics. */
export function batchNormLayer(graph: OnnxGraph, ref: NodeRef, act: Activation): MappedLayer {
  const C = act.shape[0];
  const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) =>
    floatInput(graph, ref, i, ['', 'scale', 'B', 'input_mean', 'input_var'][i]),
  );
  for (const t of [gamma, beta, mean, variance])
    if (t.values.length !== C) throw unsupportedAttribute(ref, 'channels', t.values.length);
  if (ref.node.output.filter((o) => o).length > 1)
    throw unsupportedAttribute(ref, 'training_mode outputs', ref.node.output.length);
  const spec: LayerSpec = { type: 'batchNorm' };
  const epsilon = tidy(floatAttr(ref.node, 'epsilon', 1e-5));
  const momentum = tidy(1 - floatAttr(ref.node, 'momentum', 0.9));
  if (momentum !== 0.1) spec.momentum = momentum;
  if (epsilon !== 1e-5) spec.epsilon = epsilon;
  return { spec, params: [gamma.values, beta.values], state: [mean.values, variance.values] };
}

/** Gemm (transA 0; transB 1 as we write it, or 0 transposed) as a dense layer; alpha and beta folded in. */
export function gemmLayer(graph: OnnxGraph, ref: NodeRef, act: Activation): MappedLayer {
  const { node } = ref;
  const transA = intAttr(node, 'transA', 0);
  if (transA !== 0) throw unsupportedAttribute(ref, 'transA', transA);
  const b = floatInput(graph, ref, 1, 'B');
  const transB = intAttr(node, 'transB', 0);
  const features = act.shape[0] * act.shape[1] * act.shape[2];
  if (b.dims.length !== 2) throw unsupportedAttribute(ref, 'B dims', b.dims);
  const [out, inSize] = transB ? b.dims : [b.dims[1], b.dims[0]];
  if (inSize !== features) throw unsupportedAttribute(ref, 'input features', inSize);
  const weight = transB ? Float32Array.from(b.values) : transpose(b.values, inSize, out);
  const alpha = floatAttr(node, 'alpha', 1);
  if (alpha !== 1) for (let i = 0; i < weight.length; i++) weight[i] *= alpha;
  const c = optionalFloatInput(graph, ref, 2, 'C');
  const beta = floatAttr(node, 'beta', 1);
  const bias = new Float32Array(out);
  if (c) {
    if (c.values.length !== out && c.values.length !== 1)
      throw unsupportedAttribute(ref, 'C length', c.values.length);
    for (let i = 0; i < out; i++) bias[i] = beta * c.values[c.values.length === 1 ? 0 : i];
  }
  act.shape = [out, 1, 1];
  act.rank4 = false;
  return { spec: { type: 'dense', units: out }, params: [weight, bias], state: [] };
}

/** MatMul by a constant [in, out] matrix: a dense layer with a zero bias until an Add supplies one. */
export function matMulLayer(graph: OnnxGraph, ref: NodeRef, act: Activation): MappedLayer {
  const b = floatInput(graph, ref, 1, 'B');
  const features = act.shape[0] * act.shape[1] * act.shape[2];
  if (b.dims.length !== 2 || b.dims[0] !== features) throw unsupportedAttribute(ref, 'B dims', b.dims);
  const out = b.dims[1];
  act.shape = [out, 1, 1];
  act.rank4 = false;
  return {
    spec: { type: 'dense', units: out },
    params: [transpose(b.values, features, out), new Float32Array(out)],
    state: [],
  };
}

/** Add of a constant vector to a dense layer's output: its bias. */
export function addBias(graph: OnnxGraph, ref: NodeRef, current: string, dense: MappedLayer): void {
  const other = ref.node.input[0] === current ? 1 : 0;
  const c = graph.constants.get(ref.node.input[other]);
  const bias = dense.params[1];
  if (!c || c.kind !== 'float' || (c.values.length !== bias.length && c.values.length !== 1))
    throw unsupportedAttribute(ref, 'addend', c ? c.dims : 'non-constant');
  for (let i = 0; i < bias.length; i++) bias[i] += c.values[c.values.length === 1 ? 0 : i];
}

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = values[r * cols + c];
  return t;
}
