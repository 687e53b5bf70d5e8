/**
 * The inference forward of a Model: its layers as a list of steps in which a conv, its batch norm, relu and max
 * pool run as one kernel call (batch norm folded into the conv's weights), flatten and dropout are skipped, and a
 * batch norm with its relu runs fused. Only the final logits are needed at inference, so fused layers leave their
 * own activation buffers stale. Training never goes through here.
 */
import type { Conv2dShape, KernelSet, Pool2dShape } from './kernel-set';
import { conv2dShapeOf, pool2dShapeOf } from './layers/geometry';
import { shapeCache, type Layer } from './layers/layer';
import type { ParamEntry, ParamLayout } from './params';
import { sizeOf, type LayerPlan } from './plan';

/** What the plan reads of its model (activations are read at every call: adoptKernelMemory may swap them). */
export interface InferenceHost {
  readonly plans: LayerPlan[];
  readonly layers: Layer[];
  readonly kernels: KernelSet;
  readonly batchSize: number;
  readonly layout: ParamLayout;
  readonly state: Float32Array;
  readonly activations: Float32Array[];
  param(layerIndex: number, kind: ParamEntry['kind']): Float32Array;
}

export class InferencePlan {
  private readonly folds: BatchNormFold[] = [];
  private readonly steps: InferenceStep[];
  /** The folded weights match params and state (cleared by invalidate(); see Model.paramsChanged). */
  private fresh = false;

  constructor(private readonly model: InferenceHost) {
    this.steps = this.plan();
  }

  /** Params or state changed: refold the batch norms before the next run. */
  invalidate(): void {
    this.fresh = false;
  }

  /** Runs `batch` images through the steps; returns the last step's output buffer. */
  run(x: Float32Array, batch: number): Float32Array {
    this.refreshFolds();
    let inp = x;
    for (const step of this.steps) inp = step(inp, batch);
    return inp;
  }

  /**
   * The inference forward as steps, each taking the previous step's output and returning its own:
   * - conv2d [→ batchNorm] [→ relu [→ maxPool2d]]: one conv call. A batch norm is folded into the conv's weights
   *   and bias (w·g, (b − mean)·g + beta with g = gamma / √(var + eps), as batchNormForwardEval computes it);
   *   a relu is fused when the KernelSet has conv2dReluForward (else applied in place), and a 2-D max pool after
   *   it when it has conv2dReluMaxPoolForward. With a batch norm and a relu, and conv2dReluForwardWt, the fold
   *   also writes the weights transposed and that op runs (its fast paths need them so, and transposing them
   *   per call costs as much as a deep layer's whole convolution at batch 1). The output is the chain's last
   *   layer's buffer.
   * - a layer with forwardRelu (a batch norm not folded into a conv, over the fast kernels) and the relu after it:
   *   one call into the relu's buffer.
   * - flatten and dropout (the identity at inference) return their input instead of copying it, except in the
   *   last two layers: activations[L − 2] is always the final layer's input (explain/embeddings.ts reads it).
   * - any other layer: its forward.
   */
  private plan(): InferenceStep[] {
    const steps: InferenceStep[] = [];
    const plans = this.model.plans;
    const L = plans.length;
    const k = this.model.kernels;
    for (let i = 0; i < L; i++) {
      const type = plans[i].spec.type;
      if (type === 'conv2d') {
        let j = i + 1;
        const bn = plans[j]?.spec.type === 'batchNorm' ? j++ : -1;
        const relu = plans[j]?.spec.type === 'relu' ? j++ : -1;
        const pool =
          relu >= 0 && plans[j]?.spec.type === 'maxPool2d' && k.conv2dReluMaxPoolForward ? j++ : -1;
        if (bn >= 0 || relu >= 0) {
          steps.push(this.convStep(i, bn, relu >= 0, pool, j - 1));
          i = j - 1;
          continue;
        }
      }
      if ((type === 'flatten' || type === 'dropout') && i < L - 2) {
        steps.push((inp) => inp);
        continue;
      }
      const layer = this.model.layers[i];
      const fusedRelu = layer.forwardRelu?.bind(layer);
      if (fusedRelu && plans[i + 1]?.spec.type === 'relu') {
        const relu = i + 1;
        steps.push((inp, batch) => {
          const out = this.model.activations[relu];
          fusedRelu(inp, out, batch);
          return out;
        });
        i = relu;
        continue;
      }
      steps.push((inp, batch) => {
        const out = this.model.activations[i];
        layer.forward(inp, out, batch, false);
        return out;
      });
    }
    return steps;
  }

