/** What the data-parallel tests share: a small CNN, seeded batches, and the shard worker bundled for the tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { bundleForNode } from '../../support/bundle';

export const spec: ModelSpec = {
  input: { height: 12, width: 10, channels: 2 },
  layers: [
    { type: 'conv2d', filters: 6, kernelSize: 3, padding: 'same' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 },
    { type: 'conv2d', filters: 5, kernelSize: [3, 2], stride: [1, 2], padding: 1 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 16 },
    { type: 'relu' },
    { type: 'dense', units: 4 },
  ],
  numClasses: 4,
};

/**
 * `spec`'s input with batch norm (per-replica statistics) and dropout (per-replica generators): what makes exact
 * resumes and queued steps non-trivial.
 */
export const bnSpec: ModelSpec = {
  input: { height: 12, width: 10, channels: 2 },
  layers: [
    { type: 'conv2d', filters: 6, kernelSize: 3, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 16 },
    { type: 'relu' },
    { type: 'dropout', rate: 0.3 },
    { type: 'dense', units: 4 },
  ],
  numClasses: 4,
};

/** n seeded examples of `spec`'s input (12 × 10 × 2) with labels 0..3. */
export function data(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  let s = seed;
  const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const x = new Float32Array(n * 240);
  for (let i = 0; i < x.length; i++) x[i] = r();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.floor(r() * 4);
  return { x, y };
}

/** Batch sizes of a short run: uneven shards and a batch smaller than the workers. */
export const batches = [10, 10, 7, 1, 10, 3];

/**
 * Bundles native-workers/train-shard-worker.ts into a temporary folder before the file's tests (removed after);
 * returns the bundle's path, valid once the tests run.
 */
export function shardWorkerBundle(): { readonly path: string } {
  let dir = '';
  const bundle = { path: '' };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shard-worker-'));
    bundle.path = join(dir, 'train-shard-worker.js');
    await bundleForNode(join(__dirname, '../../../native-workers/train-shard-worker.ts'), bundle.path);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return bundle;
}
