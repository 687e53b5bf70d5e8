/**
 * fastKernels(): the fastest ops this thread can run, with the readable reference ops behind them.
 *
 * In order: the native addon (./native-kernels.ts: C with AVX-512 / AVX2 + FMA, built by `npm run build` when a C
 * compiler is present), the wasm SIMD ops (./wasm-kernels.ts: the relaxed-SIMD (FMA) build where the runtime
 * supports it, else the plain SIMD build), the reference ops. fastKernelsBackend() says which runs.
 *
 * A fast op runs when every tensor of the call is a Float32Array; float64 calls (the gradient checks) use the
 * reference op. The result is a drop-in KernelSet.
 */
import type { BatchNormShape, KernelSet, Tensor } from '../cnn/kernel-set';
import { batchNormBackwardTrain, batchNormForwardEval, batchNormForwardTrain } from '../cnn/ops/batch-norm';
import { referenceKernels } from '../cnn/reference-kernels';
import { loadNativeAddon, loadNativeKernels, nativeLoadError } from './native-kernels';
import { loadWasmKernels, wasmKernelsVariant } from './wasm-kernels';

export { loadWasmKernels, wasmKernelsVariant, wasmSimdSupported } from './wasm-kernels';

const f32 = (t: Tensor | null): boolean => t === null || t instanceof Float32Array;

