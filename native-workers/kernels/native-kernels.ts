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
import type { BatchNormShape, Conv2dShape, KernelSet, Pool2dShape, Tensor } from '../cnn/kernel-set';

type F32 = Float32Array;

/** (shape, inp, weight, dout, dinp | null, dweight, dbias | null): accumulates the gradients. */
type NativeBackward = (
  s: Int32Array,
  inp: F32,
  w: F32,
  dout: F32,
  dinp: F32 | null,
  dw: F32,
  dbias: F32 | null,
) => void;

/** The addon's exports (native-workers/native/src/addon.c). */
export interface NativeAddon {
  conv2dForward(s: Int32Array, inp: F32, w: F32, bias: F32 | null, out: F32, relu: number): void;
  conv2dBackward: NativeBackward;
  denseForward(s: Int32Array, inp: F32, w: F32, bias: F32 | null, out: F32): void;
  /**
   * Inference-only conv + ReLU + max pool; pool = [poolH, poolW, strideH, strideW, outH, outW]. Absent from
   * prebuilds made before it existed.
   */
  conv2dReluMaxPoolForward?(
    s: Int32Array,
    pool: Int32Array,
    inp: F32,
    w: F32,
    bias: F32 | null,
    out: F32,
  ): void;
  /**
   * Inference-only conv + ReLU (+ max pool unless pool is null) with the weights also transposed (wT[k][oc] in
   * blocks of 32 output channels, transposeConvWeight).
   * Absent from prebuilds made before it existed.
   */
  conv2dReluForwardWt?(
    s: Int32Array,
    pool: Int32Array | null,
    inp: F32,
    w: F32,
    wT: F32,
    bias: F32 | null,
    out: F32,
  ): void;
  /** Absent from prebuilds made before it existed (training then runs the conv and the pool apart). */
  conv2dReluMaxPoolTrain?(
    s: Int32Array,
    pool: Int32Array,
    inp: F32,
    w: F32,
    bias: F32 | null,
    out: F32,
    argmax: Int32Array,
  ): void;
  denseBackward: NativeBackward;
  maxPoolForward(s: Int32Array, inp: F32, out: F32, argmax: Int32Array): void;
  maxPoolBackward(count: number, dout: F32, argmax: Int32Array, dinp: F32): void;
  /** Absent from prebuilds made before it existed (the Model then trains the relu and the pool unfused). */
  maxPoolReluBackward?(count: number, dout: F32, argmax: Int32Array, out: F32, dinp: F32): void;
  /**
   * 2×2, stride 2 windows that tile the input, output width ≥ 4: writes what maxPoolReluBackward adds into a zeroed
   * dinp. Absent from prebuilds made before it existed (zero-fill, then maxPoolReluBackward).
   */
  maxPoolReluBackward2x2?(s: Int32Array, dout: F32, argmax: Int32Array, out: F32, dinp: F32): void;
  reluForward(count: number, inp: F32, out: F32): void;
  reluBackward(count: number, out: F32, dout: F32, dinp: F32): void;
  /*
   * Batch normalization (shape [batch, channels, spatial]); see KernelSet. Absent from prebuilds made before it
   * existed (the batchnorm layer then keeps the reference ops).
   */
  batchNormForwardTrain?(
    s: Int32Array,
    epsilon: number,
    momentum: number,
    inp: F32,
    gamma: F32,
    beta: F32,
    out: F32,
    mean: F32,
    invStd: F32,
    runningMean: F32,
    runningVar: F32,
    relu: number,
  ): void;
  /** relu 1: out = max(0, batchnorm(inp)). */
  batchNormForwardEval?(
    s: Int32Array,
    epsilon: number,
    inp: F32,
    gamma: F32,
    beta: F32,
    out: F32,
    runningMean: F32,
    runningVar: F32,
    relu: number,
  ): void;
  batchNormBackwardTrain?(
    s: Int32Array,
    inp: F32,
    gamma: F32,
    mean: F32,
    invStd: F32,
    reluOut: F32 | null,
    dout: F32,
    dinp: F32 | null,
    dgamma: F32,
    dbeta: F32,
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
  /**
   * FlatAdam's masked-decay loop (AdamW or masked L2), bit for bit (coef: see AdamMaskedSliceFn in
   * ../parallel/adam.ts). Absent from prebuilds made before it existed.
   */
  adamMaskedSlice?(
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
   * FMA loop over about `milliseconds` (the benchmark's "% of peak" divides by it). Absent from prebuilds made before
   * it existed.
   */
  measurePeakGflops?(milliseconds: number): number;
}

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
 * or native-workers/kernels/). A local build exists only when it is current (scripts/build-native.mjs deletes it when
 * a build fails), so it wins over the prebuild. A packaged app reads these files next to its asar archive.
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

/** The first candidate that exists. */
function findAddon(): AddonCandidate | undefined {
  return addonCandidates().find((c) => existsSync(c.path));
}

/** Loads one addon file (CNN_STUDIO_NATIVE_ISA applies); throws when it does not load or lacks that set. */
export function loadNativeAddonFile(path: string): NativeAddon {
  const m = { exports: {} as NativeAddon };
  process.dlopen(m, path);
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
  const found = findAddon();
  if (!found) {
    loadError = `${FILE} not built (npm run build builds it when a C compiler is present) and no prebuild for ${process.platform}-${process.arch}`;
    return null;
  }
  try {
    cachedAddon = loadNativeAddonFile(found.path);
    loaded = found;
  } catch (e) {
    loadError = `${found.path}: ${e instanceof Error ? e.message : String(e)}`;
  }
  return cachedAddon;
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
  const p = loaded?.path ?? findAddon()?.path;
  return p ? dirname(p) : null;
}

const f32 = (t: Tensor): F32 => t as F32;

/** 2×2, stride 2 windows that tile the input, at least 4 per row (maxPoolReluBackward2x2's geometry). */
const tiles2x2 = (s: Pool2dShape): boolean =>
  s.poolHeight === 2 &&
  s.poolWidth === 2 &&
  s.strideH === 2 &&
  s.strideW === 2 &&
  s.inHeight === 2 * s.outHeight &&
  s.inWidth === 2 * s.outWidth &&
  s.outWidth >= 4;
const f32OrNull = (t: Tensor | null): F32 | null => t as F32 | null;

/** The KernelSet over the addon (Float32Array tensors only; fastKernels() routes float64 calls elsewhere). */
export function createNativeKernelSet(addon: NativeAddon): KernelSet {
  const conv = new Int32Array(13);
  const dense = new Int32Array(3);
  const pool = new Int32Array(10);
  const convShape = (s: Conv2dShape): Int32Array => {
    conv[0] = s.batch;
    conv[1] = s.inChannels;
    conv[2] = s.inHeight;
    conv[3] = s.inWidth;
    conv[4] = s.outChannels;
    conv[5] = s.kernelHeight;
    conv[6] = s.kernelWidth;
    conv[7] = s.strideH;
    conv[8] = s.strideW;
    conv[9] = s.padTop;
    conv[10] = s.padLeft;
    conv[11] = s.outHeight;
    conv[12] = s.outWidth;
    return conv;
  };
  const denseShape = (b: number, i: number, o: number): Int32Array => {
    dense[0] = b;
    dense[1] = i;
    dense[2] = o;
    return dense;
  };
  const poolShape = (s: Pool2dShape): Int32Array => {
    pool[0] = s.batch;
    pool[1] = s.channels;
    pool[2] = s.inHeight;
    pool[3] = s.inWidth;
    pool[4] = s.poolHeight;
    pool[5] = s.poolWidth;
    pool[6] = s.strideH;
    pool[7] = s.strideW;
    pool[8] = s.outHeight;
    pool[9] = s.outWidth;
    return pool;
  };
  const poolGeom = new Int32Array(6);
  const geomOf = (p: Pool2dShape): Int32Array => {
    poolGeom[0] = p.poolHeight;
    poolGeom[1] = p.poolWidth;
    poolGeom[2] = p.strideH;
    poolGeom[3] = p.strideW;
    poolGeom[4] = p.outHeight;
    poolGeom[5] = p.outWidth;
    return poolGeom;
  };
  const convReluMaxPool = addon.conv2dReluMaxPoolForward?.bind(addon);
  const convReluWt = addon.conv2dReluForwardWt?.bind(addon);
  const poolReluBackward = addon.maxPoolReluBackward?.bind(addon);
  const poolReluBackward2x2 = addon.maxPoolReluBackward2x2?.bind(addon);
  const convReluMaxPoolTrain = addon.conv2dReluMaxPoolTrain?.bind(addon);
  return {
    ...(convReluMaxPoolTrain && {
      conv2dReluMaxPoolTrain: (
        s: Conv2dShape,
        p: Pool2dShape,
        inp: Tensor,
        w: Tensor,
        b: Tensor | null,
        out: Tensor,
        argmax: Int32Array,
      ) => convReluMaxPoolTrain(convShape(s), geomOf(p), f32(inp), f32(w), f32OrNull(b), f32(out), argmax),
    }),
    ...batchNormOps(addon),
    ...(convReluWt && {
      conv2dReluForwardWt: (
        s: Conv2dShape,
        p: Pool2dShape | null,
        inp: Tensor,
        w: Tensor,
        wT: Tensor,
        b: Tensor | null,
        out: Tensor,
      ) => convReluWt(convShape(s), p && geomOf(p), f32(inp), f32(w), f32(wT), f32OrNull(b), f32(out)),
    }),
    ...(poolReluBackward && {
      maxPool2dReluBackward: (
        s: Pool2dShape,
        dout: Tensor,
        argmax: Int32Array,
        out: Tensor,
        dinp: Tensor,
        zeroFirst?: boolean,
      ) => {
        if (zeroFirst && poolReluBackward2x2 && tiles2x2(s)) {
          poolReluBackward2x2(poolShape(s), f32(dout), argmax, f32(out), f32(dinp));
          return;
        }
        if (zeroFirst) dinp.fill(0, 0, s.batch * s.channels * s.inHeight * s.inWidth);
        poolReluBackward(
          s.batch * s.channels * s.outHeight * s.outWidth,
          f32(dout),
          argmax,
          f32(out),
          f32(dinp),
        );
      },
    }),
    ...(convReluMaxPool && {
      conv2dReluMaxPoolForward: (
        s: Conv2dShape,
        p: Pool2dShape,
        inp: Tensor,
        w: Tensor,
        b: Tensor | null,
        out: Tensor,
      ) => {
        convReluMaxPool(convShape(s), geomOf(p), f32(inp), f32(w), f32OrNull(b), f32(out));
      },
    }),
    conv2dForward: (s, inp, w, b, out) =>
      addon.conv2dForward(convShape(s), f32(inp), f32(w), f32OrNull(b), f32(out), 0),
    conv2dReluForward: (s, inp, w, b, out) =>
      addon.conv2dForward(convShape(s), f32(inp), f32(w), f32OrNull(b), f32(out), 1),
    conv2dBackward: (s, inp, w, dout, dinp, dw, db) =>
      addon.conv2dBackward(
        convShape(s),
        f32(inp),
        f32(w),
        f32(dout),
        f32OrNull(dinp),
        f32(dw),
        f32OrNull(db),
      ),
    denseForward: (s, inp, w, b, out) =>
      addon.denseForward(
        denseShape(s.batch, s.inFeatures, s.outFeatures),
        f32(inp),
        f32(w),
        f32OrNull(b),
        f32(out),
      ),
    denseBackward: (s, inp, w, dout, dinp, dw, db) =>
      addon.denseBackward(
        denseShape(s.batch, s.inFeatures, s.outFeatures),
        f32(inp),
        f32(w),
        f32(dout),
        f32OrNull(dinp),
        f32(dw),
        f32OrNull(db),
      ),
    maxPool2dForward: (s, inp, out, argmax) => addon.maxPoolForward(poolShape(s), f32(inp), f32(out), argmax),
    maxPool2dBackward: (s, dout, argmax, dinp) =>
      addon.maxPoolBackward(s.batch * s.channels * s.outHeight * s.outWidth, f32(dout), argmax, f32(dinp)),
    reluForward: (inp, out) => addon.reluForward(inp.length, f32(inp), f32(out)),
    reluBackward: (out, dout, dinp) => addon.reluBackward(out.length, f32(out), f32(dout), f32(dinp)),
  };
}

/** The addon's batch-norm ops as KernelSet ops, or none when this addon predates them. */
function batchNormOps(addon: NativeAddon): Partial<KernelSet> {
  const train = addon.batchNormForwardTrain?.bind(addon);
  const evalFn = addon.batchNormForwardEval?.bind(addon);
  const back = addon.batchNormBackwardTrain?.bind(addon);
  if (!train || !evalFn || !back) return {};
  const shape = new Int32Array(3);
  const bnShape = (s: BatchNormShape): Int32Array => {
    shape[0] = s.batch;
    shape[1] = s.channels;
    shape[2] = s.spatial;
    return shape;
  };
  const forwardEval =
    (relu: number): NonNullable<KernelSet['batchNormForwardEval']> =>
    (s, inp, gamma, beta, out, rm, rv) =>
      evalFn(bnShape(s), s.epsilon, f32(inp), f32(gamma), f32(beta), f32(out), f32(rm), f32(rv), relu);
  const forwardTrain =
    (relu: number): NonNullable<KernelSet['batchNormForwardTrain']> =>
    (s, inp, gamma, beta, out, mean, invStd, rm, rv) =>
      train(
        bnShape(s),
        s.epsilon,
        s.momentum,
        f32(inp),
        f32(gamma),
        f32(beta),
        f32(out),
        f32(mean),
        f32(invStd),
        f32(rm),
        f32(rv),
        relu,
      );
  const backward = (
    s: BatchNormShape,
    inp: Tensor,
    gamma: Tensor,
    mean: Tensor,
    invStd: Tensor,
    reluOut: Tensor | null,
    dout: Tensor,
    dinp: Tensor | null,
    dgamma: Tensor,
    dbeta: Tensor,
  ) =>
    back(
      bnShape(s),
      f32(inp),
      f32(gamma),
      f32(mean),
      f32(invStd),
      f32OrNull(reluOut),
      f32(dout),
      f32OrNull(dinp),
      f32(dgamma),
      f32(dbeta),
    );
  return {
    batchNormForwardTrain: forwardTrain(0),
    batchNormReluForwardTrain: forwardTrain(1),
    batchNormForwardEval: forwardEval(0),
    batchNormReluForwardEval: forwardEval(1),
    batchNormBackwardTrain: (s, inp, gamma, mean, invStd, dout, dinp, dgamma, dbeta) =>
      backward(s, inp, gamma, mean, invStd, null, dout, dinp, dgamma, dbeta),
    batchNormReluBackwardTrain: backward,
  };
}

/** The native KernelSet, or null (see loadNativeAddon). */
export function loadNativeKernels(): KernelSet | null {
  const addon = loadNativeAddon();
  return addon ? createNativeKernelSet(addon) : null;
}
