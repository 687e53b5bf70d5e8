/**
 * fastKernels(): the wasm SIMD ops where they apply, the readable reference ops everywhere else.
 *
 * The wasm ops are the relaxed-SIMD (FMA) build where the runtime supports it, else the plain SIMD build (see
 * ./wasm-kernels.ts); fastKernelsBackend() says which.
 *
 * A wasm op runs when wasm SIMD is available and every tensor of the call is a Float32Array; float64 calls (the
 * gradient checks) and runtimes without SIMD use the reference op. The result is a drop-in KernelSet.
 */
import type { KernelSet, Tensor } from '../cnn/kernel-set';
import { referenceKernels } from '../cnn/reference-kernels';
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
  return {
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

let cached: KernelSet | undefined;

/** The fastest KernelSet this runtime supports (wasm SIMD over the reference ops), created once per thread. */
export function fastKernels(): KernelSet {
  if (!cached) {
    const wasm = loadWasmKernels();
    cached = wasm ? mergeKernels(wasm, referenceKernels) : referenceKernels;
  }
  return cached;
}

/** Which backend fastKernels() uses in this thread (for float32 calls). */
export function fastKernelsBackend(): 'wasm-relaxed-simd' | 'wasm-simd' | 'reference' {
  const variant = wasmKernelsVariant();
  return variant === 'relaxed-simd' ? 'wasm-relaxed-simd' : variant === 'simd' ? 'wasm-simd' : 'reference';
}