/** Merges `fast` over `fallback`: each op uses `fast` when all of its tensors are float32. */
export function mergeKernels(fast: KernelSet, fallback: KernelSet): KernelSet {
  const fastConvRelu = fast.conv2dReluForward?.bind(fast);
  // float64 calls of the fused op: the fallback's fused op, or its conv then its relu over the live outputs
  const fallbackConvRelu: NonNullable<KernelSet['conv2dReluForward']> =
    fallback.conv2dReluForward?.bind(fallback) ??
    ((s, inp, w, b, out) => {
      fallback.conv2dForward(s, inp, w, b, out);
      const live = out.subarray(0, s.batch * s.outChannels * s.outHeight * s.outWidth);
      fallback.reluForward(live, live);
    });
  const fastConvReluMaxPool = fast.conv2dReluMaxPoolForward?.bind(fast);
  const fastConvReluPoolTrain = fast.conv2dReluMaxPoolTrain?.bind(fast);
  // float64 calls of the conv + relu + max pool: the fallback's conv and relu into a fresh buffer, then its pool
  // with the caller's switches (fresh buffers: the gradient checks are the only float64 callers)
  const slowConvReluPoolTrain: NonNullable<KernelSet['conv2dReluMaxPoolTrain']> = (
    s,
    p,
    inp,
    w,
    b,
    out,
    am,
  ) => {
    const n = s.batch * s.outChannels * s.outHeight * s.outWidth;
    const act = out instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
    fallbackConvRelu(s, inp, w, b, act);
    fallback.maxPool2dForward(p, act, out, am);
  };
  // the inference op: the same without switches to keep
  const fallbackConvReluMaxPool: NonNullable<KernelSet['conv2dReluMaxPoolForward']> = (
    s,
    p,
    inp,
    w,
    b,
    out,
  ) =>
    slowConvReluPoolTrain(
      s,
      p,
      inp,
      w,
      b,
      out,
      new Int32Array(p.batch * p.channels * p.outHeight * p.outWidth),
    );
  const fastPoolRelu = fast.maxPool2dReluBackward?.bind(fast);
  // float64 calls (the gradient checks): the definition, over the live outputs
  const slowPoolRelu: NonNullable<KernelSet['maxPool2dReluBackward']> = (s, dout, argmax, out, dinp) => {
    const n = s.batch * s.channels * s.outHeight * s.outWidth;
    for (let j = 0; j < n; j++) if (out[j] > 0) dinp[argmax[j]] += dout[j];
  };
  const fastConvReluWt = fast.conv2dReluForwardWt?.bind(fast);
  return {
    ...mergeBatchNorm(fast, fallback),
    ...(fastConvReluPoolTrain && {
      conv2dReluMaxPoolTrain: (s, p, inp, w, b, out, am) =>
        f32(inp) && f32(w) && f32(b) && f32(out)
          ? fastConvReluPoolTrain(s, p, inp, w, b, out, am)
          : slowConvReluPoolTrain(s, p, inp, w, b, out, am),
    }),
    ...(fastPoolRelu && {
      maxPool2dReluBackward: (s, dout, argmax, out, dinp, zeroFirst) => {
        if (f32(dout) && f32(out) && f32(dinp)) return fastPoolRelu(s, dout, argmax, out, dinp, zeroFirst);
        if (zeroFirst) dinp.fill(0, 0, s.batch * s.channels * s.inHeight * s.inWidth);
        (fallback.maxPool2dReluBackward ?? slowPoolRelu)(s, dout, argmax, out, dinp);
      },
    }),
    // float64 calls: the fallbacks above, which take the weights as they are
    ...(fastConvReluWt && {
      conv2dReluForwardWt: (s, p, inp, w, wT, b, out) =>
        f32(inp) && f32(w) && f32(wT) && f32(b) && f32(out)
          ? fastConvReluWt(s, p, inp, w, wT, b, out)
          : p
            ? fallbackConvReluMaxPool(s, p, inp, w, b, out)
            : fallbackConvRelu(s, inp, w, b, out),
    }),
    ...(fastConvReluMaxPool && {
      conv2dReluMaxPoolForward: (s, p, inp, w, b, out) =>
        f32(inp) && f32(w) && f32(b) && f32(out)
          ? fastConvReluMaxPool(s, p, inp, w, b, out)
          : fallbackConvReluMaxPool(s, p, inp, w, b, out),
    }),
    ...(fastConvRelu && {
      conv2dReluForward: (s, inp, w, b, out) =>
        f32(inp) && f32(w) && f32(b) && f32(out)
          ? fastConvRelu(s, inp, w, b, out)
          : fallbackConvRelu(s, inp, w, b, out),
    }),
    conv2dForward: (s, inp, w, b, out) =>
      f32(inp) && f32(w) && f32(b) && f32(out)
        ? fast.conv2dForward(s, inp, w, b, out)
        : fallback.conv2dForward(s, inp, w, b, out),
    conv2dBackward: (s, inp, w, dout, dinp, dw, db) =>
      f32(inp) && f32(w) && f32(dout) && f32(dinp) && f32(dw) && f32(db)
        ? fast.conv2dBackward(s, inp, w, dout, dinp, dw, db)
        : fallback.conv2dBackward(s, inp, w, dout, dinp, dw, db),
    denseForward: (s, inp, w, b, out) =>
      f32(inp) && f32(w) && f32(b) && f32(out)
        ? fast.denseForward(s, inp, w, b, out)
        : fallback.denseForward(s, inp, w, b, out),
    denseBackward: (s, inp, w, dout, dinp, dw, db) =>
      f32(inp) && f32(w) && f32(dout) && f32(dinp) && f32(dw) && f32(db)
        ? fast.denseBackward(s, inp, w, dout, dinp, dw, db)
        : fallback.denseBackward(s, inp, w, dout, dinp, dw, db),
    maxPool2dForward: (s, inp, out, argmax) =>
      f32(inp) && f32(out)
        ? fast.maxPool2dForward(s, inp, out, argmax)
        : fallback.maxPool2dForward(s, inp, out, argmax),
    maxPool2dBackward: (s, dout, argmax, dinp) =>
      f32(dout) && f32(dinp)
        ? fast.maxPool2dBackward(s, dout, argmax, dinp)
        : fallback.maxPool2dBackward(s, dout, argmax, dinp),
    reluForward: (inp, out) =>
      f32(inp) && f32(out) ? fast.reluForward(inp, out) : fallback.reluForward(inp, out),
    reluBackward: (out, dout, dinp) =>
      f32(out) && f32(dout) && f32(dinp)
        ? fast.reluBackward(out, dout, dinp)
        : fallback.reluBackward(out, dout, dinp),
  };
}

