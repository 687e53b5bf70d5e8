/**
 * The dataset map's projection (native-workers/dataset-map/): exact kNN against a float64 brute force, PCA against
 * its definition, seeded PCA/UMAP coordinates (same input and seed: identical; another seed: different), and the
 * [0, 1] scaling with the aspect kept.
 */
import { describe, expect, it } from 'vitest';
import { referenceKernels } from '../../../native-workers/cnn/reference-kernels';
import { Rng } from '../../../native-workers/cnn/rng';
import { nearestNeighbours } from '../../../native-workers/dataset-map/knn';
import { pca } from '../../../native-workers/dataset-map/pca';
import { normalizeUnit, projectEmbeddings } from '../../../native-workers/dataset-map/project';
import { fastKernels } from '../../../native-workers/kernels/fast-kernels';

function randomData(count: number, dims: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(count * dims);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  return x;
}

/** Gaussian blobs: `clusters` centres far apart, points around them; labels = cluster. */
function blobs(perCluster: number, clusters: number, dims: number, seed: number) {
  const rng = new Rng(seed);
  const count = perCluster * clusters;
  const x = new Float32Array(count * dims);
  const labels = new Int32Array(count);
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: dims }, () => 6 * rng.normal()),
  );
  for (let n = 0; n < count; n++) {
    labels[n] = n % clusters;
    for (let d = 0; d < dims; d++) x[n * dims + d] = centres[labels[n]][d] + rng.normal();
  }
  return { x, labels, count };
}

function bruteForce(x: Float32Array, count: number, dims: number, k: number): number[][] {
  const out: number[][] = [];
  for (let q = 0; q < count; q++) {
    const d: [number, number][] = [];
    for (let p = 0; p < count; p++) {
      if (p === q) continue;
      let s = 0;
      for (let i = 0; i < dims; i++) s += (x[q * dims + i] - x[p * dims + i]) ** 2;
      d.push([s, p]);
    }
    d.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    out.push(d.slice(0, k).map((e) => e[1]));
  }
  return out;
}

describe('exact kNN', () => {
  for (const [name, kernels] of [
    ['reference', referenceKernels],
    ['fast', fastKernels()],
  ] as const)
    it(`equals brute force on random data (${name} kernels, across query blocks and point chunks)`, () => {
      const count = 300; // > one block of 128 query rows; with 64-point chunks, > 4 chunks (the last partial)
      const dims = 7;
      const x = randomData(count, dims, 5);
      const knn = nearestNeighbours(kernels, x, count, dims, 10, undefined, { queries: 48, points: 64 });
      const defaults = nearestNeighbours(kernels, x, count, dims, 10);
      expect(Array.from(defaults.indices)).toEqual(Array.from(knn.indices));
      expect(knn.k).toBe(10);
      const expected = bruteForce(x, count, dims, 10);
      for (let q = 0; q < count; q++) {
        const got = Array.from(knn.indices.subarray(q * 10, q * 10 + 10));
        expect(got).not.toContain(q);
        expect(got, `row ${q}`).toEqual(expected[q]);
        for (let i = 0; i < 10; i++) {
          const p = got[i];
          let s = 0;
          for (let d = 0; d < dims; d++) s += (x[q * dims + d] - x[p * dims + d]) ** 2;
          expect(knn.distances[q * 10 + i]).toBeCloseTo(s, 3);
        }
      }
    });

  it('equals brute force where the first-coordinate bound prunes chunks, ties to the smaller index', () => {
    const count = 400;
    const dims = 5;
    const x = randomData(count, dims, 8);
    for (let p = 0; p < count; p++) x[p * dims] *= 10; // wide: many chunks skipped, some neighbours in the next
    for (let d = 0; d < dims; d++) x[7 * dims + d] = x[300 * dims + d]; // an exact duplicate (a tie)
    const knn = nearestNeighbours(fastKernels(), x, count, dims, 10, undefined, { queries: 32, points: 32 });
    const expected = bruteForce(x, count, dims, 10);
    for (let q = 0; q < count; q++)
      expect(Array.from(knn.indices.subarray(q * 10, q * 10 + 10)), `row ${q}`).toEqual(expected[q]);
    expect(knn.indices[7 * 10]).toBe(300);
    expect(knn.indices[300 * 10]).toBe(7);
  });

  it('caps k at count − 1', () => {
    const knn = nearestNeighbours(referenceKernels, randomData(4, 3, 1), 4, 3, 10);
    expect(knn.k).toBe(3);
    expect(Array.from(knn.indices.subarray(0, 3)).sort()).toEqual([1, 2, 3]);
  });
});

