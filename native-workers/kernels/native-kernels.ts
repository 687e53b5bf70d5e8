/**
 * The native implementation of the KernelSet: the Node-API addon built from native-workers/native/ (C with AVX-512,
 * AVX2 + FMA or 4-lane vectors, picked from the CPU at load time). Tensors are passed in place, so there are no
 * copies. It is optional: `npm run build` builds it into out/native/cnn_kernels.node when a C compiler is present,
 * the app ships a prebuilt copy for some platforms (prebuilds/<platform>-<arch>/cnn_kernels.node, made by
 * scripts/prebuild-kernels.mjs), and without either `fastKernels()` uses the WebAssembly kernels.
 *
 * CNN_STUDIO_KERNELS=wasm|reference (environment) turns it off; CNN_STUDIO_NATIVE_KERNELS=<path> loads that file;
 * CNN_STUDIO_NATIVE_ISA=v4|avx2|avx512 asks for an instruction set (e.g. to measure a slower CPU's path).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NativeKernelsSource } from '../../app/domain/app-info';
import type { KernelSet, Tensor } from '../cnn/kernel-set';
import {
  batchNormPacker,
  convPacker,
  densePacker,
  poolGeomPacker,
  poolPacker,
  pooledCount,
  tiles2x2,
} from './kernel-shapes';

type F32 = Float32Array;

/*
 * The addon's exports (native-workers/native/src/addon.c). Kernel tensors are typed Tensor but must be
 * Float32Array (the addon throws on others; fastKernels() routes float64 calls to the reference ops); shapes are
 * Int32Array vectors (./kernel-shapes.ts). Every export exists in every addon the loader accepts: the prebuild is
 * rebuilt with each addon change (test/packaging/prebuilt-kernels.test.ts), and loadNativeAddonFile refuses a
 * stale local build that lacks one.
 */
