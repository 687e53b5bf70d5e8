/**
 * "Look inside" on the CNN core (issue 10): pure functions over a built Model, no Node or DOM APIs, run by the
 * inference worker (native-workers/inference-worker.ts) and by tests directly.
 *
 *  - inspectModel: one eval-mode forward (unfused, so that every layer's own output is kept) and one backward pass
 *    for Grad-CAM (cnn/explain/grad-cam.ts); every layer's output as a tile atlas (spatial layers) or values (flat
 *    layers), every conv layer's filters, the top classes.
 *  - shiftExperiment: the image translated (and flipped), predicted in batches; the deepest spatial maps.
 *  - convolveImage: the filter playground (a hand-made 3×3 kernel on the image, the most similar learned filters of
 *    the first convolution).
 *
 * Images are [C, H, W] floats as the network takes them (uint8 / 255, cnn/train/dataset.ts bytesToFloats).
 */
import type { ClassProbability } from '../../app/domain/prediction';
import type {
  ConvolveResult,
  LayerActivations,
  LayerFilters,
  ShiftPoint,
  TileAtlas,
} from '../../app/domain/inspect';
import type { LayerType } from '../../app/domain/model-spec';
import { softmax } from '../cnn/explain/class-gradient';
import { gradCam } from '../cnn/explain/grad-cam';
import { argmaxRow, type Model } from '../cnn/model';
import { sizeOf } from '../cnn/plan';
import { tileAtlas } from './tiles';

/** Flat layers send at most this many values. */
export const MAX_FLAT_VALUES = 4096;
/** Classes in `top` (all of them when the model has fewer). */
export const TOP_K = 5;
/** Learned filters returned by the playground. */
export const SIMILAR_FILTERS = 3;

/** What inspectModel computes (the worker adds the run, epoch and time). */
export interface ModelInspection {
  input: TileAtlas;
  top: ClassProbability[];
  layers: LayerActivations[];
  filters: LayerFilters[];
  heatmap: {
    width: number;
    height: number;
    values: Float32Array;
    layerIndex: number;
    classIndex: number;
  };
  probabilities: Float32Array;
}

