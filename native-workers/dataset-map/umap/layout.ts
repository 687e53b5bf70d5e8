/**
 * UMAP's layout optimisation (umap-learn's optimize_layout_euclidean): stochastic gradient descent on the fuzzy
 * set cross-entropy between the graph and the 2-D map, whose low-dimensional membership is 1 / (1 + a·d^(2b)).
 *
 * - Each edge (i, j) with membership w is sampled every max(w)/w epochs (epochs-per-sample scheduling), so strong
 *   edges pull more often instead of pulling harder: every update has the same scale.
 * - Each positive sample is followed by NEGATIVE_SAMPLE_RATE random points that push i away (the repulsive term
 *   of the cross-entropy, estimated by sampling instead of summed over all n² pairs).
 * - Every gradient coordinate is clipped to ±4 (a pair that lands on top of each other would otherwise explode),
 *   and the learning rate decays linearly from 1 to 0 over the epochs.
 * Random numbers come from the seeded xoshiro (cnn/rng.ts) in a fixed order, so the same input gives the same map.
 */
import type { Rng } from '../../cnn/rng';
import type { Csr } from './fuzzy-set';

/** Negative samples per positive one (umap-learn's negative_sample_rate). */
export const NEGATIVE_SAMPLE_RATE = 5;
const CLIP = 4;
const INITIAL_ALPHA = 1;
/** Weight of the repulsive term (umap-learn's repulsion_strength). */
const GAMMA = 1;

/** The curve 1 / (1 + a·d^(2b)) for spread 1, min_dist 0.1 (umap-learn's find_ab_params(1, 0.1), least squares). */
export const CURVE_A = 1.5769434603113077;
export const CURVE_B = 0.8950608781227859;

export interface LayoutOptions {
  epochs: number;
  rng: Rng;
  onEpoch?: (done: number, total: number) => void;
}

/**
 * 1 / (1 + a·d^(2b)) tabulated over the distance d (not d²) in steps of 1/TABLE_STEPS up to TABLE_MAX, read with
 * linear interpolation: the repulsive term needs it for ~5 of every 6 samples, and exp∘log there was most of the
 * layout's time. Relative interpolation error < 1e-4 (largest near d = 0, where d^1.79 bends most); farther pairs use the formula.
 */
const TABLE_STEPS = 128;
const TABLE_MAX = 64;
const repulsionTable = (() => {
  const t = new Float64Array(TABLE_MAX * TABLE_STEPS + 2);
  for (let i = 0; i < t.length; i++) t[i] = 1 / (1 + CURVE_A * Math.pow(i / TABLE_STEPS, 2 * CURVE_B));
  return t;
})();

/** 1 / (1 + a·(d²)^b) for d² > 0. */
function curve(d2: number): number {
  const u = Math.sqrt(d2) * TABLE_STEPS;
  if (u >= TABLE_MAX * TABLE_STEPS) return 1 / (1 + CURVE_A * Math.exp(CURVE_B * Math.log(d2)));
  const i = Math.floor(u);
  const f = u - i;
  return repulsionTable[i] + f * (repulsionTable[i + 1] - repulsionTable[i]);
}

const clip = (v: number) => (v > CLIP ? CLIP : v < -CLIP ? -CLIP : v);

/**
 * Optimises the 2-D coordinates `xy` (float32 [count, 2], in place) against the graph. Edges weaker than
 * max / epochs would never be sampled and are skipped, as in umap-learn.
 */
export function optimizeLayout(xy: Float32Array, graph: Csr, options: LayoutOptions): void {
  const { epochs, rng } = options;
  const { rowStart, cols, values, count } = graph;
  let maxWeight = 0;
  for (let e = 0; e < values.length; e++) if (values[e] > maxWeight) maxWeight = values[e];
  // the edge list: head = row, tail = column, every stored entry (both directions of each pair) is an edge
  const head = new Int32Array(values.length);
  const tail = new Int32Array(values.length);
  const epochsPerSample = new Float64Array(values.length);
  let edges = 0;
  for (let i = 0; i < count; i++)
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      if (values[e] < maxWeight / epochs) continue;
      head[edges] = i;
      tail[edges] = cols[e];
      epochsPerSample[edges++] = maxWeight / values[e];
    }
  const nextSample = epochsPerSample.slice(0, edges);
  const perNegative = new Float64Array(edges);
  for (let e = 0; e < edges; e++) perNegative[e] = epochsPerSample[e] / NEGATIVE_SAMPLE_RATE;
  const nextNegative = perNegative.slice();
  let state = rng.nextUint32() | 1; // the negative samples' xorshift32 state (never 0)
  const a = CURVE_A;
  const b = CURVE_B;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const alpha = INITIAL_ALPHA * (1 - epoch / epochs);
    for (let e = 0; e < edges; e++) {
      if (nextSample[e] > epoch) continue;
      const i = 2 * head[e];
      let j = 2 * tail[e];
      // attraction: d/dy of −w·log(1 / (1 + a·d^(2b))), with d² = ‖yᵢ − yⱼ‖²
      let dx = xy[i] - xy[j];
      let dy = xy[i + 1] - xy[j + 1];
      let d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const powB = Math.exp(b * Math.log(d2)); // d2^b: exp∘log is about twice as fast as Math.pow in V8
        const coeff = (-2 * a * b * (powB / d2)) / (a * powB + 1);
        const gx = clip(coeff * dx) * alpha;
        const gy = clip(coeff * dy) * alpha;
        xy[i] += gx;
        xy[i + 1] += gy;
        xy[j] -= gx; // both ends move (the map is its own reference)
        xy[j + 1] -= gy;
      }
      nextSample[e] += epochsPerSample[e];
      // repulsion from the negative samples due since the last visit (NEGATIVE_SAMPLE_RATE per positive)
      const negatives = Math.floor((epoch - nextNegative[e]) / perNegative[e]);
      for (let s = 0; s < negatives; s++) {
        // xorshift32 inline (seeded from rng): no call, no object state in the hottest loop
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        j = 2 * ((state >>> 0) % count);
        if (j === i) continue;
        dx = xy[i] - xy[j];
        dy = xy[i + 1] - xy[j + 1];
        d2 = dx * dx + dy * dy;
        if (d2 <= 0) continue; // coincident points: no direction to push
        const coeff = ((2 * GAMMA * b) / (0.001 + d2)) * curve(d2);
        xy[i] += clip(coeff * dx) * alpha;
        xy[i + 1] += clip(coeff * dy) * alpha;
      }
      nextNegative[e] += negatives * perNegative[e];
    }
    options.onEpoch?.(epoch + 1, epochs);
  }
}
