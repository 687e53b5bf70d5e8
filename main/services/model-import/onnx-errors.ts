/** The importer's refusals: the node (index in graph.node, op type, name) and, for an attribute, which and why. */
import { AppFailure } from '../../../app/ipc/result';
import type { NodeProto } from '../export/onnx/gen/onnx_pb';

/** The ops the importer maps onto CNN Studio's layers (for the message). */
export const SUPPORTED_OPS =
  'Conv, Relu, LeakyRelu, MaxPool, AveragePool, GlobalAveragePool, BatchNormalization, Dropout, Flatten, ' +
  'Reshape, Gemm, MatMul + Add, Pad (before a Conv), Identity and a final Softmax';

export interface NodeRef {
  index: number;
  node: NodeProto;
}

/** A node whose op type has no CNN Studio layer. */
export function unsupportedNode({ index, node }: NodeRef): AppFailure {
  return new AppFailure(
    'invalid-payload',
    `unsupported ONNX node ${index} (${node.opType} "${node.name}"): CNN Studio's networks use ${SUPPORTED_OPS}.`,
    { code: 'onnx-unsupported-node', op: node.opType, name: node.name, index, attribute: null, value: null },
  );
}

/** A node of a supported op whose attribute (or input) CNN Studio's layer cannot express. */
export function unsupportedAttribute(
  { index, node }: NodeRef,
  attribute: string,
  value: unknown,
): AppFailure {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return new AppFailure(
    'invalid-payload',
    `unsupported ONNX node ${index} (${node.opType} "${node.name}"): ${attribute} = ${shown} is not supported ` +
      `by CNN Studio's layers.`,
    { code: 'onnx-unsupported-node', op: node.opType, name: node.name, index, attribute, value: shown },
  );
}

/** The graph as a whole does not make a CNN Studio network (a branch, no classifier at the end, …). */
export function unsupportedGraph(reason: string): AppFailure {
  return new AppFailure('invalid-payload', `The ONNX graph is not a network CNN Studio can run: ${reason}.`, {
    code: 'onnx-unsupported-graph',
    reason,
  });
}
