/**
 * A sequential CNN classifier built from a ModelSpec: flat parameter and gradient buffers, one activation buffer
 * per layer (kept for backward and for visualisation), softmax + cross-entropy on the final logits.
 *
 * One training step is: zeroGrads(); forward(x, { training: true }); loss = backward(labels); then an optimizer
 * step over model.params / model.grads. computeGradients() does the first three.
 */
import type { ActivationShape, ModelSpec } from '../../app/domain/model-spec';
import { InferencePlan } from './inference-plan';
import { fanInUniform, glorotUniform, heNormal } from './init';
import type { KernelSet } from './kernel-set';
import { createLayer } from './layers/create-layer';
import type { Layer } from './layers/layer';
import type { Labels } from './ops/softmax-cross-entropy';
import { softmaxCrossEntropyBackward, softmaxCrossEntropyForward } from './ops/softmax-cross-entropy';
import { layoutParams, type ParamEntry, type ParamLayout } from './params';
import { planModel, sizeOf, type LayerPlan } from './plan';
import { referenceKernels } from './reference-kernels';
import { deriveSeed, Rng } from './rng';

/** Options of buildModel. */
export interface BuildModelOptions {
  /** Seeds the weight init and the dropout generator. */
  seed: number;
  /** The largest batch forward() will be given; buffers are allocated for it. */
  batchSize: number;
  /** Defaults to referenceKernels. */
  kernels?: KernelSet;
  /** Use these (e.g. SharedArrayBuffer-backed) arrays as the flat params / grads; lengths must match. */
  params?: Float32Array;
  grads?: Float32Array;
  /** Skip the random init (e.g. when parameters will be loaded right after). */
  skipInit?: boolean;
}

/** A layer's filters, for drawing: weights laid out [outChannels, inChannels, kernelHeight, kernelWidth]. */
export interface ConvFilters {
  layerIndex: number;
  weights: Float32Array;
  shape: [outChannels: number, inChannels: number, kernelHeight: number, kernelWidth: number];
}

/** One layer's activations for one image, for drawing feature maps. */
export interface FeatureMap {
  layerIndex: number;
  type: string;
  shape: ActivationShape;
  /** A copy, [channels, height, width]. */
  data: Float32Array;
}

/** Result of a gradient computation on one batch. */
export interface BatchResult {
  /** Mean cross-entropy over the batch. */
  loss: number;
  /** Examples whose argmax logit equals the label. */
  correct: number;
  batch: number;
}

/** A built model: see the module comment for the training step. */
export class Model {
  readonly spec: ModelSpec;
  readonly batchSize: number;
  readonly kernels: KernelSet;
  readonly plans: LayerPlan[];
  readonly layout: ParamLayout;
  /** All learned parameters, flat (llm.c). */
  readonly params: Float32Array;
  /** Gradients, parallel to params. */
  readonly grads: Float32Array;
  /** Non-learned state (batchnorm running mean/variance), saved with the parameters. */
  readonly state: Float32Array;
  readonly layers: Layer[];
  /** activations[i] is the output of layer i, sized for batchSize; a flatten's is its input's buffer (i > 0). */
  readonly activations: Float32Array[];
  /**
   * Two gradient buffers, each as large as the largest activation, used in turn: layer i reads the gradient of
   * its output from one and accumulates the gradient of its input into the other. That halves memory compared
   * with one gradient buffer per layer, which matters for 128 px images.
   */
  private readonly gradBuffers: [Float32Array, Float32Array];
  /** Softmax of the last forward's logits, [batch, numClasses]. */
  readonly probs: Float32Array;
  /** The dropout generator; part of a checkpoint. */
  readonly rng: Rng;
  readonly inputSize: number;
  readonly numClasses: number;
  private lastInput: Float32Array | null = null;
  private lastBatch = 0;
  private lastTraining = false;
  /**
   * fuseReluTrain[i]: in training, layer i (batchnorm over the fast kernels) and the relu layer i + 1 run as one
   * (forwardReluTrain, backwardRelu).
   */
  private readonly fuseReluTrain: boolean[];
  /**
   * fuseConvReluPoolTrain[i]: in training, conv layer i writes the output of the relu layer i + 1
   * (forwardReluTrain), or with forwardReluMaxPoolTrain the pool layer i + 2's output and switches directly, and
   * the max pool layer i + 2 backpropagates through that relu too (backwardThroughRelu): one pass over the
   * activations less each way (two forward). The conv's (and with the pool fused, the relu's) own activation
   * buffer is left stale.
   */
  private readonly fuseConvReluPoolTrain: boolean[];
  /**
   * In training, layers 0 (a conv), 1 (its relu) and 2 (a max pool) are fused and layer 0 has
   * backwardReluMaxPoolParams: the first conv's input needs no gradient, so the pool's backward passes its output
   * gradient straight to that, which computes the conv's parameter gradients from the switches alone.
   */
  private readonly fuseFirstConvBackward: boolean;
  /** The inference forward (inference-plan.ts): layers fused, batch norm folded, copies skipped. */
  private readonly inference: InferencePlan;

