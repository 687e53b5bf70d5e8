/** Layers that act on each value independently: ReLU, leaky ReLU, dropout, flatten (a copy). */
import { dropoutBackward, dropoutForward } from '../ops/dropout';
import { flattenBackward, flattenForward } from '../ops/flatten';
import { leakyReluBackward, leakyReluForward } from '../ops/leaky-relu';
import type { LayerPlan } from '../plan';
import { sizeOf } from '../plan';
import type { Layer, LayerContext } from './layer';

/** Creates a ReLU layer (through the KernelSet, which has no shape: it gets views of the live batch). */
export function createReluLayer(plan: LayerPlan, ctx: LayerContext): Layer {
  const size = sizeOf(plan.inShape);
  const k = ctx.kernels;
  return {
    plan,
    inShape: plan.inShape,
    outShape: plan.outShape,
    forward: (inp, out, batch) => k.reluForward(inp.subarray(0, batch * size), out.subarray(0, batch * size)),
    backward: (_inp, out, dout, dinp, batch) => {
      const n = batch * size;
      if (dinp) k.reluBackward(out.subarray(0, n), dout.subarray(0, n), dinp.subarray(0, n));
    },
  };
}

/** Creates a leaky ReLU layer. */
export function createLeakyReluLayer(plan: LayerPlan, alpha: number): Layer {
  const size = sizeOf(plan.inShape);
  return {
    plan,
    inShape: plan.inShape,
    outShape: plan.outShape,
    forward: (inp, out, batch) => leakyReluForward(inp.subarray(0, batch * size), out, alpha),
    backward: (inp, _out, dout, dinp, batch) => {
      if (dinp) leakyReluBackward(inp.subarray(0, batch * size), dout, dinp, alpha);
    },
  };
}

/** Creates an inverted dropout layer; the identity when not training. */
export function createDropoutLayer(plan: LayerPlan, ctx: LayerContext, rate: number): Layer {
  const size = sizeOf(plan.inShape);
  const mask = new Float32Array(ctx.maxBatch * size);
  return {
    plan,
    inShape: plan.inShape,
    outShape: plan.outShape,
    forward: (inp, out, batch, training) => {
      const n = batch * size;
      if (training && rate > 0) dropoutForward(inp.subarray(0, n), out, mask, rate, ctx.rng);
      else flattenForward(inp, out, n);
    },
    backward: (_inp, _out, dout, dinp, batch) => {
      const n = batch * size;
      if (!dinp) return;
      if (rate > 0) dropoutBackward(dout.subarray(0, n), mask, dinp);
      else flattenBackward(dout, dinp, n);
    },
  };
}

/** Creates a flatten layer; given its input's buffer as its output (as Model does), forward does nothing. */
export function createFlattenLayer(plan: LayerPlan): Layer {
  const size = sizeOf(plan.inShape);
  return {
    plan,
    inShape: plan.inShape,
    outShape: plan.outShape,
    forward: (inp, out, batch) => {
      if (inp !== out) flattenForward(inp, out, batch * size);
    },
    backward: (_inp, _out, dout, dinp, batch) => {
      if (dinp) flattenBackward(dout, dinp, batch * size);
    },
  };
}
