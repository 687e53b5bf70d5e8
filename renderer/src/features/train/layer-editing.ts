/**
 * The layer editor's model: a list of layer specs with stable ids (React keys survive reordering), and the pure
 * operations on it. The final classifier (a dense layer with one output per class) is not in the list: main adds
 * it, so the editor shows it as fixed.
 */
import type { LayerSpec, LayerType, ModelSpec } from '../../../../app/domain/model-spec';

/** One row of the editor. */
export interface EditorLayer {
  id: number;
  spec: LayerSpec;
}

/** The layer types the editor offers to add, in menu order. */
export const ADDABLE_LAYERS = [
  'conv2d',
  'relu',
  'maxPool2d',
  'batchNorm',
  'dropout',
  'dense',
  'avgPool2d',
  'globalAvgPool',
  'flatten',
  'leakyRelu',
] as const satisfies readonly LayerType[];

export type AddableLayer = (typeof ADDABLE_LAYERS)[number];

let nextId = 1;

/** Wraps specs as editor rows with fresh ids. */
export function toEditorLayers(specs: readonly LayerSpec[]): EditorLayer[] {
  return specs.map((spec) => ({ id: nextId++, spec: normalizeLayer(spec) }));
}

/** The specs of the editor rows, as `model: { kind: 'custom', layers }` sends them. */
export function toSpecs(layers: readonly EditorLayer[]): LayerSpec[] {
  return layers.map((l) => l.spec);
}

/**
 * A preset's layers without its classifier: a preset spec ends with a dense layer of numClasses units, which main
 * adds again for custom models.
 */
export function editableLayersOf(spec: ModelSpec): LayerSpec[] {
  const layers = spec.layers.map(normalizeLayer);
  const last = layers.at(-1);
  return last?.type === 'dense' ? layers.slice(0, -1) : layers;
}

/** Square sizes as one number (the editor edits square kernels and windows); a copy of the spec. */
export function normalizeLayer(spec: LayerSpec): LayerSpec {
  const square = (s: number | [number, number]) => (Array.isArray(s) && s[0] === s[1] ? s[0] : s);
  switch (spec.type) {
    case 'conv2d':
      return {
        ...spec,
        kernelSize: square(spec.kernelSize),
        ...(spec.stride !== undefined ? { stride: square(spec.stride) } : {}),
      };
    case 'maxPool2d':
    case 'avgPool2d':
      return {
        ...spec,
        size: square(spec.size),
        ...(spec.stride !== undefined ? { stride: square(spec.stride) } : {}),
      };
    default:
      return { ...spec };
  }
}

/** A new layer of `type` with sensible values (a 3×3 convolution with 32 filters and same padding, …). */
export function newLayerSpec(type: AddableLayer): LayerSpec {
  switch (type) {
    case 'conv2d':
      return { type, filters: 32, kernelSize: 3, stride: 1, padding: 'same' };
    case 'maxPool2d':
    case 'avgPool2d':
      return { type, size: 2, stride: 2 };
    case 'dense':
      return { type, units: 128 };
    case 'dropout':
      return { type, rate: 0.25 };
    case 'leakyRelu':
      return { type, alpha: 0.01 };
    case 'relu':
    case 'batchNorm':
    case 'globalAvgPool':
    case 'flatten':
      return { type };
  }
}

/** Appends a new layer (after `afterIndex` when given, else at the end). */
export function addLayer(
  layers: readonly EditorLayer[],
  type: AddableLayer,
  afterIndex?: number,
): EditorLayer[] {
  const row: EditorLayer = { id: nextId++, spec: newLayerSpec(type) };
  const at = afterIndex === undefined ? layers.length : Math.min(Math.max(afterIndex + 1, 0), layers.length);
  return [...layers.slice(0, at), row, ...layers.slice(at)];
}

/** Removes the row with this id. */
export function removeLayer(layers: readonly EditorLayer[], id: number): EditorLayer[] {
  return layers.filter((l) => l.id !== id);
}

/** Moves the row with this id by `delta` places (clamped to the list); the same list when it cannot move. */
export function moveLayer(layers: readonly EditorLayer[], id: number, delta: number): EditorLayer[] {
  const from = layers.findIndex((l) => l.id === id);
  if (from < 0) return [...layers];
  const to = Math.min(Math.max(from + delta, 0), layers.length - 1);
  if (to === from) return [...layers];
  const next = [...layers];
  const [row] = next.splice(from, 1);
  next.splice(to, 0, row);
  return next;
}

/** Replaces the spec of the row with this id. */
export function updateLayer(layers: readonly EditorLayer[], id: number, spec: LayerSpec): EditorLayer[] {
  return layers.map((l) => (l.id === id ? { id, spec } : l));
}

/** Why main rejected a layer list: the 0-based layer index (null for the input / the class count) and the reason. */
export interface LayerProblem {
  layerIndex: number | null;
  reason: string;
}

/** Reads `{ layerIndex, reason }` from the details of a failed `model:describe` (null when they are not there). */
export function layerProblemOf(details: unknown): LayerProblem | null {
  if (typeof details !== 'object' || details === null) return null;
  const d = details as { layerIndex?: unknown; reason?: unknown };
  if (typeof d.reason !== 'string') return null;
  const index = d.layerIndex;
  if (index === null || index === undefined) return { layerIndex: null, reason: d.reason };
  return typeof index === 'number' && Number.isInteger(index) && index >= 0
    ? { layerIndex: index, reason: d.reason }
    : null;
}

/** The kinds of layer problem the page explains in words (the technical reason is shown next to it). */
export type ProblemKind = 'kernelTooLarge' | 'windowTooLarge' | 'classifier' | 'other';

/** Classifies the CNN core's reason text (native-workers/cnn/plan.ts) so the page can explain it in the user's language. */
export function problemKind(problem: LayerProblem, layerCount: number): ProblemKind {
  if (problem.layerIndex !== null && problem.layerIndex >= layerCount) return 'classifier';
  if (/larger than the padded input/.test(problem.reason)) return 'kernelTooLarge';
  if (/output would be/.test(problem.reason)) return 'windowTooLarge';
  return 'other';
}
