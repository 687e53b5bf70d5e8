/** A fully connected layer: runs dense through the model's KernelSet; a [C, H, W] input is read flattened. */
import type { DenseShape } from '../kernel-set';
import type { LayerPlan } from '../plan';
import { shapeCache, type Layer, type LayerContext } from './layer';

/** Creates a dense layer from its plan. */
export function createDenseLayer(plan: LayerPlan, ctx: LayerContext): Layer {
  const [C, H, W] = plan.inShape;
  const shape = shapeCache<DenseShape>({
    batch: ctx.maxBatch,
    inFeatures: C * H * W,
    outFeatures: plan.outShape[0],
  });
  const weight = ctx.param('weight');
  const bias = ctx.param('bias');
  const dweight = ctx.grad('weight');
  const dbias = ctx.grad('bias');
  const k = ctx.kernels;
  return {
    plan,
    inShape: plan.inShape,
    outShape: plan.outShape,
    forward: (inp, out, batch) => k.denseForward(shape(batch), inp, weight, bias, out),
    backward: (inp, _out, dout, dinp, batch) =>
      k.denseBackward(shape(batch), inp, weight, dout, dinp, dweight, dbias),
  };
}