  /** Prefer buildModel(). */
  constructor(spec: ModelSpec, options: BuildModelOptions) {
    const plans = planModel(spec);
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new Error(`batchSize must be a positive integer, got ${options.batchSize}`);
    }
    this.spec = spec;
    this.plans = plans;
    this.batchSize = options.batchSize;
    this.kernels = options.kernels ?? referenceKernels;
    this.layout = layoutParams(plans);
    this.params = checkedBuffer(options.params, this.layout.paramCount, 'params');
    this.grads = checkedBuffer(options.grads, this.layout.paramCount, 'grads');
    this.state = new Float32Array(this.layout.stateCount);
    this.rng = new Rng(deriveSeed(options.seed, 2));
    this.inputSize = spec.input.channels * spec.input.height * spec.input.width;
    this.numClasses = spec.numClasses;
    this.layers = plans.map((plan) => {
      const entry = (kind: ParamEntry['kind']) => {
        const e = this.layout.entries.find((x) => x.layerIndex === plan.index && x.kind === kind);
        if (!e) throw new Error(`layer ${plan.index} has no ${kind}`);
        return e;
      };
      const stateOffset = this.layout.stateOffsets[plan.index];
      return createLayer(plan, {
        kernels: this.kernels,
        maxBatch: this.batchSize,
        param: (kind) => this.params.subarray(entry(kind).offset, entry(kind).offset + entry(kind).length),
        grad: (kind) => this.grads.subarray(entry(kind).offset, entry(kind).offset + entry(kind).length),
        state:
          stateOffset < 0
            ? new Float32Array(0)
            : this.state.subarray(stateOffset, stateOffset + plan.stateSize),
        rng: this.rng,
      });
    });
    this.fuseReluTrain = this.layers.map(
      (l, i) => !!l.forwardReluTrain && !!l.backwardRelu && plans[i + 1]?.spec.type === 'relu',
    );
    this.fuseConvReluPoolTrain = this.layers.map(
      (l, i) =>
        plans[i].spec.type === 'conv2d' &&
        !!l.forwardReluTrain &&
        plans[i + 1]?.spec.type === 'relu' &&
        !!this.layers[i + 2]?.backwardThroughRelu,
    );
    this.fuseFirstConvBackward =
      this.fuseConvReluPoolTrain[0] && !!this.layers[0].backwardReluMaxPoolParams && !!this.layers[2].maxPool;
    this.activations = [];
    for (const p of plans) {
      // flatten is the identity on NCHW memory: its output (and its gradient) is its input's buffer, no copies
      const aliased = p.spec.type === 'flatten' && p.index > 0;
      this.activations.push(
        aliased ? this.activations[p.index - 1] : new Float32Array(this.batchSize * sizeOf(p.outShape)),
      );
    }
    this.inference = new InferencePlan(this);
    const largest = Math.max(...plans.map((p) => sizeOf(p.outShape)));
    this.gradBuffers = [
      new Float32Array(this.batchSize * largest),
      new Float32Array(this.batchSize * largest),
    ];
    this.probs = new Float32Array(this.batchSize * this.numClasses);
    this.resetState();
    if (!options.skipInit) this.initParams(options.seed);
  }

  /** The named view of one parameter tensor, e.g. param(0, 'weight'). */
  param(layerIndex: number, kind: ParamEntry['kind']): Float32Array {
    const e = this.layout.entries.find((x) => x.layerIndex === layerIndex && x.kind === kind);
    if (!e) throw new Error(`layer ${layerIndex} has no ${kind}`);
    return this.params.subarray(e.offset, e.offset + e.length);
  }

  /**
   * Re-initialises all parameters from a seed: He normal for conv/dense weights that feed a (leaky) ReLU,
   * Glorot uniform for the others (the classifier), zero biases, batchnorm scale 1 and shift 0; or, with
   * spec.init 'fan-in-uniform', U(±1/√fanIn) for conv/dense weights and biases.
   */
  initParams(seed: number): void {
    this.inference.invalidate();
    const rng = new Rng(deriveSeed(seed, 1));
    const fanInOf = new Map<number, number>();
    for (const e of this.layout.entries) {
      if (e.kind === 'weight') fanInOf.set(e.layerIndex, e.length / e.shape[0]);
    }
    for (const e of this.layout.entries) {
      const view = this.params.subarray(e.offset, e.offset + e.length);
      const layerType = this.spec.layers[e.layerIndex].type;
      if (this.spec.init === 'fan-in-uniform' && (layerType === 'conv2d' || layerType === 'dense')) {
        fanInUniform(view, fanInOf.get(e.layerIndex) ?? 1, rng);
      } else if (e.kind === 'weight') {
        const fanIn = e.length / e.shape[0];
        const fanOut = e.length / e.shape[1]; // conv: outC·kH·kW, dense: units
        const act = this.nextActivation(e.layerIndex);
        if (act === null) glorotUniform(view, fanIn, fanOut, rng);
        else heNormal(view, fanIn, rng, act);
      } else view.fill(e.kind === 'gamma' ? 1 : 0);
    }
  }

  /** The negative slope of the activation that follows a conv/dense layer (0 for ReLU), or null if none does. */
  private nextActivation(layerIndex: number): number | null {
    for (let i = layerIndex + 1; i < this.spec.layers.length; i++) {
      const l = this.spec.layers[i];
      if (l.type === 'relu') return 0;
      if (l.type === 'leakyRelu') return l.alpha ?? 0.01;
      if (l.type === 'conv2d' || l.type === 'dense') return null;
    }
    return null;
  }

  /** Batchnorm running means to 0 and variances to 1. */
  resetState(): void {
    this.inference.invalidate();
    this.plans.forEach((p, i) => {
      const o = this.layout.stateOffsets[i];
      if (o < 0) return;
      const C = p.inShape[0];
      this.state.fill(0, o, o + C);
      this.state.fill(1, o + C, o + 2 * C);
    });
  }

  /** Sets every gradient to zero (backward accumulates). */
  zeroGrads(): void {
    this.grads.fill(0);
  }

  /** Copies a flat parameter array (length params.length) into the model; optionally the state too. */
  loadParams(params: ArrayLike<number>, state?: ArrayLike<number>): void {
    if (params.length !== this.params.length) {
      throw new Error(`expected ${this.params.length} parameters, got ${params.length}`);
    }
    this.params.set(params);
    this.inference.invalidate();
    if (state) {
      if (state.length !== this.state.length)
        throw new Error(`expected ${this.state.length} state values, got ${state.length}`);
      this.state.set(state);
    }
  }

  /**
   * Runs the network on x ([batch, C, H, W] flat, batch ≤ batchSize) and returns a view of the logits
   * [batch, numClasses]. training: batchnorm uses batch statistics (and updates its running ones), dropout drops.
   */
  forward(x: Float32Array, opts: { training: boolean }): Float32Array {
    return this.run(x, opts.training, !opts.training);
  }

  /**
   * Tells the model that params or state were written behind its back (e.g. an optimizer step or a direct write
   * into `params`), so that the inference forward refolds its batch norms. loadParams, initParams, resetState and
   * every training forward do it themselves; as a safety net, the inference forward also refolds whenever a
   * folded batch norm's parameters, statistics or conv bias differ from those it folded.
   */
  paramsChanged(): void {
    this.inference.invalidate();
  }

  /**
   * forward(); with `fuse`, the inference plan (inference-plan.ts): only the final logits are needed, so fused
   * layers leave their own activation buffers stale. In training, a layer with forwardReluTrain (batchnorm over
   * the fast kernels) and the relu after it run as one, and backward() then runs its backwardRelu for both: the
   * relu's output and every gradient are those of the unfused pair (the batchnorm's own buffer is left stale).
   */
  private run(x: Float32Array, training: boolean, fuse: boolean): Float32Array {
    const batch = x.length / this.inputSize;
    if (!Number.isInteger(batch) || batch < 1 || batch > this.batchSize) {
      throw new Error(
        `input of length ${x.length} is not 1..${this.batchSize} images of ${this.inputSize} values`,
      );
    }
    if (training) this.inference.invalidate(); // batchnorm statistics change; an optimizer step follows
    let inp = x;
    if (fuse) {
      this.inference.run(x, batch);
    } else {
      for (let i = 0; i < this.layers.length; i++) {
        const l = this.layers[i];
        const pool = this.layers[i + 2]?.maxPool;
        if (training && this.fuseConvReluPoolTrain[i] && l.forwardReluMaxPoolTrain && pool) {
          // conv, relu and pool in one call: only the pool's output and switches are written
          l.forwardReluMaxPoolTrain(inp, pool, this.activations[i + 2], batch);
          i += 2;
          inp = this.activations[i];
          continue;
        }
        if (training && (this.fuseReluTrain[i] || this.fuseConvReluPoolTrain[i]) && l.forwardReluTrain) {
          l.forwardReluTrain(inp, this.activations[i + 1], batch);
          inp = this.activations[++i];
          continue;
        }
        l.forward(inp, this.activations[i], batch, training);
        inp = this.activations[i];
      }
    }
    this.lastInput = x;
    this.lastBatch = batch;
    this.lastTraining = training;
    return this.activations[this.layers.length - 1].subarray(0, batch * this.numClasses);
  }

  /** Softmax of the last forward into probs; returns the mean cross-entropy against labels. */
  loss(labels: Labels): number {
    const logits = this.activations[this.layers.length - 1];
    return softmaxCrossEntropyForward(logits, labels, this.probs, this.lastBatch, this.numClasses);
  }

  /** Backpropagates the loss of the last (training) forward; accumulates into grads and returns the loss. */
  backward(labels: Labels): number {
    if (!this.lastInput || !this.lastTraining)
      throw new Error('backward() needs a forward(x, { training: true }) first');
    const batch = this.lastBatch;
    const L = this.layers.length;
    const loss = this.loss(labels);
    let dout = this.gradBuffers[0];
    let dinp = this.gradBuffers[1];
    dout.fill(0, 0, batch * this.numClasses);
    softmaxCrossEntropyBackward(this.probs, labels, dout, batch, this.numClasses);
    for (let i = L - 1; i >= 0; i--) {
      // a flatten in place (see the constructor): the gradient of its output is that of its input, as it is
      if (this.inPlace(i)) continue;
      // a max pool after a conv + relu fused in training: its backward and the relu's in one call, then the conv's
      const pool =
        i >= 2 && this.fuseConvReluPoolTrain[i - 2] ? this.layers[i].backwardThroughRelu : undefined;
      if (pool && i === 2 && this.fuseFirstConvBackward) {
        const pooling = this.layers[2].maxPool!;
        this.layers[0].backwardReluMaxPoolParams!(this.lastInput, pooling, this.activations[2], dout, batch);
        break; // the pool, the relu and the conv, whose input needs no gradient: done
      }
      if (pool) {
        pool(this.activations[i], dout, dinp, batch); // writes dinp: no zeroing first
        [dout, dinp] = [dinp, dout];
        i--; // the relu is done: the conv is next
        continue;
      }
      // a relu fused into the layer before it in the training forward: one backward for both
      const reluOut = i > 0 && this.fuseReluTrain[i - 1] ? this.activations[i--] : null;
      const l = this.layers[i];
      const inp = i === 0 ? this.lastInput : this.activations[i - 1];
      if (i > 0) dinp.fill(0, 0, batch * sizeOf(this.plans[i - 1].outShape)); // backward accumulates
      if (reluOut && l.backwardRelu) l.backwardRelu(inp, reluOut, dout, i === 0 ? null : dinp, batch);
      else l.backward(inp, this.activations[i], dout, i === 0 ? null : dinp, batch);
      [dout, dinp] = [dinp, dout];
    }
    return loss;
  }

  /**
   * Whether layer i's output buffer is its input's (a flatten after layer 0; see the constructor): its forward and
   * backward are then the identity. Checked on the buffers themselves, as adoptKernelMemory may replace them.
   */
  private inPlace(i: number): boolean {
    return i > 0 && this.activations[i] === this.activations[i - 1];
  }

  /** Number of examples of the last forward whose highest logit is the label. */
  countCorrect(labels: Labels): number {
    const logits = this.activations[this.layers.length - 1];
    let correct = 0;
    for (let n = 0; n < this.lastBatch; n++)
      if (argmaxRow(logits, n, this.numClasses) === labels[n]) correct++;
    return correct;
  }

  /** zeroGrads + training forward + backward: the gradient of the mean loss over this batch, in grads. */
  computeGradients(x: Float32Array, labels: Labels): BatchResult {
    this.zeroGrads();
    this.forward(x, { training: true });
    const loss = this.backward(labels);
    return { loss, correct: this.countCorrect(labels), batch: this.lastBatch };
  }

  /** Class probabilities for x in eval mode, [batch, numClasses] (a view, overwritten by the next call). */
  predict(x: Float32Array): Float32Array {
    const logits = this.forward(x, { training: false });
    const batch = this.lastBatch;
    const K = this.numClasses;
    for (let n = 0; n < batch; n++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, logits[n * K + k]);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += this.probs[n * K + k] = Math.exp(logits[n * K + k] - max);
      for (let k = 0; k < K; k++) this.probs[n * K + k] /= sum;
    }
    return this.probs.subarray(0, batch * K);
  }

  /** The filters of a conv layer (a view into params). */
  filters(layerIndex: number): ConvFilters {
    const e = this.layout.entries.find((x) => x.layerIndex === layerIndex && x.kind === 'weight');
    if (!e || this.plans[layerIndex].spec.type !== 'conv2d')
      throw new Error(`layer ${layerIndex} is not a conv2d layer`);
    const [oc, ic, kh, kw] = e.shape;
    return {
      layerIndex,
      weights: this.params.subarray(e.offset, e.offset + e.length),
      shape: [oc, ic, kh, kw],
    };
  }

  /** The filters of every conv layer. */
  allFilters(): ConvFilters[] {
    return this.plans.filter((p) => p.spec.type === 'conv2d').map((p) => this.filters(p.index));
  }

  /**
   * Eval-mode forward WITHOUT fused kernels, so that activations[i] is layer i's own output for every i (a fused
   * conv + relu would leave the conv's buffer stale). For explanations (explain/class-gradient.ts), which
   * backpropagate through those activations; predict() keeps the fused fast path. Returns the logits view.
   */
  forwardUnfused(x: Float32Array): Float32Array {
    return this.run(x, false, false);
  }

  /** Runs one image ([C, H, W]) in eval mode and returns a copy of every layer's activations. */
  featureMaps(image: Float32Array): FeatureMap[] {
    this.run(image, false, false); // every layer's own activations, so no fusion
    return this.plans.map((p, i) => ({
      layerIndex: i,
      type: p.spec.type,
      shape: p.outShape,
      data: this.activations[i].slice(0, sizeOf(p.outShape)),
    }));
  }
}

/** Validates a spec (SpecError naming the layer) and builds a model with freshly initialised parameters. */
export function buildModel(spec: ModelSpec, options: BuildModelOptions): Model {
  return new Model(spec, options);
}

/** Index of the largest value of row n of a [rows, K] array. */
export function argmaxRow(a: ArrayLike<number>, n: number, K: number): number {
  let best = 0;
  for (let k = 1; k < K; k++) if (a[n * K + k] > a[n * K + best]) best = k;
  return best;
}

function checkedBuffer(given: Float32Array | undefined, length: number, what: string): Float32Array {
  if (!given) return new Float32Array(length);
  if (given.length !== length) throw new Error(`${what} must have length ${length}, got ${given.length}`);
  return given;
}