/** The best `k` classes, best first. */
export function topClasses(
  probabilities: ArrayLike<number>,
  labels: string[],
  k = TOP_K,
): ClassProbability[] {
  return Array.from(probabilities, (probability, i) => ({
    label: labels[i] ?? `class ${i + 1}`,
    probability,
  }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, Math.min(k, probabilities.length));
}

/**
 * A layer's output is drawn as maps when it is spatial (H·W > 1: conv, activation, pooling, batchnorm and dropout
 * layers of the convolutional part); a [N, 1, 1] output (flatten, dense, global average pooling, and activations
 * after them) is sent as values.
 */
export function isSpatial(shape: readonly number[]): boolean {
  return shape[1] * shape[2] > 1;
}

/** One layer's output (one image: `data` is [C, H, W]). */
export function layerActivations(
  layerIndex: number,
  type: LayerType,
  shape: readonly number[],
  data: Float32Array,
): LayerActivations {
  const [C, H, W] = shape;
  const spatial = isSpatial(shape);
  return {
    layerIndex,
    type,
    shape: [C, H, W],
    maps: spatial ? tileAtlas(data, C, H, W) : null,
    values: spatial ? null : Array.from(data.subarray(0, Math.min(C * H * W, MAX_FLAT_VALUES))),
  };
}

/**
 * A conv layer's filters as tiles: colour tiles (the 3 input channels as R, G, B) for a convolution over the RGB
 * input, else the mean over the input channels (a deeper filter combines many maps; one gray tile per filter).
 */
export function filterTiles(model: Model, layerIndex: number): LayerFilters {
  const f = model.filters(layerIndex);
  const [oc, ic, kh, kw] = f.shape;
  const overInput = layerIndex === firstConv(model);
  if (overInput && ic === 3 && model.spec.input.channels === 3)
    return { layerIndex, shape: [oc, ic, kh, kw], atlas: tileAtlas(f.weights, oc, kh, kw, { channels: 3 }) };
  return {
    layerIndex,
    shape: [oc, ic, kh, kw],
    atlas: tileAtlas(meanOverInputs(f.weights, oc, ic, kh * kw), oc, kh, kw),
  };
}

/** [oc, ic, k] → [oc, k]: the mean over input channels. */
function meanOverInputs(weights: Float32Array, oc: number, ic: number, k: number): Float32Array {
  const out = new Float32Array(oc * k);
  for (let o = 0; o < oc; o++)
    for (let c = 0; c < ic; c++)
      for (let i = 0; i < k; i++) out[o * k + i] += weights[(o * ic + c) * k + i] / ic;
  return out;
}

/** Index of the first conv layer, −1 when there is none. */
export function firstConv(model: Model): number {
  return model.plans.findIndex((p) => p.spec.type === 'conv2d');
}

/** The network input (values in [0, 1]) as one tile, in colour for RGB. */
export function inputTile(model: Model, image: Float32Array): TileAtlas {
  const { channels, height, width } = model.spec.input;
  if (channels === 3) return tileAtlas(image, 1, height, width, { channels: 3, range: [0, 1] });
  // gray (or another channel count: the mean)
  const gray = channels === 1 ? image : grayOf(image, channels, height * width);
  return tileAtlas(gray, 1, height, width, { range: [0, 1] });
}

/** [C, H·W] → [H·W]: the mean over channels. */
export function grayOf(image: ArrayLike<number>, channels: number, plane: number): Float32Array {
  const out = new Float32Array(plane);
  for (let c = 0; c < channels; c++)
    for (let i = 0; i < plane; i++) out[i] += image[c * plane + i] / channels;
  return out;
}

/**
 * Everything "Look inside" shows for one image: every layer's output, every conv layer's filters, the top classes
 * and the Grad-CAM map of `classIndex` (default: the predicted class). One forward (unfused) and one backward.
 */
export function inspectModel(
  model: Model,
  image: Float32Array,
  labels: string[],
  classIndex?: number,
): ModelInspection {
  if (image.length !== model.inputSize)
    throw new Error(`expected one image of ${model.inputSize} values, got ${image.length}`);
  // Grad-CAM's forward keeps every layer's own output in model.activations (its backward writes only its own
  // gradient buffers), so the feature maps are read from there: one forward serves both.
  const cam = gradCam(model, image, classIndex === undefined ? {} : { classIndex });
  const layers = model.plans.map((p, i) =>
    layerActivations(i, p.spec.type, p.outShape, model.activations[i].subarray(0, sizeOf(p.outShape))),
  );
  const filters = model.plans.filter((p) => p.spec.type === 'conv2d').map((p) => filterTiles(model, p.index));
  return {
    input: inputTile(model, image),
    top: topClasses(cam.probabilities, labels),
    layers,
    filters,
    heatmap: {
      width: cam.width,
      height: cam.height,
      values: cam.values,
      layerIndex: cam.layerIndex,
      classIndex: cam.classIndex,
    },
    probabilities: cam.probabilities,
  };
}

/**
 * The image moved right by dx and down by dy (negative: left / up), after a horizontal mirror when `flip`. Pixels
 * moved in from outside the frame are 0 (after the /255 scaling, i.e. black): the "zero fill" of the experiment,
 * the same value zero padding uses.
 */
export function shiftImage(
  image: Float32Array,
  shape: { channels: number; height: number; width: number },
  dx: number,
  dy: number,
  flip: boolean,
): Float32Array {
  const { channels: C, height: H, width: W } = shape;
  const out = new Float32Array(C * H * W);
  for (let c = 0; c < C; c++)
    for (let y = 0; y < H; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= H) continue;
      for (let x = 0; x < W; x++) {
        const sx0 = x - dx;
        if (sx0 < 0 || sx0 >= W) continue;
        const sx = flip ? W - 1 - sx0 : sx0;
        out[(c * H + y) * W + x] = image[(c * H + sy) * W + sx];
      }
    }
  return out;
}

/** The last layer whose output is spatial (H·W > 1); −1 when none is. */
export function deepestSpatialLayer(model: Model): number {
  for (let i = model.plans.length - 1; i >= 0; i--) if (isSpatial(model.plans[i].outShape)) return i;
  return -1;
}

/**
 * The translation experiment: the image shifted by each offset (flipped first when `flip`), predicted in batches of
 * up to model.batchSize (eval mode, unfused: the deepest spatial layer's own output is kept). probabilityOfOriginal
 * is the probability of the class predicted for the unshifted, unflipped image.
 */
