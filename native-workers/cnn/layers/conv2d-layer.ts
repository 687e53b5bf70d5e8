/** A convolution layer: runs conv2d through the model's KernelSet. */
import type { Conv2dShape } from '../kernel-set';
import type { LayerPlan } from '../plan';
import { conv2dShapeOf } from './geometry';
import { shapeCache, type Layer, type LayerContext } from './layer';

/** Creates a conv2d layer from its plan. */
export function createConv2dLayer(plan: LayerPlan, ctx: LayerContext): Layer {
  const shape = shapeCache<Conv2dShape>(conv2dShapeOf(plan, ctx.maxBatch));
  const weight = ctx.param('weight');
  const bias = ctx.param('bias');
  const dweight = ctx.grad('weight');
  const dbias = ctx.grad('bias');
  const k = ctx.kernels;
  return {
    plan,
    inShape: plan.inShape,
    outShape: plan.outShape,
    forward: (inp, out, batch) => k.conv2dForward(shape(batch), inp, weight, bias, out),
    // trained with a following relu only when a max pool follows that takes the relu's backward (see Model)
    ...(k.conv2dReluMaxPoolTrain && {
      forwardReluMaxPoolTrain: (
        inp: Float32Array,
        pool: NonNullable<Layer['maxPool']>,
        out: Float32Array,
        batch: number,
      ) => k.conv2dReluMaxPoolTrain!(shape(batch), pool.shape(batch), inp, weight, bias, out, pool.argmax),
    }),
    ...(k.conv2dReluMaxPoolBackwardParams && {
      backwardReluMaxPoolParams: (
        inp: Float32Array,
        pool: NonNullable<Layer['maxPool']>,
        poolOut: Float32Array,
        dout: Float32Array,
        batch: number,
      ) =>
        k.conv2dReluMaxPoolBackwardParams!(
          shape(batch),
          pool.shape(batch),
          inp,
          weight,
          dout,
          pool.argmax,
          poolOut,
          dweight,
          dbias,
        ),
    }),
    ...(k.conv2dReluForward && {
      forwardReluTrain: (inp: Float32Array, out: Float32Array, batch: number) =>
        k.conv2dReluForward!(shape(batch), inp, weight, bias, out),
    }),
    backward: (inp, _out, dout, dinp, batch) =>
      k.conv2dBackward(shape(batch), inp, weight, dout, dinp, dweight, dbias),
  };
}
