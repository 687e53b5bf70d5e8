/**
 * Grad-CAM (Selvaraju et al. 2017): which regions of one image raised the score of a class.
 *
 *   A      the target layer's output for the image, [K, H, W]
 *   g      ∂y_c / ∂A, y_c the PRE-SOFTMAX logit of class c (class-gradient.ts)
 *   α_k    = (1 / H·W) Σ_{y,x} g[k, y, x]                 (how much channel k matters for class c)
 *   map    = ReLU(Σ_k α_k · A[k])                          [H, W]; only evidence FOR the class is kept
 *   values = map / max(map), in [0, 1]                     (a map that is zero everywhere stays zero: no NaN)
 *
 * The map has the target layer's resolution; whoever draws it upsamples it over the network's input frame (the
 * centre-cropped square the model saw).
 *
 * Target layer (gradCamLayer): the last layer whose output is spatial (H·W > 1), stepping back over trailing
 * pooling and dropout layers, i.e. the last convolution block's output after its activation and BEFORE its
 * pooling, as the paper does (VGG-16: relu5_3, 14×14, not pool5, 7×7). Reasons: pooling halves the resolution of
 * the map (a 28 px `small` model: 3×3 after the last pool, 7×7 before it) and adds nothing Grad-CAM needs: α_k
 * only changes by the pooling's uniform factor, and the map weighs the same channels. With a GlobalAveragePool →
 * Dense head this target makes Grad-CAM equal to CAM (α_k = w_ck / H·W). A model with no spatial layer at all
 * falls back to the input (layerIndex −1).
 */
import type { Model } from '../model';
import { classScoreGradient, INPUT_LAYER, softmax } from './class-gradient';

/** One Grad-CAM map. */
export interface GradCam {
  width: number;
  height: number;
  /** [height, width] row-major, in [0, 1]. */
  values: Float32Array;
  /** The layer whose activations it weighs (−1: the input). */
  layerIndex: number;
  /** The class it explains. */
  classIndex: number;
  /** The image's logits and softmax probabilities, [numClasses]. */
  logits: Float32Array;
  probabilities: Float32Array;
}

export interface GradCamOptions {
  /** Explain this class (default: the predicted one, the highest logit). */
  classIndex?: number;
  /** Weigh this layer's output (default: gradCamLayer(model)); must be spatial (H·W > 1) or −1. */
  layerIndex?: number;
}

const skippedAtTheEnd = new Set(['maxPool2d', 'avgPool2d', 'dropout']);

/** The default target layer: see the module comment. */
export function gradCamLayer(model: Model): number {
  const spatial = (i: number) => model.plans[i].outShape[1] * model.plans[i].outShape[2] > 1;
  let i = model.plans.length - 1;
  while (i >= 0 && !spatial(i)) i--;
  if (i < 0) return INPUT_LAYER;
  while (i > 0 && skippedAtTheEnd.has(model.plans[i].spec.type) && spatial(i - 1)) i--;
  return i;
}

/** The Grad-CAM map of one image ([C, H, W], values as the network takes them). */
export function gradCam(model: Model, image: Float32Array, options: GradCamOptions = {}): GradCam {
  const layerIndex = options.layerIndex ?? gradCamLayer(model);
  const g = classScoreGradient(model, image, layerIndex, options.classIndex);
  const [K, H, W] = g.shape;
  const S = H * W;
  if (S <= 1 && layerIndex !== INPUT_LAYER)
    throw new Error(`layer ${layerIndex} is not spatial (${K}×${H}×${W}); Grad-CAM needs a map`);
  const map = new Float64Array(S);
  for (let k = 0; k < K; k++) {
    let sum = 0;
    for (let i = k * S; i < (k + 1) * S; i++) sum += g.gradient[i];
    const alpha = sum / S;
    if (alpha === 0) continue;
    for (let i = 0; i < S; i++) map[i] += alpha * g.activations[k * S + i];
  }
  return {
    width: W,
    height: H,
    values: normalizedRelu(map),
    layerIndex,
    classIndex: g.classIndex,
    logits: g.logits,
    probabilities: softmax(g.logits),
  };
}

/** max(0, v) / max over the map; all zeros when nothing is positive or a value is not finite. */
export function normalizedRelu(map: ArrayLike<number>): Float32Array {
  const out = new Float32Array(map.length);
  let max = 0;
  for (let i = 0; i < map.length; i++) {
    const v = map[i];
    if (Number.isNaN(v) || !Number.isFinite(v)) return out;
    if (v > max) max = v;
  }
  if (max > 0) for (let i = 0; i < map.length; i++) out[i] = map[i] > 0 ? map[i] / max : 0;
  return out;
}
