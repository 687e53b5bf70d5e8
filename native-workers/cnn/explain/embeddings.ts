/**
 * Penultimate-layer embeddings: what the classifier sees. Every model ends in a dense layer giving the class logits
 * (planModel checks it), so the embedding of an image is that layer's INPUT, the activation of the layer before it
 * (the image itself for a model that is one dense layer), after an eval-mode forward: batch norm uses its running
 * statistics and dropout is the identity. The fused fast path (model.forward eval) is safe here: it leaves only
 * layers inside a fused chain or a skipped copy stale, and always writes the final dense layer's input (see
 * Model.planInference).
 */
import type { Model } from '../model';
import { sizeOf } from '../plan';

/** Embedding width: the size of the final dense layer's input. */
export function embeddingDims(model: Model): number {
  const last = model.plans[model.plans.length - 1];
  return sizeOf(last.inShape);
}

/**
 * The embeddings of `count` images x ([count, C, H, W] flat, values as the network takes them) as float32
 * [count, dims], computed in batches of at most model.batchSize.
 */
export function embeddings(model: Model, x: Float32Array, count: number): Float32Array {
  const size = model.inputSize;
  if (!Number.isInteger(count) || count < 0 || x.length !== count * size)
    throw new Error(`expected ${count} images of ${size} values, got ${x.length} values`);
  const dims = embeddingDims(model);
  const penultimate = model.plans.length - 2;
  const out = new Float32Array(count * dims);
  for (let from = 0; from < count; from += model.batchSize) {
    const n = Math.min(model.batchSize, count - from);
    const input = x.subarray(from * size, (from + n) * size);
    model.forward(input, { training: false });
    const features = penultimate < 0 ? input : model.activations[penultimate];
    out.set(features.subarray(0, n * dims), from * dims);
  }
  return out;
}
