/**
 * The WebAssembly SIMD implementation of the KernelSet (native-workers/cnn/kernel-set.ts).
 *
 * native-workers/kernels/src/kernels-wasm.c (the shared kernels-impl.h) is embedded twice as base64 in
 * generated/kernels-wasm.ts: a relaxed-SIMD build (multiply-adds are f32x4.relaxed_madd, an FMA where the CPU has
 * one) and a plain SIMD build. The relaxed one is used where the runtime validates it (Electron 40, Node ≥ 22;
 * Node 20 only with --experimental-wasm-relaxed-simd), else the plain one; wasmKernelsVariant() says which. The
 * module owns a linear memory (./wasm-instance.ts: the instance and its arena). Each call lays its tensors out
 * above __heap_base (a bump arena reset per call), copies the inputs (and the gradient buffers, since backward
 * accumulates) in, runs, and copies the outputs back; tensors that already live in that memory are used in place.
 *
 * The wasm ops take Float32Array only; `fastKernels` (./fast-kernels.ts) falls back to the reference ops for
 * anything else (float64 gradient checks).
 */
import type { BatchNormShape, Conv2dShape, KernelSet, Pool2dShape, Tensor } from '../cnn/kernel-set';
import { convPacker, poolGeomPacker, pooledCount } from './kernel-shapes';
import {
  WasmKernelInstance,
  type WasmKernelsVariant,
  compileModule,
  compiledVariant,
  head,
} from './wasm-instance';
import { wasmConvPoolTrainOps } from './wasm-train-ops';

export { WasmKernelInstance, type WasmKernelsVariant, wasmSimdSupported } from './wasm-instance';

/** Float32 tensors only: the wasm ops cannot take float64. */
export type F32KernelSet = KernelSet;

const convIn = (s: Conv2dShape) => s.batch * s.inChannels * s.inHeight * s.inWidth;
const convWeights = (s: Conv2dShape) => s.outChannels * s.inChannels * s.kernelHeight * s.kernelWidth;
const convOut = (s: Conv2dShape) => s.batch * s.outChannels * s.outHeight * s.outWidth;
const poolIn = (s: Pool2dShape) => s.batch * s.channels * s.inHeight * s.inWidth;

/**
 * Builds the KernelSet over one wasm instance. All tensors must be Float32Array. Only the part of each buffer
 * that the shape covers is copied (layers pass activation buffers sized for their largest batch).
 */
export function createWasmKernelSet(k: WasmKernelInstance): F32KernelSet {
  const x = k.exports;
  const conv = convPacker();
  const geom = poolGeomPacker();
  const convForward =
    (relu: number): KernelSet['conv2dForward'] =>
    (s, inp, w, b, out) => {
      k.begin();
      const sp = k.putI32(conv(s));
      x.conv2d_forward(
        sp,
        k.input(inp, convIn(s)),
        k.input(w, convWeights(s)),
        k.input(b, s.outChannels),
        k.output(out, convOut(s)),
        k.alloc(x.conv2d_forward_scratch(sp)),
        relu,
      );
      k.finish();
    };
  const ops: F32KernelSet = {
    ...wasmBatchNormOps(k),
    conv2dForward: convForward(0),
    conv2dReluForward: convForward(1),
    conv2dReluMaxPoolForward(s, p, inp, w, b, out) {
      k.begin();
      const [sp, pp] = [k.putI32(conv(s)), k.putI32(geom(p))];
      x.conv2d_relu_maxpool_forward(
        sp,
        pp,
        k.input(inp, convIn(s)),
        k.input(w, convWeights(s)),
        k.input(b, s.outChannels),
        k.output(out, s.batch * s.outChannels * p.outHeight * p.outWidth),
        k.alloc(x.conv2d_relu_maxpool_forward_scratch(sp, pp)),
      );
      k.finish();
    },
    conv2dBackward(s, inp, w, dout, dinp, dw, db) {
      k.begin();
      const sp = k.putI32(conv(s));
      x.conv2d_backward(
        sp,
        k.input(inp, convIn(s)),
        k.input(w, convWeights(s)),
        k.input(dout, convOut(s)),
        k.inOut(dinp, convIn(s)),
        k.inOut(dw, convWeights(s)),
        k.inOut(db, s.outChannels),
        k.alloc(x.conv2d_backward_scratch(sp)),
      );
      k.finish();
    },
    denseForward({ batch: B, inFeatures: I, outFeatures: O }, inp, w, b, out) {
      k.begin();
      x.dense_forward(
        B,
        I,
        O,
        k.input(inp, B * I),
        k.input(w, I * O),
        k.input(b, O),
        k.output(out, B * O),
        k.alloc(x.dense_forward_scratch(B, I, O)),
      );
      k.finish();
    },
    denseBackward({ batch: B, inFeatures: I, outFeatures: O }, inp, w, dout, dinp, dw, db) {
      k.begin();
      x.dense_backward(
        B,
        I,
        O,
        k.input(inp, B * I),
        k.input(w, I * O),
        k.input(dout, B * O),
        k.inOut(dinp, B * I),
        k.inOut(dw, I * O),
        k.inOut(db, O),
        k.alloc(B * O), // dout transposed
      );
      k.finish();
    },
    maxPool2dForward(s, inp, out, argmax) {
      k.begin();
      x.maxpool_forward(
        s.batch,
        s.channels,
        s.inHeight,
        s.inWidth,
        s.poolHeight,
        s.poolWidth,
        s.strideH,
        s.strideW,
        s.outHeight,
        s.outWidth,
        k.input(inp, poolIn(s)),
        k.output(out, pooledCount(s)),
        k.output(argmax, pooledCount(s)),
      );
      k.finish();
    },
    maxPool2dBackward(s, dout, argmax, dinp) {
      const n = pooledCount(s);
      k.begin();
      x.maxpool_backward(n, k.input(dout, n), k.putInt32Array(head(argmax, n)), k.inOut(dinp, poolIn(s)));
      k.finish();
    },
    // Even with the copies, wasm beats a JS loop by about 10× here (measured: 0.36 against 3.3 ms for 401,408
    // values): V8 does not vectorise the JS loop and its float32 loads and stores convert through float64.
    reluForward(inp, out) {
      k.begin();
      const ip = k.put(inp);
      // in place only on our own scratch copy: never overwrite a caller's input that lives in wasm memory
      const op = k.owns(out) ? out.byteOffset : k.owns(inp) ? k.alloc(inp.length) : ip;
      x.relu_forward(inp.length, ip, op);
      k.get(op, head(out, inp.length));
    },
    reluBackward(out, dout, dinp) {
      const n = out.length;
      k.begin();
      x.relu_backward(n, k.put(out), k.input(dout, n), k.inOut(dinp, n));
      k.finish();
    },
  };
  return { ...ops, ...wasmConvPoolTrainOps(k, ops.conv2dBackward) };
}

