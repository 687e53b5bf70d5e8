/** A convolution layer: runs conv2d through the model's KernelSet. */
import type { Conv2dShape } from '../kernel-set';
import type { LayerPlan } from '../plan';
import { shapeCache, type Layer, type LayerContext } from './layer';

/** Creates a conv2d layer from its plan. */
export function createConv2dLayer(plan: LayerPlan, ctx: LayerContext): Layer {
  const [C, H, W] = plan.inShape;
  const [OC, OH, OW] = plan.outShape;
  const g = plan.conv!;
  const shape = shapeCache<Conv2dShape>({
    batch: ctx.maxBatch,
    inChannels: C,
    inHeight: H,
    inWidth: W,
    outChannels: OC,
    kernelHeight: g.kernel[0],
    kernelWidth: g.kernel[1],
    strideH: g.stride[0],
    strideW: g.stride[1],
    padTop: g.padTop,
    padLeft: g.padLeft,
    outHeight: OH,
    outWidth: OW,
  });
  const weight = ctx.param('weight');
  const bias = ctx.param('bias');
  const dweight = ctx.grad('weight');
  const dbias = ctx.grad('bias');
  const k = ctx.kernels;
  const fused = k.conv2dReluForward?.bind(k);
  return {
    plan,
    inShape: plan.inShape,
    outShape: plan.outShape,
    forward: (inp, out, batch) => k.conv2dForward(shape(batch), inp, weight, bias, out),
    ...(fused && {
      forwardRelu: (inp: Float32Array, out: Float32Array, batch: number) =>
        fused(shape(batch), inp, weight, bias, out),
    }),
    backward: (inp, _out, dout, dinp, batch) =>
      k.conv2dBackward(shape(batch), inp, weight, dout, dinp, dweight, dbias),
  };
}