export function shiftExperiment(
  model: Model,
  image: Float32Array,
  labels: string[],
  offsets: { dx: number; dy: number }[],
  flip: boolean,
): { originalLabel: string; originalIndex: number; points: ShiftPoint[] } {
  if (image.length !== model.inputSize)
    throw new Error(`expected one image of ${model.inputSize} values, got ${image.length}`);
  const K = model.numClasses;
  const size = model.inputSize;
  const deepest = deepestSpatialLayer(model);
  const original = softmax(model.forwardUnfused(image).slice(0, K));
  const originalIndex = argmaxRow(original, 0, K);
  const points: ShiftPoint[] = [];
  const B = model.batchSize;
  for (let from = 0; from < offsets.length; from += B) {
    const chunk = offsets.slice(from, from + B);
    const x = new Float32Array(chunk.length * size);
    chunk.forEach((o, n) => x.set(shiftImage(image, model.spec.input, o.dx, o.dy, flip), n * size));
    const logits = model.forwardUnfused(x);
    chunk.forEach((o, n) => {
      const p = softmax(logits.subarray(n * K, (n + 1) * K));
      let maps: LayerActivations;
      if (deepest >= 0) {
        const plan = model.plans[deepest];
        const s = sizeOf(plan.outShape);
        maps = layerActivations(
          deepest,
          plan.spec.type,
          plan.outShape,
          model.activations[deepest].subarray(n * s, (n + 1) * s),
        );
      } else {
        // no spatial layer: the (shifted) input itself
        const { channels, height, width } = model.spec.input;
        maps = {
          layerIndex: -1,
          type: 'flatten',
          shape: [channels, height, width],
          maps: tileAtlas(x.subarray(n * size, (n + 1) * size), channels, height, width),
          values: null,
        };
      }
      points.push({
        dx: o.dx,
        dy: o.dy,
        flipped: flip,
        top: topClasses(p, labels),
        probabilityOfOriginal: p[originalIndex],
        deepest: maps,
      });
    });
  }
  return { originalLabel: labels[originalIndex] ?? `class ${originalIndex + 1}`, originalIndex, points };
}

/** A [H, W] map convolved with a 3×3 kernel (row-major), stride 1, zero padding 1, no bias: [H, W]. */
export function convolve3x3(
  gray: ArrayLike<number>,
  height: number,
  width: number,
  kernel: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(height * width);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let ky = 0; ky < 3; ky++) {
        const yy = y + ky - 1;
        if (yy < 0 || yy >= height) continue;
        for (let kx = 0; kx < 3; kx++) {
          const xx = x + kx - 1;
          if (xx < 0 || xx >= width) continue;
          s += kernel[ky * 3 + kx] * gray[yy * width + xx];
        }
      }
      out[y * width + x] = s;
    }
  return out;
}

/** Cosine similarity of two vectors; 0 when either is all zeros. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * The filter playground. `response`: the image (gray, or the mean over its RGB channels) convolved with `kernel`
 * (3×3 row-major), stride 1, zero padding 1, no bias. `similar`: the first conv layer's filters whose 3×3 weights
 * (mean over input channels) have the highest cosine similarity with the kernel, best first (at most 3; none when
 * that layer's kernel is not 3×3 or the model has no conv layer), each with its response: that filter's own feature
 * map on the image (the layer's output channel, with its real stride, padding and bias, before any activation).
 */
export function convolveImage(model: Model, image: Float32Array, kernel: ArrayLike<number>): ConvolveResult {
  if (kernel.length !== 9) throw new Error(`expected a 3×3 kernel (9 values), got ${kernel.length}`);
  if (image.length !== model.inputSize)
    throw new Error(`expected one image of ${model.inputSize} values, got ${image.length}`);
  const { channels, height, width } = model.spec.input;
  const gray = grayOf(image, channels, height * width);
  const response = tileAtlas(convolve3x3(gray, height, width, kernel), 1, height, width);
  const li = firstConv(model);
  if (li < 0) return { response, similar: [] };
  const f = model.filters(li);
  const [oc, ic, kh, kw] = f.shape;
  if (kh !== 3 || kw !== 3) return { response, similar: [] };
  const means = meanOverInputs(f.weights, oc, ic, 9);
  const ranked = Array.from({ length: oc }, (_, o) => ({
    filter: o,
    similarity: cosineSimilarity(means.subarray(o * 9, o * 9 + 9), kernel),
  }))
    .sort((a, b) => b.similarity - a.similarity || a.filter - b.filter)
    .slice(0, SIMILAR_FILTERS);
  model.forwardUnfused(image);
  const [, H, W] = model.plans[li].outShape;
  const maps = model.activations[li];
  return {
    response,
    similar: ranked.map((r) => ({
      ...r,
      response: tileAtlas(maps.subarray(r.filter * H * W, (r.filter + 1) * H * W), 1, H, W),
    })),
  };
}