/** The module's batch-norm ops as KernelSet ops; copies like the ops above. */
function wasmBatchNormOps(k: WasmKernelInstance): Partial<KernelSet> {
  const x = k.exports;
  const forwardEval =
    (relu: number): KernelSet['batchNormForwardEval'] =>
    (s, inp, gamma, beta, out, rm, rv) => {
      const [n, C] = [s.batch * s.channels * s.spatial, s.channels];
      k.begin();
      x.batchnorm_forward_eval(
        s.batch,
        C,
        s.spatial,
        s.epsilon,
        k.input(inp, n),
        k.input(gamma, C),
        k.input(beta, C),
        k.output(out, n),
        k.input(rm, C),
        k.input(rv, C),
        relu,
      );
      k.finish();
    };
  const forwardTrain =
    (relu: number): KernelSet['batchNormForwardTrain'] =>
    (s, inp, gamma, beta, out, mean, invStd, rm, rv) => {
      const [n, C] = [s.batch * s.channels * s.spatial, s.channels];
      k.begin();
      x.batchnorm_forward_train(
        s.batch,
        C,
        s.spatial,
        s.epsilon,
        s.momentum,
        k.input(inp, n),
        k.input(gamma, C),
        k.input(beta, C),
        k.output(out, n),
        k.output(mean, C),
        k.output(invStd, C),
        k.inOut(rm, C),
        k.inOut(rv, C),
        relu,
      );
      k.finish();
    };
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
  ) => {
    const [n, C] = [s.batch * s.channels * s.spatial, s.channels];
    k.begin();
    x.batchnorm_backward_train(
      s.batch,
      C,
      s.spatial,
      k.input(inp, n),
      k.input(gamma, C),
      k.input(mean, C),
      k.input(invStd, C),
      k.input(reluOut, n),
      k.input(dout, n),
      k.inOut(dinp, n),
      k.inOut(dgamma, C),
      k.inOut(dbeta, C),
    );
    k.finish();
  };
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

let cachedInstance: WasmKernelInstance | null | undefined;

/**
 * Which module this thread's kernels run: 'relaxed-simd' (FMA), 'simd', or null when there are no wasm kernels
 * (no WebAssembly SIMD, or the instance could not be created, e.g. shared memory refused).
 */
export function wasmKernelsVariant(): WasmKernelsVariant | null {
  return wasmKernelInstance() ? compiledVariant() : null;
}

/** The shared wasm instance of this thread (each worker thread gets its own), or null without wasm SIMD. */
export function wasmKernelInstance(): WasmKernelInstance | null {
  if (cachedInstance !== undefined) return cachedInstance;
  const m = compileModule();
  try {
    cachedInstance = m ? new WasmKernelInstance(m) : null;
  } catch {
    cachedInstance = null;
  }
  return cachedInstance;
}

/**
 * The wasm SIMD KernelSet (Float32Array tensors only), or null when this runtime lacks WebAssembly SIMD.
 * Synchronous: compiles the embedded module on first use (about 1 ms), then reuses it.
 */
export function loadWasmKernels(): KernelSet | null {
  const inst = wasmKernelInstance();
  return inst ? createWasmKernelSet(inst) : null;
}

/**
 * A zeroed Float32Array inside this thread's kernel memory (see WasmKernelInstance.allocate), or a plain
 * Float32Array without wasm SIMD. A model that allocates its activations and gradient buffers with this avoids
 * the per-call copies of the wasm ops (about 17 % of a training step of the reference CNN).
 */
export function allocateKernelTensor(length: number): Float32Array {
  const inst = wasmKernelInstance();
  return inst ? inst.allocate(length) : new Float32Array(length);
}
