/**
 * What the Train tab's network explorer shows: the ready-made architectures (presets) and one of them built for
 * a project's input size, colour and number of classes, described layer by layer. Plain data only.
 */
import type { ActivationShape, LayerSpec, ModelDescription, ModelSpec } from './model-spec';

/** The preset architectures, in menu order (native-workers/cnn/presets.ts builds them). */
export const MODEL_PRESETS = ['small', 'medium', 'large', 'reference'] as const;

/** The name of a preset architecture. */
export type ModelPresetName = (typeof MODEL_PRESETS)[number];

/** One preset as the picker lists it (English title and description; the UI has translations). */
export interface ModelPresetSummary {
  name: ModelPresetName;
  title: string;
  description: string;
}

/** What `model:presets` answers: the presets and the one that suits the project (or 28 px images). */
export interface ModelPresetList {
  presets: ModelPresetSummary[];
  recommended: ModelPresetName;
}

/** The number of classes a description assumes when the project has fewer than two labels. */
export const DEFAULT_CLASS_COUNT = 10;

/** How a layer slides over its input; only convolutions and pooling layers have it. */
export interface LayerGeometry {
  /** The window (kernel / filter size for a convolution, pooling window) as [height, width]. */
  window: [number, number];
  /** How many pixels the window moves each step, [vertical, horizontal]. */
  stride: [number, number];
  /** Zeros added around the input (convolutions only; pooling adds none). */
  padding: { mode: 'same' | 'valid' | 'explicit'; top: number; bottom: number; left: number; right: number };
}

/** One layer: its spec, the shape it reads and, for sliding layers, its geometry. Indexes match `description.layers`. */
export interface NetworkLayerInfo {
  spec: LayerSpec;
  inputShape: ActivationShape;
  geometry?: LayerGeometry;
}

/** What `model:describe` answers. */
export interface NetworkDescription {
  /** 'custom' for a layer-editor model. */
  preset: ModelPresetName | 'custom';
  spec: ModelSpec;
  /** describeModel(spec): output shapes, parameters, the fully connected equivalent, totals. */
  description: ModelDescription;
  layers: NetworkLayerInfo[];
  /** Where numClasses came from: the project's labels (when it has at least two) or the default of 10. */
  classesFrom: 'labels' | 'default';
  /** The project's label count at the time (0 without a dataset). */
  labelCount: number;
}
