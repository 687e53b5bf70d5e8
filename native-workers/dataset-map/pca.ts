/**
 * PCA of the embeddings: the covariance matrix is accumulated here in float64 (one pass over [count, dims], ~0.5 s
 * for 60,000 × 128; ml-pca's own SVD of the whole data matrix is far slower), ml-pca decomposes it (dims × dims,
 * instant), and the centred data is projected onto the leading components. Each component's sign is fixed (its
 * largest-magnitude entry positive) so that equal input gives equal coordinates on any machine.
 */
import { PCA } from 'ml-pca';

export interface PcaResult {
  /** float32 [count, components], the projections (component 0 has the largest variance). */
  values: Float32Array;
  components: number;
}

/** Covariance matrix (dims × dims, float64) and means of float32 rows [count, dims]. */
function covariance(x: Float32Array, count: number, dims: number): { cov: number[][]; mean: Float64Array } {
  const mean = new Float64Array(dims);
  for (let n = 0; n < count; n++) for (let d = 0; d < dims; d++) mean[d] += x[n * dims + d];
  for (let d = 0; d < dims; d++) mean[d] /= Math.max(1, count);
  const acc = new Float64Array(dims * dims);
  const row = new Float64Array(dims);
  for (let n = 0; n < count; n++) {
    for (let d = 0; d < dims; d++) row[d] = x[n * dims + d] - mean[d];
    for (let i = 0; i < dims; i++) {
      const ri = row[i];
      if (ri === 0) continue; // ReLU features are often exactly zero… after centring rarely, but cheap to test
      const o = i * dims;
      for (let j = i; j < dims; j++) acc[o + j] += ri * row[j];
    }
  }
  const cov: number[][] = [];
  for (let i = 0; i < dims; i++) {
    cov.push(new Array<number>(dims));
    for (let j = 0; j < dims; j++)
      cov[i][j] = (i <= j ? acc[i * dims + j] : acc[j * dims + i]) / Math.max(1, count - 1);
  }
  return { cov, mean };
}

/** The first `maxComponents` (at most dims) principal components of [count, dims]. */
export function pca(x: Float32Array, count: number, dims: number, maxComponents: number): PcaResult {
  const components = Math.max(1, Math.min(maxComponents, dims));
  const { cov, mean } = covariance(x, count, dims);
  const vectors = new PCA(cov, { isCovarianceMatrix: true }).getEigenvectors(); // columns, by decreasing variance
  const basis = new Float64Array(components * dims); // [component, dims]
  for (let c = 0; c < components; c++) {
    let largest = 0;
    for (let d = 0; d < dims; d++) {
      const v = vectors.get(d, c);
      basis[c * dims + d] = v;
      if (Math.abs(v) > Math.abs(largest)) largest = v;
    }
    if (largest < 0) for (let d = 0; d < dims; d++) basis[c * dims + d] = -basis[c * dims + d];
  }
  const values = new Float32Array(count * components);
  const row = new Float64Array(dims);
  for (let n = 0; n < count; n++) {
    for (let d = 0; d < dims; d++) row[d] = x[n * dims + d] - mean[d];
    for (let c = 0; c < components; c++) {
      let s = 0;
      const o = c * dims;
      for (let d = 0; d < dims; d++) s += row[d] * basis[o + d];
      values[n * components + c] = s;
    }
  }
  return { values, components };
}
