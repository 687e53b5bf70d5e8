/**
 * The one small interface every layer implements (ConvNetJS): forward writes the layer's output, backward
 * accumulates into the input gradient and into the layer's parameter gradients. Buffers are allocated by the
 * model for the largest batch; `batch` says how many examples are live in this call.
 */
import type { ActivationShape } from '../../../app/domain/model-spec';
import type { KernelSet, Pool2dShape } from '../kernel-set';
import type { ParamEntry } from '../params';
import type { LayerPlan } from '../plan';
import type { Rng } from '../rng';

/** What a layer needs from its model when it is created. */
export interface LayerContext {
  kernels: KernelSet;
  maxBatch: number;
  /** The view of each of this layer's parameters in the flat params buffer, by name. */
  param(name: ParamEntry['kind']): Float32Array;
  /** The same view in the flat gradient buffer. */
  grad(name: ParamEntry['kind']): Float32Array;
  /** This layer's slice of the non-learned state buffer. */
  state: Float32Array;
  /** The model's dropout generator. */
  rng: Rng;
}

/** A layer of a model. */
export interface Layer {
  readonly plan: LayerPlan;
  readonly inShape: ActivationShape;
  readonly outShape: ActivationShape;
  /** Writes out[0 .. batch·outSize) from inp[0 .. batch·inSize). */
  forward(inp: Float32Array, out: Float32Array, batch: number, training: boolean): void;
  /**
   * Optional inference-only fused forward of this layer followed by a ReLU: writes max(0, layer(inp)) into out
   * (the following relu layer's buffer). Present only when the KernelSet has a fused op for it (batch norm; a conv
   * is fused by Model's inference plan itself).
   */
  forwardRelu?(inp: Float32Array, out: Float32Array, batch: number): void;
  /**
   * Optional (when the KernelSet has the fused ops), for training this layer and a following relu as one:
   * forwardReluTrain writes max(0, layer(inp)) into out (the relu layer's buffer; this layer's own is left stale),
   * and backwardRelu backpropagates through both from the gradient of the relu's output, which counts where
   * reluOut > 0, exactly as the relu's own backward would pass it on. A conv layer has forwardReluTrain alone: the
   * max pool after its relu then takes the relu's backward (backwardThroughRelu).
   */
  forwardReluTrain?(inp: Float32Array, out: Float32Array, batch: number): void;
  backwardRelu?(
    inp: Float32Array,
    reluOut: Float32Array,
    dout: Float32Array,
    dinp: Float32Array | null,
    batch: number,
  ): void;
  /**
   * Optional (a max pool, when the KernelSet has maxPool2dReluBackward): the backward of this layer and of a relu
   * before it in one call, from this layer's output `out`, WRITING the gradient of the relu's input into dinp (its
   * live part; no need to zero it first).
   */
  backwardThroughRelu?(out: Float32Array, dout: Float32Array, dinp: Float32Array, batch: number): void;
  /** A max pool layer's geometry and switches (read by a fused conv + relu + pool training forward). */
  maxPool?: { shape(batch: number): Pool2dShape; readonly argmax: Int32Array };
  /**
   * Optional (a conv, when the KernelSet has conv2dReluMaxPoolTrain): the training forward of this layer, a relu and
   * the max pool `pool` in one call, writing the pool's output into out and its switches; this layer's and the
   * relu's own buffers are left stale.
   */
  forwardReluMaxPoolTrain?(
    inp: Float32Array,
    pool: NonNullable<Layer['maxPool']>,
    out: Float32Array,
    batch: number,
  ): void;
  /**
   * Optional (a conv, when the KernelSet has conv2dReluMaxPoolBackwardParams): for a conv whose input needs no
   * gradient, the backward of this layer, a relu and the max pool `pool` in one call, from the gradient of the pool's
   * output (dout) and that output (poolOut): accumulates this layer's parameter gradients only.
   */
  backwardReluMaxPoolParams?(
    inp: Float32Array,
    pool: NonNullable<Layer['maxPool']>,
    poolOut: Float32Array,
    dout: Float32Array,
    batch: number,
  ): void;
  /** Accumulates into dinp (unless null) and the parameter gradients; must follow a training forward. */
  backward(
    inp: Float32Array,
    out: Float32Array,
    dout: Float32Array,
    dinp: Float32Array | null,
    batch: number,
  ): void;
}

/** Caches one shape object per batch size, so kernels always see the same object for the same geometry. */
export function shapeCache<S extends { batch: number }>(base: S): (batch: number) => S {
  const cache = new Map<number, S>();
  return (batch) => {
    let s = cache.get(batch);
    if (!s) cache.set(batch, (s = { ...base, batch }));
    return s;
  };
}
