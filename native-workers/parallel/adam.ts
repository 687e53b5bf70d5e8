/**
 * Adam and AdamW over flat float32 buffers, usable on a slice [from, to) so that several workers can each update
 * their own part of a shared parameter buffer. The semantics are those of the reference core's createAdam
 * (native-workers/cnn/optim/adam.ts, PyTorch's): weight decay is L2 folded into the gradient (Adam) or decoupled
 * (AdamW: p −= lr · wd · p, rounded to float32, before the Adam update), only where `decayMask` is 1 (everywhere
 * without a mask). The update is written as stepSize · m / (sqrt(v) · invSqrtBc2 + ε), which equals createAdam's
 * (lr · m / bc1) / (sqrt(v / bc2) + ε) up to float64 rounding (so up to an occasional float32 ulp).
 */
export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** AdamW's decoupled decay instead of L2 (default false). */
  decoupled?: boolean;
  /** 1 where weight decay applies (conv and dense weights: cnn/params.ts decayMask); everywhere when absent. */
  decayMask?: Uint8Array | null;
}

/**
 * A faster implementation of stepSlice's unmasked L2 loop that must give the same float32 results bit for bit (the
 * native addon's adamSlice). coef = [stepSize, invSqrtBc2, beta1, beta2, eps, weightDecay].
 */
export type AdamSliceFn = (
  params: Float32Array,
  grads: Float32Array,
  m: Float32Array,
  v: Float32Array,
  coef: Float64Array,
  from: number,
  to: number,
) => void;

/**
 * The same for the masked-decay loop (maskedDecaySlice; the native addon's adamMaskedSlice).
 * coef = [stepSize, invSqrtBc2, beta1, beta2, eps, weightDecay, lr · weightDecay, decoupled ? 1 : 0].
 */
export type AdamMaskedSliceFn = (
  params: Float32Array,
  grads: Float32Array,
  m: Float32Array,
  v: Float32Array,
  mask: Uint8Array,
  coef: Float64Array,
  from: number,
  to: number,
) => void;

export class FlatAdam {
  readonly m: Float32Array;
  readonly v: Float32Array;
  t = 0;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  readonly decayMask: Uint8Array | null;

  private readonly fast: AdamSliceFn | null;
  private readonly fastMasked: AdamMaskedSliceFn | null;
  private readonly coef = new Float64Array(8);
  private readonly size: number;
  /** The mask the native masked loop gets when decay applies everywhere (made on first use). */
  private allOnes: Uint8Array | null = null;

  constructor(
    size: number,
    opts: AdamOptions,
    state?: { m: Float32Array; v: Float32Array },
    fast?: AdamSliceFn | null,
    fastMasked?: AdamMaskedSliceFn | null,
  ) {
    this.size = size;
    this.fast = fast ?? null;
    this.fastMasked = fastMasked ?? null;
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    this.decoupled = opts.decoupled ?? false;
    this.decayMask = opts.decayMask ?? null;
    if (this.decayMask && this.decayMask.length !== size) throw new Error('decayMask length must equal size');
    this.m = state?.m ?? new Float32Array(size);
    this.v = state?.v ?? new Float32Array(size);
  }

  /** One step on params[from, to) with grads[from, to); `t` is the 1-based step count (shared by all slices). */
  stepSlice(params: Float32Array, grads: Float32Array, t: number, from = 0, to = params.length): void {
    const { beta1: b1, beta2: b2, eps, weightDecay: wd, m, v } = this;
    const bc1 = 1 - Math.pow(b1, t);
    const bc2 = 1 - Math.pow(b2, t);
    const stepSize = this.lr / bc1;
    const invSqrtBc2 = 1 / Math.sqrt(bc2);
    if (wd !== 0 && (this.decoupled || this.decayMask)) {
      this.maskedDecaySlice(params, grads, stepSize, invSqrtBc2, from, to);
      return;
    }
    if (this.fast) {
      const c = this.coef;
      [c[0], c[1], c[2], c[3], c[4], c[5]] = [stepSize, invSqrtBc2, b1, b2, eps, wd];
      this.fast(params, grads, m, v, c, from, to);
      return;
    }
    // Two copies of the loop, so the hot one has no never-taken `wd * params[i]`: its missing type feedback made
    // TurboFan deoptimise this loop and run it ~8× slower in some workers.
    if (wd !== 0) {
      for (let i = from; i < to; i++) {
        const g = grads[i] + wd * params[i];
        const mi = b1 * m[i] + (1 - b1) * g;
        const vi = b2 * v[i] + (1 - b2) * g * g;
        m[i] = mi;
        v[i] = vi;
        params[i] -= (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
      }
      return;
    }
    for (let i = from; i < to; i++) {
      const g = grads[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  }

  /** AdamW, or Adam with L2 decay under a mask: createAdam's decay steps, in its order and float32 roundings. */
  private maskedDecaySlice(
    params: Float32Array,
    grads: Float32Array,
    stepSize: number,
    invSqrtBc2: number,
    from: number,
    to: number,
  ): void {
    const { beta1: b1, beta2: b2, eps, weightDecay: wd, m, v } = this;
    const mask = this.decayMask;
    if (this.fastMasked) {
      const c = this.coef;
      [c[0], c[1], c[2], c[3], c[4], c[5]] = [stepSize, invSqrtBc2, b1, b2, eps, wd];
      [c[6], c[7]] = [this.lr * wd, this.decoupled ? 1 : 0];
      const everywhere = mask ?? (this.allOnes ??= new Uint8Array(this.size).fill(1));
      this.fastMasked(params, grads, m, v, everywhere, c, from, to);
      return;
    }
    // One loop per kind, each with only the branches it takes (see stepSlice on TurboFan).
    if (this.decoupled) {
      const lrWd = this.lr * wd; // createAdam's `lr * wd * p` evaluates (lr · wd) · p
      for (let i = from; i < to; i++) {
        // decayed parameters are stored (rounded) before the update, as createAdam stores them
        const p = !mask || mask[i] === 1 ? Math.fround(params[i] - lrWd * params[i]) : params[i];
        const g = grads[i];
        const mi = b1 * m[i] + (1 - b1) * g;
        const vi = b2 * v[i] + (1 - b2) * g * g;
        m[i] = mi;
        v[i] = vi;
        params[i] = p - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
      }
      return;
    }
    for (let i = from; i < to; i++) {
      const g = !mask || mask[i] === 1 ? grads[i] + wd * params[i] : grads[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  }

  step(params: Float32Array, grads: Float32Array): void {
    this.t++;
    this.stepSlice(params, grads, this.t);
  }
}
