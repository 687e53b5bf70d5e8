/**
 * A tiny synthetic image dataset generated from a seed, so learning tests need no files: 3 classes of H×W
 * grayscale images holding a horizontal bar, a vertical bar or a diagonal line at a random place, plus noise.
 */
import type { Dataset } from '../../../native-workers/cnn/train/dataset';
import { Rng } from '../../../native-workers/cnn/rng';

/** count images of size×size with labels 0 (horizontal), 1 (vertical), 2 (diagonal). */
export function barsDataset(
  count: number,
  seed: number,
  size = 8,
  channels = 1,
): Dataset & { images: Float32Array } {
  const rng = new Rng(seed);
  const plane = size * size;
  const images = new Float32Array(count * channels * plane);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 3;
    labels[n] = label;
    const pos = 1 + rng.int(size - 2);
    for (let c = 0; c < channels; c++) {
      const img = images.subarray((n * channels + c) * plane, (n * channels + c + 1) * plane);
      for (let i = 0; i < plane; i++) img[i] = 0.1 * rng.normal();
      for (let t = 0; t < size; t++) {
        if (label === 0) img[pos * size + t] += 1;
        else if (label === 1) img[t * size + pos] += 1;
        else img[t * size + ((t + pos) % size)] += 1;
      }
    }
  }
  return { images, labels, count, channels, height: size, width: size };
}