/**
 * The optional batch-norm ops of `fast` (none if it lacks them), float64 calls going to the fallback's ops or else
 * the reference ops (./ops/batch-norm.ts); a fused batchnorm + relu op falls back to those and the relu op.
 */
function mergeBatchNorm(fast: KernelSet, fallback: KernelSet): Partial<KernelSet> {
  const train = fast.batchNormForwardTrain?.bind(fast);
  const trainRelu = fast.batchNormReluForwardTrain?.bind(fast);
  const evalFn = fast.batchNormForwardEval?.bind(fast);
  const evalRelu = fast.batchNormReluForwardEval?.bind(fast);
  const back = fast.batchNormBackwardTrain?.bind(fast);
  const backRelu = fast.batchNormReluBackwardTrain?.bind(fast);
  if (!train || !trainRelu || !evalFn || !evalRelu || !back || !backRelu) return {};
  const slowTrain = fallback.batchNormForwardTrain?.bind(fallback) ?? batchNormForwardTrain;
  const slowEval = fallback.batchNormForwardEval?.bind(fallback) ?? batchNormForwardEval;
  const slowBack = fallback.batchNormBackwardTrain?.bind(fallback) ?? batchNormBackwardTrain;
  const relu = (s: BatchNormShape, out: Tensor) => {
    const live = out.subarray(0, s.batch * s.channels * s.spatial);
    fallback.reluForward(live, live);
  };
  const slowTrainRelu: NonNullable<KernelSet['batchNormReluForwardTrain']> =
    fallback.batchNormReluForwardTrain?.bind(fallback) ??
    ((s, inp, gamma, beta, out, mean, invStd, rm, rv) => {
      slowTrain(s, inp, gamma, beta, out, mean, invStd, rm, rv);
      relu(s, out);
    });
  const slowEvalRelu: NonNullable<KernelSet['batchNormReluForwardEval']> =
    fallback.batchNormReluForwardEval?.bind(fallback) ??
    ((s, inp, gamma, beta, out, rm, rv) => {
      slowEval(s, inp, gamma, beta, out, rm, rv);
      relu(s, out);
    });
  const slowBackRelu: NonNullable<KernelSet['batchNormReluBackwardTrain']> =
    fallback.batchNormReluBackwardTrain?.bind(fallback) ??
    ((s, inp, gamma, mean, invStd, reluOut, dout, dinp, dgamma, dbeta) => {
      const n = s.batch * s.channels * s.spatial;
      const masked = dout instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
      fallback.reluBackward(reluOut.subarray(0, n), dout.subarray(0, n), masked);
      slowBack(s, inp, gamma, mean, invStd, masked, dinp, dgamma, dbeta);
    });
  const allF32 = (...t: Tensor[]) => t.every(f32);
  return {
    batchNormForwardTrain: (s, inp, gamma, beta, out, mean, invStd, rm, rv) =>
      allF32(inp, gamma, beta, out, mean, invStd, rm, rv)
        ? train(s, inp, gamma, beta, out, mean, invStd, rm, rv)
        : slowTrain(s, inp, gamma, beta, out, mean, invStd, rm, rv),
    batchNormReluForwardTrain: (s, inp, gamma, beta, out, mean, invStd, rm, rv) =>
      allF32(inp, gamma, beta, out, mean, invStd, rm, rv)
        ? trainRelu(s, inp, gamma, beta, out, mean, invStd, rm, rv)
        : slowTrainRelu(s, inp, gamma, beta, out, mean, invStd, rm, rv),
    batchNormForwardEval: (s, inp, gamma, beta, out, rm, rv) =>
      allF32(inp, gamma, beta, out, rm, rv)
        ? evalFn(s, inp, gamma, beta, out, rm, rv)
        : slowEval(s, inp, gamma, beta, out, rm, rv),
    batchNormReluForwardEval: (s, inp, gamma, beta, out, rm, rv) =>
      allF32(inp, gamma, beta, out, rm, rv)
        ? evalRelu(s, inp, gamma, beta, out, rm, rv)
        : slowEvalRelu(s, inp, gamma, beta, out, rm, rv),
    batchNormBackwardTrain: (s, inp, gamma, mean, invStd, dout, dinp, dgamma, dbeta) =>
      allF32(inp, gamma, mean, invStd, dout, dgamma, dbeta) && f32(dinp)
        ? back(s, inp, gamma, mean, invStd, dout, dinp, dgamma, dbeta)
        : slowBack(s, inp, gamma, mean, invStd, dout, dinp, dgamma, dbeta),
    batchNormReluBackwardTrain: (s, inp, gamma, mean, invStd, reluOut, dout, dinp, dgamma, dbeta) =>
      allF32(inp, gamma, mean, invStd, reluOut, dout, dgamma, dbeta) && f32(dinp)
        ? backRelu(s, inp, gamma, mean, invStd, reluOut, dout, dinp, dgamma, dbeta)
        : slowBackRelu(s, inp, gamma, mean, invStd, reluOut, dout, dinp, dgamma, dbeta),
  };
}

