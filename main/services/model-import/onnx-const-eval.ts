/**
 * Evaluates the small integer side-graphs that compute a Pad's pads or a Reshape's shape from constants.
 * PyTorch's exporter writes F.pad's pads as Constant → ConstantOfShape → Concat → Reshape → Slice (steps −1, which
 * its constant folding leaves alone) → Transpose → Reshape → Cast; this folds such chains into plain numbers.
 */
import type { NodeProto } from '../export/onnx/gen/onnx_pb';
import { intAttr, intsAttr, type OnnxGraph } from './onnx-graph';

interface IntTensor {
  dims: number[];
  values: number[];
}

const sizeOf = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const stridesOf = (dims: number[]) => dims.map((_, i) => sizeOf(dims.slice(i + 1)));

/** The integer value of tensor `name` when constants alone determine it, else null. */
export function constantInts(graph: OnnxGraph, name: string): number[] | null {
  const producers = new Map<string, NodeProto>();
  for (const n of graph.nodes) for (const o of n.output) producers.set(o, n);
  const memo = new Map<string, IntTensor | null>();
  const evaluate = (tensor: string, depth: number): IntTensor | null => {
    if (memo.has(tensor)) return memo.get(tensor)!;
    const known = graph.constants.get(tensor);
    let result: IntTensor | null = null;
    if (known) result = { dims: known.dims, values: Array.from(known.values) };
    else {
      const node = producers.get(tensor);
      if (node && depth < 32)
        result = apply(node, (i) => (node.input[i] ? evaluate(node.input[i], depth + 1) : null));
    }
    memo.set(tensor, result);
    return result;
  };
  return evaluate(name, 0)?.values ?? null;
}

function apply(node: NodeProto, input: (i: number) => IntTensor | null): IntTensor | null {
  const x = input(0);
  switch (node.opType) {
    case 'Identity':
    case 'Cast':
      return x;
    case 'ConstantOfShape': {
      if (!x) return null;
      const value = node.attribute.find((a) => a.name === 'value')?.t;
      const fill = value ? Number(value.int64Data[0] ?? value.int32Data[0] ?? 0) : 0;
      return { dims: x.values, values: new Array<number>(sizeOf(x.values)).fill(fill) };
    }
    case 'Concat': {
      const parts = node.input.map((_, i) => input(i));
      if (parts.some((p) => !p || p.dims.length !== 1) || intAttr(node, 'axis', 0) !== 0) return null;
      const values = parts.flatMap((p) => p!.values);
      return { dims: [values.length], values };
    }
    case 'Unsqueeze':
    case 'Squeeze':
    case 'Reshape':
    case 'Flatten': {
      if (!x) return null;
      if (node.opType !== 'Reshape') return { dims: [x.values.length], values: x.values };
      const shape = input(1);
      if (!shape) return null;
      const known = shape.values.reduce((a, d, i) => a * (d === -1 ? 1 : d === 0 ? x.dims[i] : d), 1);
      const dims = shape.values.map((d, i) => (d === -1 ? x.values.length / known : d === 0 ? x.dims[i] : d));
      return { dims, values: x.values };
    }
    case 'Transpose': {
      if (!x) return null;
      const perm = intsAttr(node, 'perm') ?? x.dims.map((_, i) => x.dims.length - 1 - i);
      const dims = perm.map((p) => x.dims[p]);
      const inStrides = stridesOf(x.dims);
      return {
        dims,
        values: gather(dims, (idx) => idx.reduce((o, v, i) => o + v * inStrides[perm[i]], 0), x),
      };
    }
    case 'Slice': {
      const [starts, ends, axes, steps] = [input(1), input(2), input(3), input(4)];
      if (!x || !starts || !ends) return null;
      const picks = x.dims.map((d) => Array.from({ length: d }, (_, i) => i));
      starts.values.forEach((s, k) => {
        const axis = axes ? (axes.values[k] + x.dims.length) % x.dims.length : k;
        const step = steps ? steps.values[k] : 1;
        const d = x.dims[axis];
        const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
        const out: number[] = [];
        if (step > 0) for (let i = clamp(s, 0, d); i < clamp(ends.values[k], 0, d); i += step) out.push(i);
        else for (let i = clamp(s, -1, d - 1); i > clamp(ends.values[k], -1, d - 1); i += step) out.push(i);
        picks[axis] = out;
      });
      const dims = picks.map((p) => p.length);
      const inStrides = stridesOf(x.dims);
      return {
        dims,
        values: gather(dims, (idx) => idx.reduce((o, v, i) => o + picks[i][v] * inStrides[i], 0), x),
      };
    }
    default:
      return null;
  }
}

/** The values at every index of `dims` (row-major), each read from x at offset(index). */
function gather(dims: number[], offset: (index: number[]) => number, x: IntTensor): number[] {
  const strides = stridesOf(dims);
  return Array.from(
    { length: sizeOf(dims) },
    (_, flat) => x.values[offset(dims.map((d, i) => Math.floor(flat / strides[i]) % d))],
  );
}