export interface NativeAddon {
  conv2dForward(s: Int32Array, inp: Tensor, w: Tensor, bias: Tensor | null, out: Tensor, relu: number): void;
  /** Accumulates the gradients (dinp and dbias may be null). */
  conv2dBackward(
    s: Int32Array,
    inp: Tensor,
    w: Tensor,
    dout: Tensor,
    dinp: Tensor | null,
    dw: Tensor,
    dbias: Tensor | null,
  ): void;
  denseForward(s: Int32Array, inp: Tensor, w: Tensor, bias: Tensor | null, out: Tensor): void;
  denseBackward: NativeAddon['conv2dBackward'];
  /** Inference-only conv + ReLU + max pool; pool = [poolH, poolW, strideH, strideW, outH, outW]. */
  conv2dReluMaxPoolForward(
    s: Int32Array,
    pool: Int32Array,
    inp: Tensor,
    w: Tensor,
    bias: Tensor | null,
    out: Tensor,
  ): void;
  /**
   * Inference-only conv + ReLU (+ max pool unless pool is null) with the weights also transposed (wT[k][oc] in
   * blocks of 32 output channels, transposeConvWeight).
   */
  conv2dReluForwardWt(
    s: Int32Array,
    pool: Int32Array | null,
    inp: Tensor,
    w: Tensor,
    wT: Tensor,
    bias: Tensor | null,
    out: Tensor,
  ): void;
  conv2dReluMaxPoolTrain(
    s: Int32Array,
    pool: Int32Array,
    inp: Tensor,
    w: Tensor,
    bias: Tensor | null,
    out: Tensor,
    argmax: Int32Array,
  ): void;
  /** The first conv's weight and bias gradients from its pool's output gradient (KernelSet's op of that name). */
  conv2dReluMaxPoolBackwardParams(
    s: Int32Array,
    pool: Int32Array,
    inp: Tensor,
    w: Tensor,
    dout: Tensor,
    argmax: Int32Array,
    out: Tensor,
    dw: Tensor,
    dbias: Tensor | null,
  ): void;
  maxPoolForward(s: Int32Array, inp: Tensor, out: Tensor, argmax: Int32Array): void;
  maxPoolBackward(count: number, dout: Tensor, argmax: Int32Array, dinp: Tensor): void;
  maxPoolReluBackward(count: number, dout: Tensor, argmax: Int32Array, out: Tensor, dinp: Tensor): void;
  /**
   * 2×2, stride 2 windows that tile the input, output width ≥ 4: writes what maxPoolReluBackward adds into a zeroed
   * dinp.
   */
  maxPoolReluBackward2x2(s: Int32Array, dout: Tensor, argmax: Int32Array, out: Tensor, dinp: Tensor): void;
  reluForward(count: number, inp: Tensor, out: Tensor): void;
  reluBackward(count: number, out: Tensor, dout: Tensor, dinp: Tensor): void;
  /** Batch normalization (s = [batch, channels, spatial]); relu 1 fuses a following ReLU. See KernelSet. */
  batchNormForwardTrain(
    s: Int32Array,
    epsilon: number,
    momentum: number,
    inp: Tensor,
    gamma: Tensor,
    beta: Tensor,
    out: Tensor,
    mean: Tensor,
    invStd: Tensor,
    runningMean: Tensor,
    runningVar: Tensor,
    relu: number,
  ): void;
  batchNormForwardEval(
    s: Int32Array,
    epsilon: number,
    inp: Tensor,
    gamma: Tensor,
    beta: Tensor,
    out: Tensor,
    runningMean: Tensor,
    runningVar: Tensor,
    relu: number,
  ): void;
  /** reluOut null: no ReLU after the batch norm. */
  batchNormBackwardTrain(
    s: Int32Array,
    inp: Tensor,
    gamma: Tensor,
    mean: Tensor,
    invStd: Tensor,
    reluOut: Tensor | null,
    dout: Tensor,
    dinp: Tensor | null,
    dgamma: Tensor,
    dbeta: Tensor,
  ): void;
  /** reduced[i] = Σ_j weights[j] · slot_j[i] on [from, to); grads = `workers` slots of paramCount, then reduced. */
  reduceGradients(
    grads: F32,
    workers: number,
    paramCount: number,
    weights: Float64Array,
    from: number,
    to: number,
  ): void;
  /** FlatAdam.stepSlice's loop, bit for bit (coef: see AdamSliceFn in ../parallel/adam.ts). */
  adamSlice(params: F32, grads: F32, m: F32, v: F32, coef: Float64Array, from: number, to: number): void;
  /** FlatAdam's masked-decay loop (AdamW or masked L2), bit for bit (coef: see AdamMaskedSliceFn). */
  adamMaskedSlice(
    params: F32,
    grads: F32,
    m: F32,
    v: F32,
    mask: Uint8Array,
    coef: Float64Array,
    from: number,
    to: number,
  ): void;
  /** Instruction sets this CPU supports, best first. */
  isas(): string[];
  /** Switches this thread's kernels (none: keeps the current one); returns the one in use. */
  useIsa(name?: string): string;
  /**
   * This thread's multiply-add peak in GFLOP/s at the instruction set in use: the best short round of a register-only
   * FMA loop over about `milliseconds` (the benchmark's "% of peak" divides by it).
   */
  measurePeakGflops(milliseconds: number): number;
}

/** Every export by name (the compiler checks the list is complete), to refuse an addon that lacks one. */
const EXPORTS: Record<keyof NativeAddon, true> = {
  conv2dForward: true,
  conv2dBackward: true,
  denseForward: true,
  denseBackward: true,
  conv2dReluMaxPoolForward: true,
  conv2dReluForwardWt: true,
  conv2dReluMaxPoolTrain: true,
  conv2dReluMaxPoolBackwardParams: true,
  maxPoolForward: true,
  maxPoolBackward: true,
  maxPoolReluBackward: true,
  maxPoolReluBackward2x2: true,
  reluForward: true,
  reluBackward: true,
  batchNormForwardTrain: true,
  batchNormForwardEval: true,
  batchNormBackwardTrain: true,
  reduceGradients: true,
  adamSlice: true,
  adamMaskedSlice: true,
  isas: true,
  useIsa: true,
  measurePeakGflops: true,
};

const FILE = 'cnn_kernels.node';

/** Where an addon comes from: a local build (out/native), the shipped prebuild, or CNN_STUDIO_NATIVE_KERNELS. */
export type NativeAddonSource = NativeKernelsSource;

export interface AddonCandidate {
  path: string;
  source: NativeAddonSource;
}

