/**
 * The contract between the readable CNN ops (native-workers/cnn/ops/*.ts, the reference) and the fast
 * kernels (native-workers/kernels/, WebAssembly SIMD). Layers call ops only through a KernelSet, so the
 * same model runs on either; tests compare the two on random shapes.
 *
 * Conventions (llm.c style):
 * - Flat NCHW arrays. Float32Array in production; the reference ops also accept Float64Array so that the
 *   gradient checks can run in float64.
 * - Shapes are validated once when a layer is built, never inside kernels.
 * - Backward ACCUMULATES (+=) into every gradient buffer (dinp, dweight, dbias). Callers zero them once per step.
 *   A null dinp means "the input needs no gradient" (the first layer), so that work is skipped.
 */
import type * as batchNorm from './ops/batch-norm';

/** A flat numeric buffer: float32 in production, float64 in gradient checks. */
export type Tensor = Float32Array | Float64Array;

/** Geometry of one 2-D convolution, fixed when its layer is built. Padding is zero padding. */
export interface Conv2dShape {
  batch: number;
  inChannels: number;
  inHeight: number;
  inWidth: number;
  outChannels: number;
  kernelHeight: number;
  kernelWidth: number;
  strideH: number;
  strideW: number;
  /** Zero rows added above the input (rows below follow from outHeight). */
  padTop: number;
  /** Zero columns added left of the input. */
  padLeft: number;
  outHeight: number;
  outWidth: number;
}

/** Geometry of max or average pooling over each channel (no padding). */
export interface Pool2dShape {
  batch: number;
  channels: number;
  inHeight: number;
  inWidth: number;
  poolHeight: number;
  poolWidth: number;
  strideH: number;
  strideW: number;
  outHeight: number;
  outWidth: number;
}

/** Geometry of a fully connected layer: out[b, o] = sum_i inp[b, i] * weight[o, i] + bias[o]. */
export interface DenseShape {
  batch: number;
  inFeatures: number;
  outFeatures: number;
}

/**
 * Geometry and hyperparameters of a batch normalization per channel over [batch, channels, spatial] (spatial = H·W,
 * or 1 after a dense layer).
 */
export interface BatchNormShape {
  batch: number;
  channels: number;
  /** H·W, or 1 after a dense layer. */
  spatial: number;
  epsilon: number;
  momentum: number;
}

/**
 * The ops a fast backend may replace. Weight layouts: conv weight [outC, inC, kH, kW], dense weight [out, in]
 * (PyTorch's layouts, so fixtures and ONNX export need no transposes).
 */
