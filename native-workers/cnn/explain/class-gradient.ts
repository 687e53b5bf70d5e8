/**
 * The gradient of one class score with respect to one layer's output, for one image in eval mode: the shared
 * step of Grad-CAM (grad-cam.ts) and input saliency (saliency.ts).
 *
 * The class score is the PRE-SOFTMAX logit y_c of class c, as in the Grad-CAM paper (Selvaraju et al. 2017): its
 * gradient says how each activation raises that class's evidence, independently of the other classes (the
 * gradient of the probability p_c would be p_c · (∂y_c − Σ_k p_k ∂y_k), vanishing when the model is confident).
 *
 *   1. model.forwardUnfused(image): eval mode (batchnorm on running statistics, dropout off), every layer's own
 *      output kept in model.activations (no fused conv + relu).
 *   2. dy/dlogits = onehot(c); then, from the last layer down to layer `layerIndex + 1`, the eval-mode backward of
 *      each layer (eval-backward.ts) turns the gradient of its output into that of its input.
 *
 * The model's grads and parameters are never written: an inference model (or one that trains, between steps)
 * is left as it was, except for its activation buffers, which every forward overwrites anyway.
 */
import type { ActivationShape } from '../../../app/domain/model-spec';
import { argmaxRow, type Model } from '../model';
import { sizeOf } from '../plan';
import { layerBackwardEval } from './eval-backward';

/** layerIndex of the network input itself (the gradient with respect to the pixels). */
export const INPUT_LAYER = -1;

/** ∂(logit of classIndex) / ∂(output of layerIndex), for one image. */
export interface ClassGradient {
  /** The image's logits, [numClasses] (a copy). */
  logits: Float32Array;
  classIndex: number;
  /** The layer differentiated against; INPUT_LAYER (−1) for the input. */
  layerIndex: number;
  /** Shape of that layer's output (or of the input). */
  shape: ActivationShape;
  /** That layer's output for the image, [C, H, W] (a copy). */
  activations: Float32Array;
  /** The gradient, same shape. */
  gradient: Float32Array;
}

/**
 * Forwards one image ([C, H, W], model.inputSize values) and backpropagates the logit of `classIndex` (default:
 * the highest one) down to the output of `layerIndex` (INPUT_LAYER: down to the image).
 */
export function classScoreGradient(
  model: Model,
  image: Float32Array,
  layerIndex: number,
  classIndex?: number,
): ClassGradient {
  const L = model.layers.length;
  if (image.length !== model.inputSize)
    throw new Error(`expected one image of ${model.inputSize} values, got ${image.length}`);
  if (!Number.isInteger(layerIndex) || layerIndex < INPUT_LAYER || layerIndex >= L)
    throw new Error(`layerIndex must be −1 (the input) or 0..${L - 1}, got ${layerIndex}`);
  const K = model.numClasses;
  const logits = model.forwardUnfused(image).slice(0, K);
  const c = classIndex ?? argmaxRow(logits, 0, K);
  if (!Number.isInteger(c) || c < 0 || c >= K)
    throw new Error(`classIndex must be 0..${K - 1}, got ${classIndex}`);

  let dout = new Float32Array(K);
  dout[c] = 1;
  for (let i = L - 1; i > layerIndex; i--) {
    const inp = i === 0 ? image : model.activations[i - 1];
    const dinp = new Float32Array(sizeOf(model.plans[i].inShape));
    layerBackwardEval(model, i, inp, model.activations[i], dout, dinp);
    dout = dinp;
  }
  const shape: ActivationShape =
    layerIndex === INPUT_LAYER
      ? [model.spec.input.channels, model.spec.input.height, model.spec.input.width]
      : model.plans[layerIndex].outShape;
  const activations =
    layerIndex === INPUT_LAYER ? image.slice() : model.activations[layerIndex].slice(0, sizeOf(shape));
  return { logits, classIndex: c, layerIndex, shape, activations, gradient: dout };
}

/** Softmax of one row of logits (stable: the max is subtracted first). */
export function softmax(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k]);
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) sum += out[k] = Math.exp(logits[k] - max);
  for (let k = 0; k < logits.length; k++) out[k] /= sum;
  return out;
}