/**
 * Where the addon may be, best first: a local build next to the bundles (out/<part>/ → out/native/) or under the
 * working folder, then the prebuild for this platform (prebuilds/<platform>-<arch>/, two levels above out/<part>/
 * or native-workers/kernels/). A local build is current after `npm run build` (scripts/build-native.mjs deletes it
 * when a build fails), so it wins over the prebuild; one that does not load (e.g. older than the sources, so lacking
 * an export) gives way to the next. A packaged app reads these files next to its asar archive.
 */
export function addonCandidates(
  explicit: string | undefined = process.env.CNN_STUDIO_NATIVE_KERNELS,
  dir: string | undefined = typeof __dirname === 'undefined' ? undefined : __dirname,
  cwd: string = process.cwd(),
  target = `${process.platform}-${process.arch}`,
): AddonCandidate[] {
  if (explicit) return [{ path: explicit, source: 'explicit' }];
  const list: AddonCandidate[] = [];
  if (dir) list.push({ path: join(dir, '..', 'native', FILE), source: 'build' });
  list.push({ path: join(cwd, 'out', 'native', FILE), source: 'build' });
  if (dir) list.push({ path: join(dir, '..', '..', 'prebuilds', target, FILE), source: 'prebuilt' });
  list.push({ path: join(cwd, 'prebuilds', target, FILE), source: 'prebuilt' });
  return list.map((c) => ({
    ...c,
    path: c.path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2'),
  }));
}

/** The candidates that exist, best first. */
function existingAddons(): AddonCandidate[] {
  return addonCandidates().filter((c) => existsSync(c.path));
}

/**
 * Loads one addon file (CNN_STUDIO_NATIVE_ISA applies); throws when it does not load, or lacks an export or that
 * instruction set.
 */
export function loadNativeAddonFile(path: string): NativeAddon {
  const m = { exports: {} as NativeAddon };
  process.dlopen(m, path);
  // a local build (or a CNN_STUDIO_NATIVE_KERNELS file) older than these sources: refused here with the fix,
  // rather than failing at the first call of an op it lacks (the loader then falls back like for a load error)
  const missing = Object.keys(EXPORTS).filter((k) => typeof m.exports[k as keyof NativeAddon] !== 'function');
  if (missing.length)
    throw new Error(`built from older sources, lacks ${missing.join(', ')} (npm run build rebuilds it)`);
  const isa = process.env.CNN_STUDIO_NATIVE_ISA;
  // a set this CPU lacks throws: the addon then counts as unavailable, and nativeLoadError() says why
  if (isa) m.exports.useIsa(isa);
  return m.exports;
}

let cachedAddon: NativeAddon | null | undefined;
let loaded: AddonCandidate | null = null;
let loadError: string | null = null;

