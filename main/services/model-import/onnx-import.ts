/**
 * ONNX → ModelSpec: walks the graph from its image input along the chain of nodes that consume each tensor and maps
 * every node onto a CNN Studio layer (onnx-layers.ts). Our own ONNX export (main/services/export/onnx) and PyTorch's
 * torch.onnx.export of an nn.Sequential of the same layers both come back. The final Softmax (or LogSoftmax) is
 * dropped: our models output logits and the app applies the softmax, which gives the same probabilities. Anything
 * else stops at the FIRST node that does not fit, naming it.
 */
import type { InputSpec, LayerSpec, ModelSpec } from '../../../app/domain/model-spec';
import { layoutParams } from '../../../native-workers/cnn/params';
import { planModel } from '../../../native-workers/cnn/plan';
import { constantInts } from './onnx-const-eval';
import { parseOnnx, intAttr, floatAttr, type OnnxGraph } from './onnx-graph';
import { unsupportedAttribute, unsupportedGraph, unsupportedNode, type NodeRef } from './onnx-errors';
import {
  addBias,
  batchNormLayer,
  convLayer,
  gemmLayer,
  matMulLayer,
  padOf,
  poolLayer,
  tidy,
  type Activation,
  type MappedLayer,
  type Pads,
} from './onnx-layers';

export interface OnnxImport {
  spec: ModelSpec;
  params: Float32Array;
  state: Float32Array;
  /** Class names from the model's metadata_props `labels` (our export writes them), else null. */
  labels: string[] | null;
}

/** Reads an ONNX classifier. `fallbackInput` stands in for an input whose C, H, W are not fixed in the graph. */
export function importOnnx(bytes: Uint8Array, fallbackInput?: InputSpec): OnnxImport {
  const graph = parseOnnx(bytes);
  const input = inputOf(graph, fallbackInput);
  const layers = walk(graph, { shape: [input.channels, input.height, input.width], rank4: true });
  const kept = dropRedundantFlattens(layers);
  const last = kept[kept.length - 1]?.spec;
  if (!last || last.type !== 'dense')
    throw unsupportedGraph(
      'it does not end in a fully connected layer (Gemm or MatMul) giving the class scores',
    );
  const spec: ModelSpec = { input, layers: kept.map((l) => l.spec), numClasses: last.units };
  let layout;
  try {
    layout = layoutParams(planModel(spec));
  } catch (error) {
    throw unsupportedGraph((error as Error).message);
  }
  const params = concat(kept.flatMap((l) => l.params));
  const state = concat(kept.flatMap((l) => l.state));
  if (params.length !== layout.paramCount || state.length !== layout.stateCount)
    throw unsupportedGraph(`the weights (${params.length}) do not fit the network (${layout.paramCount})`);
  return { spec, params, state, labels: labelsOf(graph, spec.numClasses) };
}

function inputOf(graph: OnnxGraph, fallback?: InputSpec): InputSpec {
  const dims = graph.input.dims;
  if (dims.length !== 4)
    throw unsupportedGraph(`its input "${graph.input.name}" is not an [N, C, H, W] image`);
  const [, c, h, w] = dims;
  if (c !== null && h !== null && w !== null) {
    if (c !== 1 && c !== 3) throw unsupportedGraph(`its input has ${c} channels (1 gray or 3 RGB)`);
    return { channels: c, height: h, width: w };
  }
  if (!fallback) throw unsupportedGraph('its input size is not fixed');
  return { ...fallback };
}

/** The consumers of each tensor, by node index (Constant nodes feed, they are not part of the chain). */
function consumersOf(graph: OnnxGraph): Map<string, number[]> {
  const map = new Map<string, number[]>();
  graph.nodes.forEach((n, i) => {
    for (const name of new Set(n.input)) {
      if (!name || graph.constants.has(name)) continue;
      map.set(name, [...(map.get(name) ?? []), i]);
    }
  });
  return map;
}

