/** Fashion-MNIST from Debian's dataset-fashion-mnist package (IDX, gzip), pixels scaled to [0, 1]. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const FMNIST_DIR = process.env.FMNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

export interface Split {
  /** [n, C, H, W] float32 in [0, 1] ([n, 1, 28, 28] as loaded). */
  x: Float32Array;
  y: Int32Array;
  n: number;
}

function readIdx(file: string): { dims: number[]; data: Uint8Array } {
  const buf = gunzipSync(readFileSync(join(FMNIST_DIR, file)));
  const ndim = buf.readUInt32BE(0) & 0xff;
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const off = 4 + 4 * ndim;
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + off, buf.length - off) };
}

export function loadSplit(split: 'train' | 'test'): Split {
  const pre = split === 'train' ? 'train' : 't10k';
  const im = readIdx(`${pre}-images-idx3-ubyte.gz`);
  const lb = readIdx(`${pre}-labels-idx1-ubyte.gz`);
  const n = im.dims[0];
  if (im.dims[1] !== 28 || im.dims[2] !== 28 || lb.dims[0] !== n) throw new Error('bad IDX dims');
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = im.data[i] / 255;
  return { x, y: Int32Array.from(lb.data), n };
}

/** Seeded Fisher–Yates permutation (the LCG of the peers' common.js). */
export function shuffled(n: number, seed: number): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}

/** Copies examples idx[start .. start+bs) (wrapping) into xb / yb; `size` floats per example (28×28 by default). */
export function fillBatch(
  data: Split,
  idx: Uint32Array,
  start: number,
  bs: number,
  xb: Float32Array,
  yb: Int32Array,
  size = 784,
): void {
  for (let b = 0; b < bs; b++) {
    const k = idx[(start + b) % idx.length];
    xb.set(data.x.subarray(k * size, k * size + size), b * size);
    yb[b] = data.y[k];
  }
}
