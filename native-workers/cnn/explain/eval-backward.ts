/**
 * Backward of one layer AFTER AN EVAL-MODE FORWARD, for explanations (the gradient of a class score with respect
 * to an activation). The layers' own backward functions assume a training forward and accumulate parameter
 * gradients into the model's grads; this one differs where eval differs and never touches the model:
 *
 *   batchNorm  eval forward is out = γ·(x − runningMean)/√(runningVar + ε) + β, an affine map per channel, so
 *              dinp += dout · γ / √(runningVar + ε)  (no batch-statistics correction terms)
 *   dropout    the identity in eval, so dinp += dout
 *   maxPool2d  the window maxima ("switches") are recomputed from the layer's input (the layer's own are private
 *              and belong to its last forward)
 *   dense      the input gradient only, dinp[i] += Σ_o dout[o] · W[o, i] (denseInputBackward): the KernelSet's
 *              backward also forms the weight gradient, an outer product as large as W, which for a big flatten →
 *              dense layer cost 20–40 ms per image against ~1 ms for this loop
 *   conv2d     the model's KernelSet backward, its weight gradient going to a scratch buffer that is thrown away
 *              (model.grads is never written: a model that trains is not disturbed)
 *   relu, leakyRelu, avgPool2d, globalAvgPool, flatten  the same as in training
 *
 * Shapes: inp [C, H, W] of layer i (batch 1), out its output, dout the gradient of its output; dinp (zeroed by
 * the caller) receives the gradient of its input. Requires model.forwardUnfused() of that image first.
 */
import type { BatchNormLayerSpec } from '../../../app/domain/model-spec';
import type { Model } from '../model';
import { avgPool2dBackward } from '../ops/avg-pool2d';
import { batchNormBackwardEval } from '../ops/batch-norm';
import { denseInputBackward } from '../ops/dense';
import { flattenBackward } from '../ops/flatten';
import { globalAvgPoolBackward } from '../ops/global-avg-pool';
import { leakyReluBackward } from '../ops/leaky-relu';
import { conv2dShapeOf, pool2dShapeOf } from '../layers/geometry';
import { sizeOf, type LayerPlan } from '../plan';

/** The conv geometry of a planned conv2d layer, for one image. */
export const convShapeOf = (plan: LayerPlan) => conv2dShapeOf(plan, 1);

/** The pooling geometry of a planned max/avg pooling layer, for one image. */
export const poolShapeOf = (plan: LayerPlan) => pool2dShapeOf(plan, 1);

/** Accumulates into dinp the gradient of layer i's input, given that of its output (see the module comment). */
export function layerBackwardEval(
  model: Model,
  i: number,
  inp: Float32Array,
  out: Float32Array,
  dout: Float32Array,
  dinp: Float32Array,
): void {
  const plan = model.plans[i];
  const spec = plan.spec;
  const k = model.kernels;
  const inSize = sizeOf(plan.inShape);
  switch (spec.type) {
    case 'conv2d': {
      const weight = model.param(i, 'weight');
      k.conv2dBackward(convShapeOf(plan), inp, weight, dout, dinp, new Float32Array(weight.length), null);
      return;
    }
    case 'dense':
      denseInputBackward(inSize, plan.outShape[0], model.param(i, 'weight'), dout, dinp);
      return;
    case 'maxPool2d': {
      const s = poolShapeOf(plan);
      const outSize = sizeOf(plan.outShape);
      const argmax = new Int32Array(outSize);
      k.maxPool2dForward(s, inp, new Float32Array(outSize), argmax);
      k.maxPool2dBackward(s, dout, argmax, dinp);
      return;
    }
    case 'avgPool2d':
      avgPool2dBackward(poolShapeOf(plan), dout, dinp);
      return;
    case 'globalAvgPool': {
      const [C, H, W] = plan.inShape;
      globalAvgPoolBackward({ batch: 1, channels: C, spatial: H * W }, dout, dinp);
      return;
    }
    case 'relu':
      k.reluBackward(out.subarray(0, inSize), dout.subarray(0, inSize), dinp.subarray(0, inSize));
      return;
    case 'leakyRelu':
      leakyReluBackward(inp.subarray(0, inSize), dout, dinp, spec.alpha ?? 0.01);
      return;
    case 'dropout': // the identity in eval
    case 'flatten':
      flattenBackward(dout, dinp, inSize);
      return;
    case 'batchNorm': {
      const [C, H, W] = plan.inShape;
      const o = model.layout.stateOffsets[i];
      const runningVar = model.state.subarray(o + C, o + 2 * C);
      const epsilon = (spec as BatchNormLayerSpec).epsilon ?? 1e-5;
      batchNormBackwardEval(C, H * W, epsilon, model.param(i, 'gamma'), runningVar, dout, dinp);
      return;
    }
    default: {
      const never: never = spec;
      throw new Error(`no eval backward for layer ${JSON.stringify(never)}`);
    }
  }
}
