/**
 * An in-memory image dataset: flat images [N, C, H, W] and labels. Float images are used as they are (normalised by
 * the caller); uint8 images (the app's tensor cache) are read as pixel / 255 one batch at a time, so a large set
 * never needs to exist as float32 all at once.
 */
import type { Labels } from '../ops/softmax-cross-entropy';

/** N images of shape [channels, height, width], flat NCHW, with one class index each. */
export interface Dataset {
  images: Float32Array | Uint8Array;
  labels: Labels;
  count: number;
  channels: number;
  height: number;
  width: number;
}

/** Checks that the arrays match the declared sizes and, when given, the model's input and class count. */
export function validateDataset(
  d: Dataset,
  input?: { channels: number; height: number; width: number },
  numClasses?: number,
): void {
  const size = d.channels * d.height * d.width;
  if (d.images.length !== d.count * size) {
    throw new Error(`dataset: images has ${d.images.length} values, expected ${d.count} × ${size}`);
  }
  if (d.labels.length !== d.count)
    throw new Error(`dataset: ${d.labels.length} labels for ${d.count} images`);
  if (input && (input.channels !== d.channels || input.height !== d.height || input.width !== d.width)) {
    throw new Error(
      `dataset images are ${d.channels}×${d.height}×${d.width}, the model expects ${input.channels}×${input.height}×${input.width}`,
    );
  }
  if (numClasses !== undefined) {
    for (let i = 0; i < d.count; i++) {
      const y = d.labels[i];
      if (!(Number.isInteger(y) && y >= 0 && y < numClasses)) {
        throw new Error(`dataset: label ${y} of image ${i} is not in [0, ${numClasses})`);
      }
    }
  }
}

/** Copies the examples indices[from..to) into x ([to − from, C, H, W]) and labels. */
export function gatherBatch(
  d: Dataset,
  indices: ArrayLike<number>,
  from: number,
  to: number,
  x: Float32Array,
  labels: Int32Array,
): void {
  const size = d.channels * d.height * d.width;
  const images = d.images;
  for (let j = 0; j < to - from; j++) {
    const i = indices[from + j];
    if (images instanceof Float32Array) x.set(images.subarray(i * size, (i + 1) * size), j * size);
    else bytesToFloats(images, i * size, size, x, j * size);
    labels[j] = d.labels[i];
  }
}

const INV_255 = 1 / 255;

/** x[to .. to + n) = bytes[from .. from + n) / 255. */
export function bytesToFloats(bytes: Uint8Array, from: number, n: number, x: Float32Array, to = 0): void {
  for (let k = 0; k < n; k++) x[to + k] = bytes[from + k] * INV_255;
}

/**
 * Images [from, from + n) as float32: a view of float images, or uint8 images converted into `scratch` (which must
 * hold n images).
 */
export function imageRange(d: Dataset, from: number, n: number, scratch: Float32Array): Float32Array {
  const size = d.channels * d.height * d.width;
  if (d.images instanceof Float32Array) return d.images.subarray(from * size, (from + n) * size);
  bytesToFloats(d.images, from * size, n * size, scratch);
  return scratch.subarray(0, n * size);
}
