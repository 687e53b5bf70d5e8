/**
 * Adam over flat float32 buffers (PyTorch's torch.optim.Adam, no weight decay by default), usable on a slice
 * [from, to) so that several workers can each update their own part of a shared parameter buffer.
 */
export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/**
 * A faster implementation of stepSlice's loop that must give the same float32 results bit for bit (the native
 * addon's adamSlice). coef = [stepSize, invSqrtBc2, beta1, beta2, eps, weightDecay].
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

export class FlatAdam {
  readonly m: Float32Array;
  readonly v: Float32Array;
  t = 0;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;

  private readonly fast: AdamSliceFn | null;
  private readonly coef = new Float64Array(6);

  constructor(
    size: number,
    opts: AdamOptions,
    state?: { m: Float32Array; v: Float32Array },
    fast?: AdamSliceFn | null,
  ) {
    this.fast = fast ?? null;
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
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

  step(params: Float32Array, grads: Float32Array): void {
    this.t++;
    this.stepSlice(params, grads, this.t);
  }
}