  /** The step of conv layer i with its folded batch norm (bn ≥ 0), relu and max pool (pool ≥ 0); writes `last`. */
  private convStep(i: number, bn: number, relu: boolean, pool: number, last: number): InferenceStep {
    const k = this.model.kernels;
    const convShape = shapeCache<Conv2dShape>(conv2dShapeOf(this.model.plans[i], this.model.batchSize));
    let weight = this.model.param(i, 'weight');
    let bias = this.model.param(i, 'bias');
    const withWt = bn >= 0 && relu && k.conv2dReluForwardWt?.bind(k);
    if (bn >= 0) {
      const fold = this.foldOf(i, bn, !!withWt);
      this.folds.push(fold);
      weight = fold.weight;
      bias = fold.bias;
      if (withWt) {
        const weightT = fold.weightT!;
        const poolShape =
          pool >= 0
            ? shapeCache<Pool2dShape>(pool2dShapeOf(this.model.plans[pool], this.model.batchSize))
            : null;
        return (inp, batch) => {
          const out = this.model.activations[last];
          withWt(convShape(batch), poolShape && poolShape(batch), inp, weight, weightT, bias, out);
          return out;
        };
      }
    }
    // activations[last] is read at every call: adoptKernelMemory may swap the buffers after the model is built
    if (pool >= 0) {
      const poolShape = shapeCache<Pool2dShape>(pool2dShapeOf(this.model.plans[pool], this.model.batchSize));
      const fused = k.conv2dReluMaxPoolForward!.bind(k);
      return (inp, batch) => {
        const out = this.model.activations[last];
        fused(convShape(batch), poolShape(batch), inp, weight, bias, out);
        return out;
      };
    }
    const convRelu = relu ? k.conv2dReluForward?.bind(k) : undefined;
    return (inp, batch) => {
      const out = this.model.activations[last];
      const s = convShape(batch);
      if (convRelu) convRelu(s, inp, weight, bias, out);
      else {
        k.conv2dForward(s, inp, weight, bias, out);
        if (relu) {
          const live = out.subarray(0, batch * sizeOf(this.model.plans[last].outShape));
          k.reluForward(live, live);
        }
      }
      return out;
    };
  }

  /**
   * The fold of batch norm layer `bn` into conv layer `conv`: buffers (with the transposed weights when
   * `transposed`), and what they were computed from.
   */
  private foldOf(conv: number, bn: number, transposed: boolean): BatchNormFold {
    const C = this.model.plans[conv].outShape[0];
    const o = this.model.layout.stateOffsets[bn];
    const spec = this.model.plans[bn].spec;
    return {
      convWeight: this.model.param(conv, 'weight'),
      convBias: this.model.param(conv, 'bias'),
      gamma: this.model.param(bn, 'gamma'),
      beta: this.model.param(bn, 'beta'),
      runningMean: this.model.state.subarray(o, o + C),
      runningVar: this.model.state.subarray(o + C, o + 2 * C),
      epsilon: spec.type === 'batchNorm' ? (spec.epsilon ?? 1e-5) : 1e-5,
      weight: new Float32Array(this.model.param(conv, 'weight').length),
      weightT: transposed ? new Float32Array(this.model.param(conv, 'weight').length) : null,
      bias: new Float32Array(C),
      folded: new Float32Array(5 * C),
    };
  }

  /** Recomputes the folded conv weights when anything they depend on may have changed. */
  private refreshFolds(): void {
    for (const f of this.folds) {
      if (this.fresh && !foldInputsChanged(f)) continue;
      const { weight, weightT, convWeight, bias } = f;
      const C = bias.length;
      const K = weight.length / C;
      for (let c = 0; c < C; c++) {
        const g = f.gamma[c] / Math.sqrt(f.runningVar[c] + f.epsilon);
        const shift = f.beta[c] - f.runningMean[c] * g;
        for (let q = c * K, end = q + K; q < end; q++) weight[q] = convWeight[q] * g;
        bias[c] = f.convBias[c] * g + shift;
      }
      if (weightT) transposeConvWeight(weight, C, weightT);
      snapshotFoldInputs(f);
    }
    this.fresh = true;
  }
}

/**
 * conv2dReluForwardWt's transposed weights: weight[oc][k] at weightT[(oc / B)·K·B + k·B + oc % B], blocks of
 * B = 32 output channels (B = outChannels when that is not a multiple of 32), so that the kernels stream a chunk
 * of 32 channels' weights contiguously.
 */
export function transposeConvWeight(weight: Float32Array, outChannels: number, weightT: Float32Array): void {
  const K = weight.length / outChannels;
  const B = outChannels % 32 === 0 ? 32 : outChannels;
  for (let oc = 0; oc < outChannels; oc++) {
    const base = Math.floor(oc / B) * K * B + (oc % B);
    for (let k = 0, q = oc * K; k < K; k++, q++) weightT[base + k * B] = weight[q];
  }
}

/** One step of the inference forward: takes the previous step's output, returns its own. */
type InferenceStep = (inp: Float32Array, batch: number) => Float32Array;

/** A batch norm folded into the conv before it. */
interface BatchNormFold {
  convWeight: Float32Array;
  convBias: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
  epsilon: number;
  /** The folded conv weights and bias; weightT: the same weights transposed (for conv2dReluForwardWt), or null. */
  weight: Float32Array;
  weightT: Float32Array | null;
  bias: Float32Array;
  /** The per-channel values the fold was computed from: gamma, beta, mean, var, conv bias. */
  folded: Float32Array;
}

/** The per-channel inputs of a fold, in the order of BatchNormFold.folded. */
function foldSources(f: BatchNormFold): Float32Array[] {
  return [f.gamma, f.beta, f.runningMean, f.runningVar, f.convBias];
}

function snapshotFoldInputs(f: BatchNormFold): void {
  const C = f.bias.length;
  foldSources(f).forEach((src, i) => f.folded.set(src, i * C));
}

/**
 * Whether a fold's per-channel inputs differ from the folded ones (cheap: 5·C values). Every training step moves
 * them, so this catches writes that nobody announced with paramsChanged().
 */
function foldInputsChanged(f: BatchNormFold): boolean {
  const C = f.bias.length;
  const sources = foldSources(f);
  for (let i = 0; i < sources.length; i++) {
    const src = sources[i];
    for (let c = 0; c < C; c++) if (src[c] !== f.folded[i * C + c]) return true;
  }
  return false;
}