describe('PCA', () => {
  it('finds the direction of largest variance, components uncorrelated with decreasing variance', () => {
    const count = 2000;
    const rng = new Rng(3);
    const x = new Float32Array(count * 3);
    for (let n = 0; n < count; n++) {
      const t = 5 * rng.normal();
      const u = rng.normal();
      x[n * 3] = t + 0.1 * rng.normal(); // along (1, 1, 0)/√2 with variance 50, (1, -1, 0) with variance 1
      x[n * 3 + 1] = t + 0.1 * rng.normal();
      x[n * 3 + 2] = u;
    }
    const { values, components } = pca(x, count, 3, 2);
    expect(components).toBe(2);
    const variance = (c: number) => {
      let m = 0;
      for (let n = 0; n < count; n++) m += values[n * 2 + c];
      m /= count;
      let v = 0;
      for (let n = 0; n < count; n++) v += (values[n * 2 + c] - m) ** 2;
      return v / (count - 1);
    };
    expect(variance(0)).toBeGreaterThan(40);
    expect(variance(1)).toBeLessThan(1.3);
    // component 0 ≈ (x0 + x1)/√2 up to the mean (sign fixed positive)
    const n = 17;
    const c0 = values[n * 2];
    let mx0 = 0;
    let mx1 = 0;
    for (let i = 0; i < count; i++) {
      mx0 += x[i * 3];
      mx1 += x[i * 3 + 1];
    }
    expect(c0).toBeCloseTo((x[n * 3] - mx0 / count + x[n * 3 + 1] - mx1 / count) / Math.SQRT2, 1);
  });
});

describe('projection', () => {
  const { x, labels, count } = blobs(60, 4, 20, 9);
  const run = (method: 'pca' | 'umap', seed: number) =>
    projectEmbeddings(referenceKernels, x.slice(), count, 20, { method, seed, k: 10 });

  it('UMAP is seeded: the same seed gives identical coordinates, another seed different ones', () => {
    const a = run('umap', 1);
    const b = run('umap', 1);
    const c = run('umap', 2);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
    // the blobs stay apart: each point's nearest 2-D neighbour is of its own blob
    let same = 0;
    for (let p = 0; p < count; p++) {
      let best = -1;
      let bestD = Infinity;
      for (let q = 0; q < count; q++) {
        if (q === p) continue;
        const d = (a.x[p] - a.x[q]) ** 2 + (a.y[p] - a.y[q]) ** 2;
        if (d < bestD) [best, bestD] = [q, d];
      }
      if (labels[best] === labels[p]) same++;
    }
    expect(same / count).toBeGreaterThan(0.95);
  });

  it('PCA coordinates are deterministic, in [0, 1], and neighbours are the exact kNN in the reduced space', () => {
    const a = run('pca', 1);
    expect(Array.from(run('pca', 7).x)).toEqual(Array.from(a.x)); // PCA has no randomness
    expect(a.k).toBe(10);
    expect(a.reducedDims).toBe(20);
    for (let p = 0; p < count; p++) {
      expect(a.x[p]).toBeGreaterThanOrEqual(0);
      expect(a.x[p]).toBeLessThanOrEqual(1);
      expect(a.y[p]).toBeGreaterThanOrEqual(0);
      expect(a.y[p]).toBeLessThanOrEqual(1);
    }
    let agree = 0;
    for (let i = 0; i < a.neighbours.length; i++)
      if (labels[a.neighbours[i]] === labels[Math.floor(i / 10)]) agree++;
    expect(agree / a.neighbours.length).toBeGreaterThan(0.99);
  });

  it('normalizeUnit keeps the aspect: the longer side spans [0, 1], the other is centred', () => {
    const x = Float32Array.from([-2, 2, 0]);
    const y = Float32Array.from([10, 11, 12]);
    normalizeUnit(x, y);
    expect(Array.from(x)).toEqual([0, 1, 0.5]);
    expect(Array.from(y)).toEqual([0.25, 0.5, 0.75]);
  });
});
