/**
 * "Look inside" a trained model (issue 10): what the network computes on one image, as compact tiles the page
 * draws. Everything is computed by the CNN core in a worker; main sends numbers, the page words them.
 */
import type { LayerType } from './model-spec';
import type { ClassProbability, HeatMap } from './prediction';

/**
 * A grid of small grayscale images (one per channel: feature maps or filters) in one uint8 atlas: tile k sits at
 * column k % columns, row ⌊k / columns⌋, each `tileWidth`×`tileHeight`, with a 1-pixel gap. Values are scaled to
 * 0–255 per tile (min → 0, max → 255; a constant tile is 0) unless `shared` says one scale for all.
 */
export interface TileAtlas {
  tiles: number;
  columns: number;
  tileWidth: number;
  tileHeight: number;
  /** width = columns·(tileWidth+1)−1, height = rows·(tileHeight+1)−1. */
  width: number;
  height: number;
  /** base64 of width·height uint8 gray values (RGB atlases: width·height·3, interleaved). */
  data: string;
  channels: 1 | 3;
  /** Each tile's value range before scaling, [min, max] per tile. */
  ranges: [number, number][];
}

/** One layer's output on the image. */
export interface LayerActivations {
  /** 0-based index in the model (the CLI names files by the 1-based one, as `model describe` does). */
  layerIndex: number;
  type: LayerType;
  /** [C, H, W]; dense/flatten layers are [N, 1, 1]. */
  shape: [number, number, number];
  /** The feature maps (conv, activation, pooling, batchnorm, dropout layers); null for flat layers. */
  maps: TileAtlas | null;
  /** Flat layers (flatten, dense): the values, at most 4096 of them. */
  values: number[] | null;
}

/** A conv layer's learned filters. */
export interface LayerFilters {
  layerIndex: number;
  /** [outChannels, inChannels, kernelHeight, kernelWidth]. */
  shape: [number, number, number, number];
  /**
   * One tile per output channel: the first conv of an RGB model as colour (channels 3), else the mean over input
   * channels (deeper layers combine many maps; the note says so).
   */
  atlas: TileAtlas;
}

/** What to look at: an image of the project, or an image file. */
export type InspectSource = { imageId: number } | { file: string };

/** Which weights: the project's model, a finished run, or the running run's latest checkpoint (live view). */
export interface InspectModel {
  runId?: string;
  /** Use the run's newest checkpoint (a running or paused run), refreshed as training goes. */
  live?: boolean;
}

/** What `inspect:image` answers. */
export interface Inspection {
  /** The network input as the model sees it (after preprocessing), one tile (gray or RGB). */
  input: TileAtlas;
  top: ClassProbability[];
  /** Every layer's output, in order. */
  layers: LayerActivations[];
  filters: LayerFilters[];
  /** Grad-CAM of `heatmap.label` (the predicted class unless asked otherwise). */
  heatmap: HeatMap;
  /** Weights used: the run and, for a live view, the epoch of its checkpoint. */
  runId: string;
  epoch: number | null;
  millis: number;
}

/** One step of the translation experiment. */
export interface ShiftPoint {
  /** Pixels moved right (negative: left) and down. */
  dx: number;
  dy: number;
  flipped: boolean;
  top: ClassProbability[];
  /** Probability of the class predicted at no shift. */
  probabilityOfOriginal: number;
  /** The deepest spatial layer's maps at this shift. */
  deepest: LayerActivations;
}

/** What `inspect:shift` answers: predictions of the image moved by each offset (zeros fill the border). */
export interface ShiftExperiment {
  originalLabel: string;
  points: ShiftPoint[];
}

/** What `inspect:convolve` answers: the image convolved with a hand-made 3×3 filter, beside the learned ones. */
export interface ConvolveResult {
  /** The response (stride 1, zero padding 1, no bias), one tile; gray input, or the mean over RGB channels. */
  response: TileAtlas;
  /** The first conv layer's filters most similar to the kernel (cosine similarity of the 3×3 weights, gray). */
  similar: { filter: number; similarity: number; response: TileAtlas }[];
}