export interface KernelSet {
  /** out[n, oc, oy, ox] = bias[oc] + sum inp[n, ic, oy*sH - pT + ky, ox*sW - pL + kx] * weight[oc, ic, ky, kx]. */
  conv2dForward(s: Conv2dShape, inp: Tensor, weight: Tensor, bias: Tensor | null, out: Tensor): void;
  /**
   * OPTIONAL fused conv2dForward + reluForward: out = max(0, conv(inp)), without writing the pre-activation
   * anywhere. A Model uses it in inference (training: false) for a conv layer directly followed by a relu layer,
   * and in training for a conv, relu, maxPool2d chain when the KernelSet also has maxPool2dReluBackward; the conv
   * layer's own activation buffer is then left stale (featureMaps() does not fuse).
   */
  conv2dReluForward?(s: Conv2dShape, inp: Tensor, weight: Tensor, bias: Tensor | null, out: Tensor): void;
  /**
   * OPTIONAL, inference only: conv2dForward, then reluForward, then the max pooling `p` (p.channels = s.outChannels,
   * p's input = the conv's output), writing only the pooled values (no argmax, no pre-pool activations). A Model
   * uses it for a conv layer directly followed by a relu and a maxPool2d layer when it is not training.
   */
  conv2dReluMaxPoolForward?(
    s: Conv2dShape,
    p: Pool2dShape,
    inp: Tensor,
    weight: Tensor,
    bias: Tensor | null,
    out: Tensor,
  ): void;
  /**
   * OPTIONAL, training: conv2dReluMaxPoolForward that also writes the pool's switches, exactly maxPool2dForward's
   * over max(0, conv(inp)) (indices into the conv output [batch, outChannels, outHeight, outWidth]); the conv's and
   * the relu's outputs are written nowhere. With maxPool2dReluBackward, a Model trains a conv, relu, maxPool2d chain
   * with it (the backward needs only the switches, the pooled values and the conv's input).
   */
  conv2dReluMaxPoolTrain?(
    s: Conv2dShape,
    p: Pool2dShape,
    inp: Tensor,
    weight: Tensor,
    bias: Tensor | null,
    out: Tensor,
    argmax: Int32Array,
  ): void;
  /**
   * OPTIONAL, inference only: conv2dReluForward (p null) or conv2dReluMaxPoolForward (pool p) given the weights
   * also transposed, weight[oc][k] (k = (ic·kH + ky)·kW + kx) at weightT[k][oc] within blocks of 32 output
   * channels (inference-plan.ts's transposeConvWeight), so that no call transposes them: a Model's inference plan
   * keeps both next to a folded batch norm and rewrites them when the parameters change.
   */
  conv2dReluForwardWt?(
    s: Conv2dShape,
    p: Pool2dShape | null,
    inp: Tensor,
    weight: Tensor,
    weightT: Tensor,
    bias: Tensor | null,
    out: Tensor,
  ): void;
  /** Accumulates dinp (unless null), dweight and dbias (unless null) from dout. */
  conv2dBackward(
    s: Conv2dShape,
    inp: Tensor,
    weight: Tensor,
    dout: Tensor,
    dinp: Tensor | null,
    dweight: Tensor,
    dbias: Tensor | null,
  ): void;
  /** out = inp · weightᵀ + bias. */
  denseForward(s: DenseShape, inp: Tensor, weight: Tensor, bias: Tensor | null, out: Tensor): void;
  /** Accumulates dinp (unless null), dweight and dbias (unless null). */
  denseBackward(
    s: DenseShape,
    inp: Tensor,
    weight: Tensor,
    dout: Tensor,
    dinp: Tensor | null,
    dweight: Tensor,
    dbias: Tensor | null,
  ): void;
  /** Writes out and, per output element, the flat input index of its max ("switches", ConvNetJS). */
  maxPool2dForward(s: Pool2dShape, inp: Tensor, out: Tensor, argmax: Int32Array): void;
  /** Routes each dout element to the input position recorded in argmax (accumulating). */
  maxPool2dBackward(s: Pool2dShape, dout: Tensor, argmax: Int32Array, dinp: Tensor): void;
  /**
   * OPTIONAL fused maxPool2dBackward + the backward of a relu before the pool: routes each dout element to its
   * argmax position where `out` (this pool's forward output, i.e. the relu's output at that position) is > 0,
   * accumulating into dinp, the gradient of the relu's INPUT. Into a zeroed dinp, exactly maxPool2dBackward into a
   * zeroed buffer followed by reluBackward(the relu's output, that buffer, dinp) (overlapping windows: summed in
   * the same order), without the buffer in between nor a pass over the relu's output. With conv2dReluForward, a
   * Model trains a conv, relu, maxPool2d chain with one pass over the activations less each way.
   * With `zeroFirst`, dinp[0 .. batch·C·H·W) is zeroed first, so the call writes that gradient instead of adding
   * to it (a Model then skips zeroing it; windows that tile the input can be written in one ordered pass).
   */
  maxPool2dReluBackward?(
    s: Pool2dShape,
    dout: Tensor,
    argmax: Int32Array,
    out: Tensor,
    dinp: Tensor,
    zeroFirst?: boolean,
  ): void;
  /**
   * OPTIONAL, training: the backward of a conv, relu, maxPool2d chain trained with conv2dReluMaxPoolTrain (p over the
   * conv's output) when the conv's input needs no gradient (a network's first layer): from the gradient of the
   * pool's output `dout`, its switches `argmax` and its output `out`, accumulates into dweight and dbias (unless
   * null) what maxPool2dReluBackward (zeroFirst) into a buffer, then conv2dBackward(s, inp, weight, that buffer,
   * null, dweight, dbias) would, up to float32 summation order, without that buffer: after the pool only the
   * switches where out > 0 carry a gradient (a quarter of the conv's output).
   */
  conv2dReluMaxPoolBackwardParams?(
    s: Conv2dShape,
    p: Pool2dShape,
    inp: Tensor,
    weight: Tensor,
    dout: Tensor,
    argmax: Int32Array,
    out: Tensor,
    dweight: Tensor,
    dbias: Tensor | null,
  ): void;
  /** out = max(0, inp), elementwise; out may alias inp. */
  reluForward(inp: Tensor, out: Tensor): void;
  /** dinp += dout where out > 0. */
  reluBackward(out: Tensor, dout: Tensor, dinp: Tensor): void;
  /*
   * OPTIONAL batch normalization (the batchnorm layer uses the ops of ./ops/batch-norm.ts, the reference, where a
   * KernelSet lacks them), with the reference ops' signatures; the relu-fused ops take the same arguments.
   * gamma, beta, mean, invStd, runningMean, runningVar have one value per channel.
   */
  /**
   * Training forward: normalises with the batch statistics (biased variance), saves them in mean and invStd for
   * backward, and updates the running statistics with the unbiased variance: r = (1 − momentum)·r + momentum·batch.
   */
  batchNormForwardTrain?: typeof batchNorm.batchNormForwardTrain;
  /**
   * Fused batchNormForwardTrain + reluForward: out = max(0, batchnorm(inp)) (the output of the relu layer that
   * follows), the pre-activation written nowhere; with batchNormReluBackwardTrain, a Model's training step over a
   * batchnorm layer directly followed by a relu layer (the batchnorm layer's own activation buffer is left stale).
   */
  batchNormReluForwardTrain?: typeof batchNorm.batchNormForwardTrain;
  /** Eval forward: out = gamma · (inp − runningMean) / √(runningVar + epsilon) + beta. */
  batchNormForwardEval?: typeof batchNorm.batchNormForwardEval;
  /**
   * Fused batchNormForwardEval + reluForward: out = max(0, batchnorm(inp)), the pre-activation written nowhere.
   * Inference only, like conv2dReluForward (a Model fuses a batchnorm layer directly followed by a relu layer).
   */
  batchNormReluForwardEval?: typeof batchNorm.batchNormForwardEval;
  /** Training backward from the saved mean and invStd: accumulates dinp (unless null), dgamma and dbeta. */
  batchNormBackwardTrain?: typeof batchNorm.batchNormBackwardTrain;
  /**
   * batchNormBackwardTrain through a following relu: dout is the gradient of the relu's output reluOut, and counts
   * where reluOut > 0 (exactly what reluBackward would have accumulated into a zeroed buffer).
   */
  batchNormReluBackwardTrain?(
    s: BatchNormShape,
    inp: Tensor,
    gamma: Tensor,
    mean: Tensor,
    invStd: Tensor,
    reluOut: Tensor,
    dout: Tensor,
    dinp: Tensor | null,
    dgamma: Tensor,
    dbeta: Tensor,
  ): void;
}
