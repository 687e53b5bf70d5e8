/** Max, average and global average pooling layers. */
import type { Pool2dShape } from '../kernel-set';
import { avgPool2dBackward, avgPool2dForward } from '../ops/avg-pool2d';
import { globalAvgPoolBackward, globalAvgPoolForward } from '../ops/global-avg-pool';
import type { LayerPlan } from '../plan';
import { pool2dShapeOf } from './geometry';
import { shapeCache, type Layer, type LayerContext } from './layer';

function poolShape(plan: LayerPlan, maxBatch: number): (batch: number) => Pool2dShape {
  return shapeCache<Pool2dShape>(pool2dShapeOf(plan, maxBatch));
}

/** Creates a max pooling layer; it keeps the argmax switches of the last forward for backward. */
export function createMaxPool2dLayer(plan: LayerPlan, ctx: LayerContext): Layer {
  const shape = poolShape(plan, ctx.maxBatch);
  const [C, OH, OW] = plan.outShape;
  const argmax = new Int32Array(ctx.maxBatch * C * OH * OW);
  const k = ctx.kernels;
  return {
    plan,
    inShape: plan.inShape,
    outShape: plan.outShape,
    maxPool: { shape, argmax },
    forward: (inp, out, batch) => k.maxPool2dForward(shape(batch), inp, out, argmax),
    backward: (_inp, _out, dout, dinp, batch) => {
      if (dinp) k.maxPool2dBackward(shape(batch), dout, argmax, dinp);
    },
    ...(k.maxPool2dReluBackward && {
      backwardThroughRelu: (out: Float32Array, dout: Float32Array, dinp: Float32Array, batch: number) =>
        k.maxPool2dReluBackward!(shape(batch), dout, argmax, out, dinp, true),
    }),
  };
}

/** Creates an average pooling layer. */
export function createAvgPool2dLayer(plan: LayerPlan, ctx: LayerContext): Layer {
  const shape = poolShape(plan, ctx.maxBatch);
  return {
    plan,
    inShape: plan.inShape,
    outShape: plan.outShape,
    forward: (inp, out, batch) => avgPool2dForward(shape(batch), inp, out),
    backward: (_inp, _out, dout, dinp, batch) => {
      if (dinp) avgPool2dBackward(shape(batch), dout, dinp);
    },
  };
}

/** Creates a global average pooling layer. */
export function createGlobalAvgPoolLayer(plan: LayerPlan): Layer {
  const [C, H, W] = plan.inShape;
  const shape = (batch: number) => ({ batch, channels: C, spatial: H * W });
  return {
    plan,
    inShape: plan.inShape,
    outShape: plan.outShape,
    forward: (inp, out, batch) => globalAvgPoolForward(shape(batch), inp, out),
    backward: (_inp, _out, dout, dinp, batch) => {
      if (dinp) globalAvgPoolBackward(shape(batch), dout, dinp);
    },
  };
}