/** The addon of this thread, or null when it is turned off, missing or fails to load (see nativeLoadError()). */
export function loadNativeAddon(): NativeAddon | null {
  if (cachedAddon !== undefined) return cachedAddon;
  cachedAddon = null;
  const mode = process.env.CNN_STUDIO_KERNELS;
  if (mode === 'wasm' || mode === 'reference') {
    loadError = `turned off by CNN_STUDIO_KERNELS=${mode}`;
    return null;
  }
  const found = existingAddons();
  if (!found.length) {
    loadError = `${FILE} not built (npm run build builds it when a C compiler is present) and no prebuild for ${process.platform}-${process.arch}`;
    return null;
  }
  // a local build that does not load (older than these sources, or broken) gives way to the prebuild
  const errors: string[] = [];
  for (const candidate of found) {
    try {
      cachedAddon = loadNativeAddonFile(candidate.path);
      loaded = candidate;
      loadError = null;
      return cachedAddon;
    } catch (e) {
      errors.push(`${candidate.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  loadError = errors.join('; ');
  return null;
}

/** Why loadNativeAddon() returned null (null when it loaded). */
export function nativeLoadError(): string | null {
  loadNativeAddon();
  return loadError;
}

/** Which addon this thread loaded (null when none did). */
export function nativeAddonSource(): NativeAddonSource | null {
  loadNativeAddon();
  return loaded?.source ?? null;
}

/** Directory of the addon this thread loaded, else of the one it would load (for diagnostics). */
export function nativeAddonDir(): string | null {
  const p = loaded?.path ?? existingAddons()[0]?.path;
  return p ? dirname(p) : null;
}

/** The KernelSet over the addon (Float32Array tensors only; fastKernels() routes float64 calls elsewhere). */
export function createNativeKernelSet(a: NativeAddon): KernelSet {
  // one reused vector per shape argument (an op taking two shapes uses two packers)
  const conv = convPacker();
  const pool = poolPacker();
  const geom = poolGeomPacker();
  const dense = densePacker();
  const bn = batchNormPacker();
  const bnTrain =
    (relu: number): KernelSet['batchNormForwardTrain'] =>
    (s, inp, gamma, beta, out, mean, invStd, rm, rv) =>
      a.batchNormForwardTrain(
        bn(s),
        s.epsilon,
        s.momentum,
        inp,
        gamma,
        beta,
        out,
        mean,
        invStd,
        rm,
        rv,
        relu,
      );
  const bnEval =
    (relu: number): KernelSet['batchNormForwardEval'] =>
    (s, inp, gamma, beta, out, rm, rv) =>
      a.batchNormForwardEval(bn(s), s.epsilon, inp, gamma, beta, out, rm, rv, relu);
  return {
    conv2dForward: (s, inp, w, b, out) => a.conv2dForward(conv(s), inp, w, b, out, 0),
    conv2dReluForward: (s, inp, w, b, out) => a.conv2dForward(conv(s), inp, w, b, out, 1),
    conv2dReluMaxPoolForward: (s, p, inp, w, b, out) =>
      a.conv2dReluMaxPoolForward(conv(s), geom(p), inp, w, b, out),
    conv2dReluMaxPoolTrain: (s, p, inp, w, b, out, argmax) =>
      a.conv2dReluMaxPoolTrain(conv(s), geom(p), inp, w, b, out, argmax),
    conv2dReluForwardWt: (s, p, inp, w, wT, b, out) =>
      a.conv2dReluForwardWt(conv(s), p && geom(p), inp, w, wT, b, out),
    conv2dBackward: (s, inp, w, dout, dinp, dw, db) => a.conv2dBackward(conv(s), inp, w, dout, dinp, dw, db),
    conv2dReluMaxPoolBackwardParams: (s, p, inp, w, dout, argmax, out, dw, db) =>
      a.conv2dReluMaxPoolBackwardParams(conv(s), geom(p), inp, w, dout, argmax, out, dw, db),
    denseForward: (s, inp, w, b, out) => a.denseForward(dense(s), inp, w, b, out),
    denseBackward: (s, inp, w, dout, dinp, dw, db) => a.denseBackward(dense(s), inp, w, dout, dinp, dw, db),
    maxPool2dForward: (s, inp, out, argmax) => a.maxPoolForward(pool(s), inp, out, argmax),
    maxPool2dBackward: (s, dout, argmax, dinp) => a.maxPoolBackward(pooledCount(s), dout, argmax, dinp),
    maxPool2dReluBackward: (s, dout, argmax, out, dinp, zeroFirst) => {
      // writing: one ordered pass where 2×2 windows tile the input, else a zero-fill and the scatter
      if (zeroFirst && tiles2x2(s)) return a.maxPoolReluBackward2x2(pool(s), dout, argmax, out, dinp);
      if (zeroFirst) dinp.fill(0, 0, s.batch * s.channels * s.inHeight * s.inWidth);
      a.maxPoolReluBackward(pooledCount(s), dout, argmax, out, dinp);
    },
    reluForward: (inp, out) => a.reluForward(inp.length, inp, out),
    reluBackward: (out, dout, dinp) => a.reluBackward(out.length, out, dout, dinp),
    batchNormForwardTrain: bnTrain(0),
    batchNormReluForwardTrain: bnTrain(1),
    batchNormForwardEval: bnEval(0),
    batchNormReluForwardEval: bnEval(1),
    batchNormBackwardTrain: (s, inp, gamma, mean, invStd, dout, dinp, dgamma, dbeta) =>
      a.batchNormBackwardTrain(bn(s), inp, gamma, mean, invStd, null, dout, dinp, dgamma, dbeta),
    batchNormReluBackwardTrain: (s, inp, gamma, mean, invStd, reluOut, dout, dinp, dgamma, dbeta) =>
      a.batchNormBackwardTrain(bn(s), inp, gamma, mean, invStd, reluOut, dout, dinp, dgamma, dbeta),
  };
}

/** The native KernelSet, or null (see loadNativeAddon). */
export function loadNativeKernels(): KernelSet | null {
  const addon = loadNativeAddon();
  return addon ? createNativeKernelSet(addon) : null;
}
