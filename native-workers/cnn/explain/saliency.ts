/**
 * Input saliency (Simonyan et al. 2014, "vanilla gradient"): how much each pixel, changed a little, would change
 * the class's pre-softmax score. values[y, x] = max over channels of |∂y_c / ∂x[c, y, x]|, divided by its maximum
 * (all zeros when the gradient is zero). Finer but noisier than Grad-CAM; the same one backward pass, down to the
 * input (class-gradient.ts).
 */
import type { Model } from '../model';
import { classScoreGradient, INPUT_LAYER } from './class-gradient';
import { normalizedRelu } from './grad-cam';

export interface Saliency {
  width: number;
  height: number;
  /** [height, width] row-major, in [0, 1]. */
  values: Float32Array;
  classIndex: number;
}

/** The input saliency of one image for `classIndex` (default: the predicted class). */
export function inputSaliency(model: Model, image: Float32Array, classIndex?: number): Saliency {
  const g = classScoreGradient(model, image, INPUT_LAYER, classIndex);
  const [C, H, W] = g.shape;
  const S = H * W;
  const map = new Float64Array(S);
  for (let c = 0; c < C; c++)
    for (let i = 0; i < S; i++) map[i] = Math.max(map[i], Math.abs(g.gradient[c * S + i]));
  return { width: W, height: H, values: normalizedRelu(map), classIndex: g.classIndex };
}