/** A kernel backend: 'auto' = the fastest available (native, else wasm, else reference). */
export type KernelChoice = 'auto' | 'native' | 'wasm' | 'reference';

const cached = new Map<KernelChoice, KernelSet>();

/**
 * The KernelSet of a backend, created once per thread; float64 calls always go to the reference ops.
 * 'native' and 'wasm' throw when that backend is not available here; 'auto' never throws.
 */
export function kernelsFor(choice: KernelChoice): KernelSet {
  let k = cached.get(choice);
  if (k) return k;
  if (choice === 'reference') k = referenceKernels;
  else if (choice === 'native') {
    const native = loadNativeKernels();
    if (!native) throw new Error(`native kernels unavailable: ${nativeLoadError()}`);
    k = mergeKernels(native, referenceKernels);
  } else if (choice === 'wasm') {
    const wasm = loadWasmKernels();
    if (!wasm) throw new Error('WebAssembly SIMD kernels unavailable in this runtime');
    k = mergeKernels(wasm, referenceKernels);
  } else {
    const env = process.env.CNN_STUDIO_KERNELS;
    const preferred: KernelChoice[] =
      env === 'reference'
        ? ['reference']
        : env === 'wasm'
          ? ['wasm', 'reference']
          : ['native', 'wasm', 'reference'];
    for (const c of preferred) {
      try {
        k = kernelsFor(c);
        break;
      } catch {
        // not available here: try the next one
      }
    }
  }
  cached.set(choice, k!);
  return k!;
}

/**
 * The fastest KernelSet this runtime supports: the native addon (out/native/cnn_kernels.node), else wasm SIMD,
 * else the reference ops (CNN_STUDIO_KERNELS=wasm|reference narrows the choice), created once per thread.
 */
export function fastKernels(): KernelSet {
  return kernelsFor('auto');
}

/** What a backend runs in this thread for float32 calls, e.g. 'native-avx512', 'wasm-simd', 'reference'. */
export function kernelsBackend(choice: KernelChoice = 'auto'): string {
  const k = kernelsFor(choice);
  if (k === referenceKernels) return 'reference';
  if (k === cached.get('native')) return `native-${loadNativeAddon()!.useIsa()}`;
  const variant = wasmKernelsVariant();
  return variant === 'relaxed-simd' ? 'wasm-relaxed-simd' : 'wasm-simd';
}

/** Which backend fastKernels() uses in this thread (for float32 calls). */
export function fastKernelsBackend(): string {
  return kernelsBackend('auto');
}
