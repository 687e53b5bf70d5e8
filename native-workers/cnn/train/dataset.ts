/**
 * An in-memory image dataset: flat float images [N, C, H, W] (already normalised by the caller) and labels.
 */
import type { Labels } from '../ops/softmax-cross-entropy';

/** N images of shape [channels, height, width], flat NCHW, with one class index each. */
export interface Dataset {
  images: Float32Array;
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
  for (let j = 0; j < to - from; j++) {
    const i = indices[from + j];
    x.set(d.images.subarray(i * size, (i + 1) * size), j * size);
    labels[j] = d.labels[i];
  }
}
