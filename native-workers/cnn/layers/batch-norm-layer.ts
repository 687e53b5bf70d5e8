/** A batch normalization layer; its running mean and variance live in the model's state buffer. */
import type { BatchNormLayerSpec } from '../../../app/domain/model-spec';
import {
  batchNormBackwardTrain,
  batchNormForwardEval,
  batchNormForwardTrain,
  type BatchNormShape,
} from '../ops/batch-norm';
import type { LayerPlan } from '../plan';
import { shapeCache, type Layer, type LayerContext } from './layer';

/** Creates a batchnorm layer from its plan. */
export function createBatchNormLayer(plan: LayerPlan, ctx: LayerContext): Layer {
  const [C, H, W] = plan.inShape;
  const spec = plan.spec as BatchNormLayerSpec;
  const shape = shapeCache<BatchNormShape>({
    batch: ctx.maxBatch,
    channels: C,
    spatial: H * W,
    epsilon: spec.epsilon ?? 1e-5,
    momentum: spec.momentum ?? 0.1,
  });
  const gamma = ctx.param('gamma');
  const beta = ctx.param('beta');
  const dgamma = ctx.grad('gamma');
  const dbeta = ctx.grad('beta');
  const runningMean = ctx.state.subarray(0, C);
  const runningVar = ctx.state.subarray(C, 2 * C);
  const mean = new Float32Array(C);
  const invStd = new Float32Array(C);
  return {
    plan,
    inShape: plan.inShape,
    outShape: plan.outShape,
    forward: (inp, out, batch, training) => {
      if (training)
        batchNormForwardTrain(shape(batch), inp, gamma, beta, out, mean, invStd, runningMean, runningVar);
      else batchNormForwardEval(shape(batch), inp, gamma, beta, out, runningMean, runningVar);
    },
    backward: (inp, _out, dout, dinp, batch) =>
      batchNormBackwardTrain(shape(batch), inp, gamma, mean, invStd, dout, dinp, dgamma, dbeta),
  };
}
