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
import { pooledCount } from './kernel-shapes';
import { loadNativeAddon, loadNativeKernels, nativeLoadError } from './native-kernels';
import { loadWasmKernels, wasmKernelsVariant } from './wasm-kernels';

export { loadWasmKernels, wasmKernelsVariant, wasmSimdSupported } from './wasm-kernels';

type Op = (...args: unknown[]) => void;

/**
 * `fast` unless an argument is a Float64Array (the fast sets take float32 tensors only), else `slow`. An indexed
 * loop: V8 then forwards the arguments without building the array (a for-of cost about 200 ns more per call; this
 * costs about 20 ns more than a hand-written branch per op, measured).
 */
function byPrecision(fast: Op, slow: Op): Op {
  return (...args) => {
    for (let i = 0; i < args.length; i++) if (args[i] instanceof Float64Array) return slow(...args);
    return fast(...args);
  };
}

/** Merges `fast` over `fallback`: each op of `fast` runs its float32 calls, slowOps(fallback) the others. */
export function mergeKernels(fast: KernelSet, fallback: KernelSet): KernelSet {
  const slow = slowOps(fallback);
  const merged: Record<string, Op> = {};
  for (const name of Object.keys(slow) as (keyof KernelSet)[]) {
    const op = fast[name] as Op | undefined;
    if (op) merged[name] = byPrecision(op.bind(fast), slow[name] as Op);
  }
  return merged as unknown as KernelSet;
}

/**
 * Every op for the float64 calls (the gradient checks are the only float64 callers): the fallback's own, or for
 * an optional op it lacks, the same values from its other ops (or ../cnn/ops/batch-norm.ts). Composed ops keep
 * their intermediates in fresh buffers, and write only the live part of a caller's buffer.
 */
function slowOps(fb: KernelSet): Required<KernelSet> {
  type All = Required<KernelSet>;
  const convRelu: All['conv2dReluForward'] =
    fb.conv2dReluForward?.bind(fb) ??
    ((s, inp, w, b, out) => {
      fb.conv2dForward(s, inp, w, b, out);
      const live = out.subarray(0, s.batch * s.outChannels * s.outHeight * s.outWidth);
      fb.reluForward(live, live);
    });
  const convReluPoolTrain: All['conv2dReluMaxPoolTrain'] =
    fb.conv2dReluMaxPoolTrain?.bind(fb) ??
    ((s, p, inp, w, b, out, argmax) => {
      const n = s.batch * s.outChannels * s.outHeight * s.outWidth;
      const act = out instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
      convRelu(s, inp, w, b, act);
      fb.maxPool2dForward(p, act, out, argmax);
    });
  // inference: the training op with switches thrown away
  const convReluPool: All['conv2dReluMaxPoolForward'] =
    fb.conv2dReluMaxPoolForward?.bind(fb) ??
    ((s, p, inp, w, b, out) => convReluPoolTrain(s, p, inp, w, b, out, new Int32Array(pooledCount(p))));
  // the fallback's op or the definition, over the live outputs, after zeroing dinp's live part for zeroFirst
  const poolReluBackward: All['maxPool2dReluBackward'] = (s, dout, argmax, out, dinp, zeroFirst) => {
    if (zeroFirst) dinp.fill(0, 0, s.batch * s.channels * s.inHeight * s.inWidth);
    if (fb.maxPool2dReluBackward) return fb.maxPool2dReluBackward(s, dout, argmax, out, dinp);
    const n = pooledCount(s);
    for (let j = 0; j < n; j++) if (out[j] > 0) dinp[argmax[j]] += dout[j];
  };
  const bnTrain = fb.batchNormForwardTrain?.bind(fb) ?? batchNormForwardTrain;
  const bnEval = fb.batchNormForwardEval?.bind(fb) ?? batchNormForwardEval;
  const bnBack = fb.batchNormBackwardTrain?.bind(fb) ?? batchNormBackwardTrain;
  const relu = (s: BatchNormShape, out: Tensor) => {
    const live = out.subarray(0, s.batch * s.channels * s.spatial);
    fb.reluForward(live, live);
  };
  return {
    conv2dForward: fb.conv2dForward.bind(fb),
    conv2dBackward: fb.conv2dBackward.bind(fb),
    denseForward: fb.denseForward.bind(fb),
    denseBackward: fb.denseBackward.bind(fb),
    maxPool2dForward: fb.maxPool2dForward.bind(fb),
    maxPool2dBackward: fb.maxPool2dBackward.bind(fb),
    reluForward: fb.reluForward.bind(fb),
    reluBackward: fb.reluBackward.bind(fb),
    conv2dReluForward: convRelu,
    conv2dReluMaxPoolTrain: convReluPoolTrain,
    conv2dReluMaxPoolForward: convReluPool,
    // the weights as they are (wT is their copy)
    conv2dReluForwardWt:
      fb.conv2dReluForwardWt?.bind(fb) ??
      ((s, p, inp, w, _wT, b, out) => (p ? convReluPool(s, p, inp, w, b, out) : convRelu(s, inp, w, b, out))),
    maxPool2dReluBackward: poolReluBackward,
    // the definition: the conv output's gradient into a fresh buffer, then the conv's backward without dinp
    conv2dReluMaxPoolBackwardParams: (s, p, inp, w, dout, argmax, out, dw, db) => {
      const n = s.batch * s.outChannels * s.outHeight * s.outWidth;
      const dconv = dout instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
      poolReluBackward(p, dout, argmax, out, dconv);
      fb.conv2dBackward(s, inp, w, dconv, null, dw, db);
    },
    batchNormForwardTrain: bnTrain,
    batchNormForwardEval: bnEval,
    batchNormBackwardTrain: bnBack,
    batchNormReluForwardTrain:
      fb.batchNormReluForwardTrain?.bind(fb) ??
      ((s, inp, gamma, beta, out, mean, invStd, rm, rv) => {
        bnTrain(s, inp, gamma, beta, out, mean, invStd, rm, rv);
        relu(s, out);
      }),
    batchNormReluForwardEval:
      fb.batchNormReluForwardEval?.bind(fb) ??
      ((s, inp, gamma, beta, out, rm, rv) => {
        bnEval(s, inp, gamma, beta, out, rm, rv);
        relu(s, out);
      }),
    // the relu's backward into a fresh buffer, then the batch norm's
    batchNormReluBackwardTrain:
      fb.batchNormReluBackwardTrain?.bind(fb) ??
      ((s, inp, gamma, mean, invStd, reluOut, dout, dinp, dgamma, dbeta) => {
        const n = s.batch * s.channels * s.spatial;
        const masked = dout instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
        fb.reluBackward(reluOut.subarray(0, n), dout.subarray(0, n), masked);
        bnBack(s, inp, gamma, mean, invStd, masked, dinp, dgamma, dbeta);
      }),
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
