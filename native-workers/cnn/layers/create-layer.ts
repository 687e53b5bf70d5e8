/** Creates the runtime layer for a planned layer spec. */
import type { LayerPlan } from '../plan';
import { createBatchNormLayer } from './batch-norm-layer';
import { createConv2dLayer } from './conv2d-layer';
import { createDenseLayer } from './dense-layer';
import {
  createDropoutLayer,
  createFlattenLayer,
  createLeakyReluLayer,
  createReluLayer,
} from './elementwise-layers';
import type { Layer, LayerContext } from './layer';
import { createAvgPool2dLayer, createGlobalAvgPoolLayer, createMaxPool2dLayer } from './pool-layers';

/** Dispatches on the layer type (the plan has already been validated). */
export function createLayer(plan: LayerPlan, ctx: LayerContext): Layer {
  const spec = plan.spec;
  switch (spec.type) {
    case 'conv2d':
      return createConv2dLayer(plan, ctx);
    case 'dense':
      return createDenseLayer(plan, ctx);
    case 'maxPool2d':
      return createMaxPool2dLayer(plan, ctx);
    case 'avgPool2d':
      return createAvgPool2dLayer(plan, ctx);
    case 'globalAvgPool':
      return createGlobalAvgPoolLayer(plan);
    case 'relu':
      return createReluLayer(plan, ctx);
    case 'leakyRelu':
      return createLeakyReluLayer(plan, spec.alpha ?? 0.01);
    case 'dropout':
      return createDropoutLayer(plan, ctx, spec.rate);
    case 'flatten':
      return createFlattenLayer(plan);
    case 'batchNorm':
      return createBatchNormLayer(plan, ctx);
    default: {
      const never: never = spec;
      throw new Error(`unknown layer ${JSON.stringify(never)}`);
    }
  }
}
