/**
 * A batch normalization layer; its running mean and variance live in the model's state buffer. It runs the
 * KernelSet's batch-norm ops where the set has them (the native and wasm kernels), else the reference ops.
 */
import type { BatchNormLayerSpec } from '../../../app/domain/model-spec';
import type { BatchNormShape } from '../kernel-set';
import { batchNormBackwardTrain, batchNormForwardEval, batchNormForwardTrain } from '../ops/batch-norm';
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
  const k = ctx.kernels;
  const forwardTrain = k.batchNormForwardTrain?.bind(k) ?? batchNormForwardTrain;
  const forwardEval = k.batchNormForwardEval?.bind(k) ?? batchNormForwardEval;
  const backwardTrain = k.batchNormBackwardTrain?.bind(k) ?? batchNormBackwardTrain;
  const forwardReluEval = k.batchNormReluForwardEval?.bind(k);
  const forwardReluTrain = k.batchNormReluForwardTrain?.bind(k);
  const backwardReluTrain = k.batchNormReluBackwardTrain?.bind(k);
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
      if (training) forwardTrain(shape(batch), inp, gamma, beta, out, mean, invStd, runningMean, runningVar);
      else forwardEval(shape(batch), inp, gamma, beta, out, runningMean, runningVar);
    },
    // inference only (Model.fuseRelu): the following relu layer's output, this layer's own buffer left stale
    ...(forwardReluEval && {
      forwardRelu: (inp: Float32Array, out: Float32Array, batch: number) =>
        forwardReluEval(shape(batch), inp, gamma, beta, out, runningMean, runningVar),
    }),
    backward: (inp, _out, dout, dinp, batch) =>
      backwardTrain(shape(batch), inp, gamma, mean, invStd, dout, dinp, dgamma, dbeta),
    // training with a following relu (Model.fuseReluTrain): one pass less each way, and no relu gradient buffer
    ...(forwardReluTrain &&
      backwardReluTrain && {
        forwardReluTrain: (inp: Float32Array, out: Float32Array, batch: number) =>
          forwardReluTrain(shape(batch), inp, gamma, beta, out, mean, invStd, runningMean, runningVar),
        backwardRelu: (
          inp: Float32Array,
          reluOut: Float32Array,
          dout: Float32Array,
          dinp: Float32Array | null,
          batch: number,
        ) => backwardReluTrain(shape(batch), inp, gamma, mean, invStd, reluOut, dout, dinp, dgamma, dbeta),
      }),
  };
}
