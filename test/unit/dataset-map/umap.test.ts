/**
 * Our UMAP (native-workers/dataset-map/umap/): the fuzzy simplicial set (each row's directed memberships sum to
 * log₂(n_neighbors), as the smooth-kNN search demands; the fuzzy union is symmetric and contains every kNN edge),
 * seeding (same input and seed: identical coordinates; another seed: different ones) and quality (10 well-separated
 * Gaussian clusters in 50-D keep ≥ 95 % of each point's 10 nearest 2-D neighbours inside its cluster).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../native-workers/cnn/rng';
import { nearestNeighbours } from '../../../native-workers/dataset-map/knn';
import { pca } from '../../../native-workers/dataset-map/pca';
import { umap2d, umapEpochs, UMAP_NEIGHBOURS } from '../../../native-workers/dataset-map/umap';
import { fuzzySimplicialSet, memberships } from '../../../native-workers/dataset-map/umap/fuzzy-set';
import { fastKernels } from '../../../native-workers/kernels/fast-kernels';

/** `clusters` Gaussian clusters (unit variance) around centres drawn with standard deviation `spread`. */
function clusters(perCluster: number, count: number, dims: number, spread: number, seed: number) {
  const rng = new Rng(seed);
  const centres = Array.from({ length: count }, () =>
    Array.from({ length: dims }, () => spread * rng.normal()),
  );
  const n = perCluster * count;
  const x = new Float32Array(n * dims);
  const labels = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    labels[p] = p % count;
    for (let d = 0; d < dims; d++) x[p * dims + d] = centres[labels[p]][d] + rng.normal();
  }
  return { x, labels, n };
}

const kernels = fastKernels();
const K = UMAP_NEIGHBOURS - 1;

describe('fuzzy simplicial set', () => {
  const dims = 10;
  const { x, n } = clusters(50, 4, dims, 2, 3); // overlapping clusters: varied local densities
  const knn = nearestNeighbours(kernels, x, n, dims, K);

  it("each row's directed memberships sum to log2(n_neighbors), the nearest at 1", () => {
    const w = memberships(knn, n, UMAP_NEIGHBOURS);
    for (let p = 0; p < n; p++) {
      let sum = 0;
      for (let j = 0; j < K; j++) {
        expect(w[p * K + j]).toBeGreaterThan(0);
        expect(w[p * K + j]).toBeLessThanOrEqual(1);
        sum += w[p * K + j];
      }
      expect(sum, `row ${p}`).toBeCloseTo(Math.log2(UMAP_NEIGHBOURS), 3);
      expect(w[p * K]).toBe(1); // local connectivity: the nearest neighbour fully
    }
  });

  it('the fuzzy union is symmetric CSR (sorted columns, no self loops) holding every kNN edge at ≥ its membership', () => {
    const g = fuzzySimplicialSet(knn, n, UMAP_NEIGHBOURS);
    const w = memberships(knn, n, UMAP_NEIGHBOURS);
    const at = (i: number, j: number) => {
      for (let e = g.rowStart[i]; e < g.rowStart[i + 1]; e++) if (g.cols[e] === j) return g.values[e];
      return 0;
    };
    for (let i = 0; i < n; i++) {
      for (let e = g.rowStart[i]; e < g.rowStart[i + 1]; e++) {
        const j = g.cols[e];
        expect(j).not.toBe(i);
        if (e > g.rowStart[i]) expect(j).toBeGreaterThan(g.cols[e - 1]);
        expect(g.values[e]).toBeLessThanOrEqual(1);
        expect(at(j, i), `(${j}, ${i}) mirrors (${i}, ${j})`).toBe(g.values[e]);
      }
      for (let j = 0; j < K; j++) {
        const q = knn.indices[i * K + j];
        const a = w[i * K + j];
        expect(at(i, q)).toBeGreaterThanOrEqual(a - 1e-6);
      }
    }
    // a pair each end holds: a + b − ab
    let checked = 0;
    for (let i = 0; i < n && checked < 20; i++)
      for (let j = 0; j < K; j++) {
        const q = knn.indices[i * K + j];
        const back = Array.from(knn.indices.subarray(q * K, q * K + K)).indexOf(i);
        if (back < 0) continue;
        const a = w[i * K + j];
        const b = w[q * K + back];
        expect(at(i, q)).toBeCloseTo(a + b - a * b, 6);
        checked++;
      }
    expect(checked).toBeGreaterThanOrEqual(20);
  });
});

describe('UMAP layout', () => {
  const dims = 50;
  const { x, labels, n } = clusters(100, 10, dims, 3, 11); // 1,000 points, centres ≈ 4.2·√50 apart vs σ = 1
  const reduced = pca(x, n, dims, 50);
  const knn = nearestNeighbours(kernels, reduced.values, n, reduced.components, K);
  const run = (seed: number) => umap2d(reduced.values, n, reduced.components, knn, seed);

  it('is seeded: the same input and seed give identical coordinates, another seed different ones', () => {
    const a = run(1);
    const b = run(1);
    const c = run(2);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
    for (const v of a.x) expect(Number.isFinite(v)).toBe(true);
  });

  it("keeps ≥ 95 % of each point's 10 nearest 2-D neighbours in its cluster", () => {
    const { x: mx, y: my } = run(1);
    const xy = new Float32Array(n * 2);
    for (let p = 0; p < n; p++) [xy[2 * p], xy[2 * p + 1]] = [mx[p], my[p]];
    const map = nearestNeighbours(kernels, xy, n, 2, 10);
    let same = 0;
    for (let i = 0; i < map.indices.length; i++)
      if (labels[map.indices[i]] === labels[Math.floor(i / 10)]) same++;
    expect(same / map.indices.length).toBeGreaterThanOrEqual(0.95);
  });

  it('runs 500 epochs up to 10,000 points and 200 above, reporting each', () => {
    expect(umapEpochs(10_000)).toBe(500);
    expect(umapEpochs(10_001)).toBe(200);
    const seen: number[] = [];
    umap2d(reduced.values, n, reduced.components, knn, 1, (done, total) => {
      expect(total).toBe(500);
      seen.push(done);
    });
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });
});