function walk(graph: OnnxGraph, act: Activation): MappedLayer[] {
  const consumers = consumersOf(graph);
  const layers: MappedLayer[] = [];
  let current = graph.input.name;
  let pendingPad: { ref: NodeRef; pads: Pads } | null = null;
  let lastOp = '';
  let ended = false;
  for (;;) {
    const next = consumers.get(current) ?? [];
    if (next.length === 0) break;
    const ref: NodeRef = { index: next[0], node: graph.nodes[next[0]] };
    if (ended) throw unsupportedNode(ref); // nothing may follow the final Softmax
    if (next.length > 1)
      throw unsupportedGraph(
        `tensor "${current}" feeds ${next.length} nodes (only a chain of layers is supported)`,
      );
    const { node } = ref;
    if (pendingPad && node.opType !== 'Conv')
      throw unsupportedAttribute(pendingPad.ref, 'followed by', node.opType);
    switch (node.opType) {
      case 'Pad': {
        const pads = padOf(graph, ref);
        // zeros only matter before a Conv (folded into its padding); torch writes an empty Pad before AveragePool
        if (pads.some((p) => p > 0)) pendingPad = { ref, pads };
        break;
      }
      case 'Conv':
        layers.push(convLayer(graph, ref, act, pendingPad?.pads ?? null));
        pendingPad = null;
        break;
      case 'Relu':
        layers.push({ spec: { type: 'relu' }, params: [], state: [] });
        break;
      case 'LeakyRelu': {
        const alpha = tidy(floatAttr(node, 'alpha', 0.01));
        layers.push({
          spec: alpha === 0.01 ? { type: 'leakyRelu' } : { type: 'leakyRelu', alpha },
          params: [],
          state: [],
        });
        break;
      }
      case 'MaxPool':
      case 'AveragePool':
        layers.push(poolLayer(ref, act));
        break;
      case 'GlobalAveragePool':
        act.shape = [act.shape[0], 1, 1];
        layers.push({ spec: { type: 'globalAvgPool' }, params: [], state: [] });
        break;
      case 'BatchNormalization':
        layers.push(batchNormLayer(graph, ref, act));
        break;
      case 'Dropout':
        layers.push({ spec: { type: 'dropout', rate: dropoutRate(graph, ref) }, params: [], state: [] });
        break;
      case 'Flatten':
        flatten(ref, act, layers);
        break;
      case 'Reshape':
        reshape(graph, ref, act, layers);
        break;
      case 'Gemm':
        layers.push(gemmLayer(graph, ref, act));
        break;
      case 'MatMul':
        layers.push(matMulLayer(graph, ref, act));
        break;
      case 'Add':
        if (lastOp !== 'MatMul') throw unsupportedNode(ref);
        addBias(graph, ref, current, layers[layers.length - 1]);
        break;
      case 'Identity':
        break;
      case 'Softmax':
      case 'LogSoftmax': {
        const axis = intAttr(node, 'axis', -1);
        if (act.rank4 || (axis !== 1 && axis !== -1)) throw unsupportedAttribute(ref, 'axis', axis);
        ended = true; // probabilities (or their log) from the logits: the app's own softmax gives the same
        break;
      }
      default:
        throw unsupportedNode(ref);
    }
    lastOp = node.opType;
    current = node.output[0];
  }
  if (pendingPad) throw unsupportedAttribute(pendingPad.ref, 'followed by', 'nothing');
  if (!graph.outputs.includes(current))
    throw unsupportedGraph(`the chain from the input ends at "${current}", which is not the graph's output`);
  return layers;
}

function dropoutRate(graph: OnnxGraph, ref: NodeRef): number {
  const fromInput = ref.node.input[1] ? graph.constants.get(ref.node.input[1]) : undefined;
  const rate = fromInput ? fromInput.values[0] : floatAttr(ref.node, 'ratio', 0.5);
  if (!(rate >= 0 && rate < 1)) throw unsupportedAttribute(ref, 'ratio', rate);
  return tidy(rate);
}

function flatten(ref: NodeRef, act: Activation, layers: MappedLayer[]): void {
  const axis = intAttr(ref.node, 'axis', 1);
  if (axis !== 1 && !(axis === -1 && !act.rank4)) throw unsupportedAttribute(ref, 'axis', axis);
  if (!act.rank4) return;
  const [C, H, W] = act.shape;
  act.shape = [C * H * W, 1, 1];
  act.rank4 = false;
  layers.push({ spec: { type: 'flatten' }, params: [], state: [] });
}

/** Reshape to [N, −1] (a flatten) or, after a dense layer, back to [N, units, 1, 1] (nothing for us). */
function reshape(graph: OnnxGraph, ref: NodeRef, act: Activation, layers: MappedLayer[]): void {
  const dims = ref.node.input[1] ? constantInts(graph, ref.node.input[1]) : null;
  if (!dims) throw unsupportedAttribute(ref, 'shape', 'non-constant');
  const [C, H, W] = act.shape;
  const batch = (d: number) => d === -1 || d === 0 || d > 0;
  if (dims.length === 2 && batch(dims[0]) && (dims[1] === -1 || dims[1] === C * H * W)) {
    flatten(ref, act, layers);
    return;
  }
  const same4 = dims.length === 4 && batch(dims[0]) && dims[1] === C && dims[2] === H && dims[3] === W;
  if (same4 && (act.rank4 || (H === 1 && W === 1))) {
    act.rank4 = true;
    return;
  }
  throw unsupportedAttribute(ref, 'shape', dims);
}

/** A flatten right before a dense layer (dropouts between) is implied: the dense layer flattens its input. */
function dropRedundantFlattens(layers: MappedLayer[]): MappedLayer[] {
  return layers.filter((l, i) => {
    if (l.spec.type !== 'flatten') return true;
    const next = layers.slice(i + 1).find((n: { spec: LayerSpec }) => n.spec.type !== 'dropout');
    return next?.spec.type !== 'dense';
  });
}

function labelsOf(graph: OnnxGraph, numClasses: number): string[] | null {
  const raw = graph.metadata.get('labels');
  if (raw === undefined) return null;
  try {
    const labels = JSON.parse(raw) as unknown;
    if (Array.isArray(labels) && labels.length === numClasses && labels.every((l) => typeof l === 'string'))
      return labels as string[];
  } catch {
    // not our metadata: the caller looks for labels elsewhere
  }
  return null;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
