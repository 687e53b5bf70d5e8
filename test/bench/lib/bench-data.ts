/**
 * What the benchmark trains and infers on: real Fashion-MNIST at 28 px (the reference CNN's figures), or, for a
 * preset at another size or in colour, Fashion-MNIST garments upscaled (bilinear) to the input size and, for RGB,
 * tinted with a random garment and background colour per image: photo-sized inputs with real image statistics,
 * cheap to make. Speed does not depend on the pixel values; the real-data source only keeps the figures honest
 * (no all-zero inputs, realistic ReLU sparsity).
 */
import { type Split, fillBatch, loadSplit, shuffled } from './fashion-mnist';

export interface BatchSource {
  /** What the images are, in words (printed with the figures). */
  description: string;
  /** Floats per image: channels · height · width. */
  inputSize: number;
  /** Copies `bs` examples from position `pos` on (wrapping) into xb / yb. */
  fill(pos: number, bs: number, xb: Float32Array, yb: Int32Array): void;
  /** A fixed batch of `bs` held-out images for inference. */
  inferBatch(bs: number): Float32Array;
}

/** Real Fashion-MNIST, 28×28 gray, the training split in a fixed shuffled order (seed 1234). */
export function fashionMnistSource(train = loadSplit('train'), test = loadSplit('test')): BatchSource {
  const idx = shuffled(train.n, 1234);
  return {
    description: 'Fashion-MNIST 28×28 gray (60,000 training images in a fixed shuffled order)',
    inputSize: 784,
    fill: (pos, bs, xb, yb) => fillBatch(train, idx, pos, bs, xb, yb.subarray(0, bs)),
    inferBatch: (bs) => test.x.slice(0, bs * 784),
  };
}

/** Bilinear resampling of one 28×28 gray image to size×size (align-corners off, like most image libraries). */
function upscale(src: Float32Array, size: number, out: Float32Array): void {
  const s = 28 / size;
  for (let y = 0; y < size; y++) {
    const fy = Math.min(Math.max((y + 0.5) * s - 0.5, 0), 27);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, 27);
    const wy = fy - y0;
    for (let x = 0; x < size; x++) {
      const fx = Math.min(Math.max((x + 0.5) * s - 0.5, 0), 27);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, 27);
      const wx = fx - x0;
      const top = src[y0 * 28 + x0] * (1 - wx) + src[y0 * 28 + x1] * wx;
      const bottom = src[y1 * 28 + x0] * (1 - wx) + src[y1 * 28 + x1] * wx;
      out[y * size + x] = top * (1 - wy) + bottom * wy;
    }
  }
}

/** `count` images of a split, upscaled to size×size and (channels 3) tinted; NCHW, values in [0, 1]. */
function photoPool(split: Split, count: number, size: number, channels: number, seed: number): Split {
  const idx = shuffled(split.n, seed);
  const plane = size * size;
  const x = new Float32Array(count * channels * plane);
  const y = new Int32Array(count);
  const gray = new Float32Array(plane);
  let s = seed >>> 0 || 1;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let n = 0; n < count; n++) {
    const k = idx[n % split.n];
    y[n] = split.y[k];
    upscale(split.x.subarray(k * 784, k * 784 + 784), size, gray);
    const base = n * channels * plane;
    if (channels === 1) {
      x.set(gray, base);
      continue;
    }
    for (let c = 0; c < channels; c++) {
      const fg = rand();
      const bg = rand();
      const o = base + c * plane;
      for (let i = 0; i < plane; i++) x[o + i] = bg + (fg - bg) * gray[i];
    }
  }
  return { x, y, n: count };
}

/**
 * Fashion-MNIST upscaled to size×size, gray (channels 1) or tinted RGB (channels 3): a pool of `count` training
 * images (cycled) and a held-out batch from the test split.
 */
export function fashionMnistPhotoSource(size: number, channels: number, count = 512): BatchSource {
  const trainPool = photoPool(loadSplit('train'), count, size, channels, 1234);
  const testSplit = loadSplit('test');
  const order = new Uint32Array(count).map((_, i) => i);
  const inputSize = channels * size * size;
  return {
    description: `Fashion-MNIST upscaled (bilinear) to ${size}×${size}${channels === 3 ? ', tinted RGB (random garment and background colour per image)' : ' gray'}; a pool of ${count} training images, cycled`,
    inputSize,
    fill: (pos, bs, xb, yb) => fillBatch(trainPool, order, pos, bs, xb, yb.subarray(0, bs), inputSize),
    inferBatch: (bs) => photoPool(testSplit, bs, size, channels, 99).x,
  };
}
