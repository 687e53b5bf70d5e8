/** The KernelSet geometry of a planned conv2d or pooling layer for `batch` images (layers and explanations). */
import type { Conv2dShape, Pool2dShape } from '../kernel-set';
import type { LayerPlan } from '../plan';

export function conv2dShapeOf(plan: LayerPlan, batch: number): Conv2dShape {
  const [C, H, W] = plan.inShape;
  const [OC, OH, OW] = plan.outShape;
  const g = plan.conv!;
  return {
    batch,
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
  };
}

export function pool2dShapeOf(plan: LayerPlan, batch: number): Pool2dShape {
  const [C, H, W] = plan.inShape;
  const g = plan.pool!;
  return {
    batch,
    channels: C,
    inHeight: H,
    inWidth: W,
    poolHeight: g.size[0],
    poolWidth: g.size[1],
    strideH: g.stride[0],
    strideW: g.stride[1],
    outHeight: plan.outShape[1],
    outWidth: plan.outShape[2],
  };
}
