/**
 * Reading an ONNX file for the importer: the ModelProto decoded with the generated protobuf code, the constant
 * tensors (initializers and Constant nodes) by name, attribute accessors, and the graph's input. Everything that
 * is wrong with the file itself (not protobuf, no graph, tensors of other types) is an `onnx-unreadable` failure.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { AppFailure } from '../../../app/ipc/result';
import {
  ModelProtoSchema,
  TensorProto_DataType,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
} from '../export/onnx/gen/onnx_pb';

/** A constant tensor: float32 values or int64 values (as numbers), with its dims. */
export type ConstTensor =
  { kind: 'float'; dims: number[]; values: Float32Array } | { kind: 'int'; dims: number[]; values: number[] };

export interface OnnxGraph {
  nodes: NodeProto[];
  constants: Map<string, ConstTensor>;
  /** The one data input (a graph input that is not an initializer). */
  input: { name: string; dims: (number | null)[] };
  outputs: string[];
  metadata: Map<string, string>;
}

export function unreadable(why: string): AppFailure {
  return new AppFailure('invalid-payload', `Not a readable ONNX model: ${why}.`, {
    code: 'onnx-unreadable',
    reason: why,
  });
}

/** Decodes one tensor; only float32 and int64 are meaningful to the layers we map. */
export function decodeTensor(t: TensorProto): ConstTensor | null {
  const dims = t.dims.map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  if (t.dataType === TensorProto_DataType.FLOAT) {
    let values: Float32Array;
    if (t.rawData.length > 0) {
      if (t.rawData.length !== count * 4) throw unreadable(`tensor "${t.name}" has the wrong size`);
      values = new Float32Array(count);
      new Uint8Array(values.buffer).set(t.rawData); // copy: raw_data may sit at an unaligned offset
    } else values = Float32Array.from(t.floatData);
    if (values.length !== count) throw unreadable(`tensor "${t.name}" has the wrong size`);
    return { kind: 'float', dims, values };
  }
  if (t.dataType === TensorProto_DataType.INT64) {
    let values: number[];
    if (t.rawData.length > 0) {
      const copy = new Uint8Array(t.rawData);
      values = Array.from(new BigInt64Array(copy.buffer, 0, copy.length / 8), Number);
    } else values = t.int64Data.map(Number);
    return { kind: 'int', dims, values };
  }
  return null;
}

export function parseOnnx(bytes: Uint8Array): OnnxGraph {
  let model;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (error) {
    throw unreadable((error as Error).message);
  }
  const graph = model.graph;
  if (!graph || graph.node.length === 0) throw unreadable('the file has no graph');
  const constants = new Map<string, ConstTensor>();
  for (const t of graph.initializer) {
    const c = decodeTensor(t);
    if (c) constants.set(t.name, c);
  }
  for (const n of graph.node) {
    if (n.opType !== 'Constant' || n.output.length !== 1) continue;
    const value = n.attribute.find((a) => a.name === 'value')?.t;
    const c = value ? decodeTensor(value) : null;
    if (c) constants.set(n.output[0], c);
  }
  const initializerNames = new Set(graph.initializer.map((t) => t.name));
  const inputs = graph.input.filter((i) => !initializerNames.has(i.name));
  if (inputs.length !== 1)
    throw unreadable(`the graph has ${inputs.length} data inputs; an image classifier has one`);
  const type = inputs[0].type?.value;
  const dims =
    type?.case === 'tensorType'
      ? (type.value.shape?.dim ?? []).map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : null))
      : [];
  return {
    nodes: graph.node,
    constants,
    input: { name: inputs[0].name, dims },
    outputs: graph.output.map((o) => o.name),
    metadata: new Map(model.metadataProps.map((p) => [p.key, p.value])),
  };
}

export function attr(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute.find((a) => a.name === name);
}

export function intAttr(node: NodeProto, name: string, fallback: number): number {
  const a = attr(node, name);
  return a ? Number(a.i) : fallback;
}

export function floatAttr(node: NodeProto, name: string, fallback: number): number {
  const a = attr(node, name);
  return a ? a.f : fallback;
}

export function intsAttr(node: NodeProto, name: string): number[] | null {
  const a = attr(node, name);
  return a ? a.ints.map(Number) : null;
}

export function stringAttr(node: NodeProto, name: string, fallback: string): string {
  const a = attr(node, name);
  return a ? new TextDecoder().decode(a.s) : fallback;
}
