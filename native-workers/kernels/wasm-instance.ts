/**
 * One instance of the kernels' WebAssembly module (src/kernels-wasm.c, embedded in generated/kernels-wasm.ts) and
 * the arena its calls lay their tensors out in: compiling the module (relaxed SIMD where the runtime validates it,
 * else plain SIMD), the module's exports, and the copies in and out of its memory. The KernelSet over it is
 * ./wasm-kernels.ts.
 */
import type { Tensor } from '../cnn/kernel-set';
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from './generated/kernels-wasm';

/*
 * The few WebAssembly JS API types used here. native-workers compiles without the DOM lib, and @types/node 20 does
 * not declare the WebAssembly namespace, so they are declared locally and the global is reached through globalThis.
 */
interface WasmMemory {
  /** A SharedArrayBuffer: the module is built with shared memory (see scripts/build-kernels.mjs). */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
export interface WasmModule {
  readonly __brand?: 'WasmModule';
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
}
const wasmApi = (): WasmApi | undefined => (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** A byte offset in the module's memory (0 for a null pointer). */
export type Ptr = number;

/** The module's exports (src/kernels-wasm.c): shapes as a Ptr to Conv / PoolGeom (src/common.h) or as ints. */
export interface KernelExports {
  memory: WasmMemory;
  __heap_base: { value: number };
  gemm(
    M: number,
    N: number,
    K: number,
    A: Ptr,
    lda: number,
    B: Ptr,
    ldb: number,
    C: Ptr,
    ldc: number,
    acc: number,
  ): void;
  /** Floats of scratch conv2d_forward needs for this geometry. */
  conv2d_forward_scratch(s: Ptr): number;
  conv2d_forward(s: Ptr, inp: Ptr, w: Ptr, bias: Ptr, out: Ptr, scratch: Ptr, relu: number): void;
  /** Floats of scratch conv2d_backward needs for this geometry. */
  conv2d_backward_scratch(s: Ptr): number;
  conv2d_backward(s: Ptr, inp: Ptr, w: Ptr, dout: Ptr, dinp: Ptr, dw: Ptr, dbias: Ptr, scratch: Ptr): void;
  /** Inference-only conv + ReLU + max pool (conv-pool-impl.h). */
  conv2d_relu_maxpool_forward_scratch(s: Ptr, pool: Ptr): number;
  conv2d_relu_maxpool_forward(s: Ptr, pool: Ptr, inp: Ptr, w: Ptr, bias: Ptr, out: Ptr, scratch: Ptr): void;
  /** Training conv + ReLU + max pool with the pool's switches (conv-pool-train-impl.h). */
  conv2d_relu_maxpool_train_scratch(s: Ptr, pool: Ptr): number;
  conv2d_relu_maxpool_train(
    s: Ptr,
    pool: Ptr,
    inp: Ptr,
    w: Ptr,
    bias: Ptr,
    out: Ptr,
    arg: Ptr,
    scratch: Ptr,
  ): void;
  /** Returns 1, having written nothing, when a switch is outside dinp[0 .. len); zero: dinp zeroed first. */
  maxpool_relu_backward(
    n: number,
    dout: Ptr,
    arg: Ptr,
    out: Ptr,
    dinp: Ptr,
    len: number,
    zero: number,
  ): number;
  /** 2×2/2 windows tiling the input, oW ≥ 4: writes dinp (returns as maxpool_relu_backward). */
  maxpool_relu_backward_2x2(
    planes: number,
    oH: number,
    oW: number,
    dout: Ptr,
    arg: Ptr,
    out: Ptr,
    dinp: Ptr,
  ): number;
  conv2d_relu_maxpool_backward_params_scratch(s: Ptr, pool: Ptr): number;
  /** Returns 0, having written nothing, where the fused backward does not apply. */
  conv2d_relu_maxpool_backward_params(
    s: Ptr,
    pool: Ptr,
    inp: Ptr,
    dout: Ptr,
    arg: Ptr,
    out: Ptr,
    dw: Ptr,
    db: Ptr,
    scratch: Ptr,
  ): number;
  /** Floats of scratch dense_forward needs. */
  dense_forward_scratch(B: number, I: number, O: number): number;
  dense_forward(B: number, I: number, O: number, inp: Ptr, w: Ptr, bias: Ptr, out: Ptr, scratch: Ptr): void;
  /** doutT: B·O floats of scratch. */
  dense_backward(
    B: number,
    I: number,
    O: number,
    inp: Ptr,
    w: Ptr,
    dout: Ptr,
    dinp: Ptr,
    dw: Ptr,
    dbias: Ptr,
    doutT: Ptr,
  ): void;
  maxpool_forward(
    batch: number,
    C: number,
    H: number,
    W: number,
    pH: number,
    pW: number,
    sH: number,
    sW: number,
    oH: number,
    oW: number,
    inp: Ptr,
    out: Ptr,
    argmax: Ptr,
  ): void;
  maxpool_backward(n: number, dout: Ptr, argmax: Ptr, dinp: Ptr): void;
  relu_forward(n: number, inp: Ptr, out: Ptr): void;
  relu_backward(n: number, out: Ptr, dout: Ptr, dinp: Ptr): void;
  /** Batch norm over [N, C, S]; relu 1 fuses a following ReLU (see KernelSet). */
  batchnorm_forward_train(
    N: number,
    C: number,
    S: number,
    eps: number,
    momentum: number,
    inp: Ptr,
    gamma: Ptr,
    beta: Ptr,
    out: Ptr,
    mean: Ptr,
    invStd: Ptr,
    runningMean: Ptr,
    runningVar: Ptr,
    relu: number,
  ): void;
  batchnorm_forward_eval(
    N: number,
    C: number,
    S: number,
    eps: number,
    inp: Ptr,
    gamma: Ptr,
    beta: Ptr,
    out: Ptr,
    runningMean: Ptr,
    runningVar: Ptr,
    relu: number,
  ): void;
  /** reluOut 0: no ReLU after the batch norm. */
  batchnorm_backward_train(
    N: number,
    C: number,
    S: number,
    inp: Ptr,
    gamma: Ptr,
    mean: Ptr,
    invStd: Ptr,
    reluOut: Ptr,
    dout: Ptr,
    dinp: Ptr,
    dgamma: Ptr,
    dbeta: Ptr,
  ): void;
}

/** A module whose one function is `(func (result v128) i32.const 0 i32x4.splat)`: valid only with wasm SIMD. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 17, 11,
]);

/** True when this runtime validates WebAssembly SIMD (Node ≥ 16.4, Electron, every current browser). */
export function wasmSimdSupported(): boolean {
  try {
    return wasmApi()?.validate(SIMD_PROBE) === true;
  } catch {
    return false;
  }
}

function decodeBase64(b64: string): Uint8Array {
  if (typeof Buffer !== 'undefined') {
    const b = Buffer.from(b64, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Which build of the kernels a thread runs: relaxed SIMD (FMA multiply-adds) or plain SIMD. */
export type WasmKernelsVariant = 'relaxed-simd' | 'simd';

let cachedModule: WasmModule | null | undefined;
let cachedVariant: WasmKernelsVariant | null = null;

/** The variant compileModule() compiled (null before, or without wasm SIMD). */
export function compiledVariant(): WasmKernelsVariant | null {
  return cachedVariant;
}

/** Compiles the relaxed-SIMD module if this runtime validates it, else the plain one (null without wasm SIMD). */
export function compileModule(): WasmModule | null {
  if (cachedModule !== undefined) return cachedModule;
  cachedModule = null;
  const api = wasmApi();
  if (!api) return cachedModule;
  try {
    const relaxed = decodeBase64(KERNELS_RELAXED_WASM_BASE64);
    if (api.validate(relaxed)) {
      cachedModule = new api.Module(relaxed);
      cachedVariant = 'relaxed-simd';
      return cachedModule;
    }
  } catch {
    // fall through to the plain module
  }
  try {
    if (wasmSimdSupported()) {
      cachedModule = new api.Module(decodeBase64(KERNELS_WASM_BASE64));
      cachedVariant = 'simd';
    }
  } catch {
    cachedModule = null;
  }
  return cachedModule;
}

const EMPTY = new Float32Array(0);

/** One instance of the kernels module with its arena. Exposed for benchmarks and tests. */
export class WasmKernelInstance {
  readonly exports: KernelExports;
  private f32!: Float32Array;
  private i32!: Int32Array;
  /** Every buffer object memory.buffer has returned: views on any of them live in this instance's memory. */
  private readonly ownBuffers = new Set<ArrayBufferLike>();
  private readonly heapBase: number;
  /** End of the permanent allocations (allocate()); each call's scratch starts here. */
  private permanentTop: number;
  private top = 0;
  /** Bytes copied into and out of wasm memory since creation (for measuring the copy overhead). */
  copiedBytes = 0;

  constructor(module: WasmModule) {
    const instance = new (wasmApi() as WasmApi).Instance(module, {});
    this.exports = instance.exports as unknown as KernelExports;
    this.heapBase = (this.exports.__heap_base.value + 63) & ~63;
    this.permanentTop = this.heapBase;
    this.refreshViews();
  }

  private refreshViews(): void {
    const buf = this.exports.memory.buffer;
    this.ownBuffers.add(buf);
    this.f32 = new Float32Array(buf);
    this.i32 = new Int32Array(buf);
  }

  private ensure(end: number): void {
    const have = this.exports.memory.buffer.byteLength;
    if (end > have) {
      this.exports.memory.grow(Math.ceil((end - have) / 65536));
      this.refreshViews();
    }
  }

  /** True when t is a view of this instance's memory (then the kernels use it in place, without copies). */
  owns(t: { buffer: ArrayBufferLike }): boolean {
    return this.ownBuffers.has(t.buffer);
  }

  /**
   * A zeroed Float32Array that lives inside the kernels' (shared, never detaching) memory: passing it to this
   * instance's ops costs no copy. The memory is kept for the life of the thread (no free), so allocate a model's
   * long-lived buffers, not per-step temporaries.
   */
  allocate(length: number): Float32Array {
    const off = this.permanentTop;
    this.permanentTop = (off + length * 4 + 63) & ~63;
    this.ensure(this.permanentTop);
    const view = new Float32Array(this.exports.memory.buffer, off, length);
    view.fill(0); // scratch of earlier calls may have used this range
    return view;
  }

  /** Starts a call: frees everything the previous call allocated. */
  reset(): void {
    this.top = this.permanentTop;
  }

  /** Reserves `count` 4-byte elements (64-byte aligned) and returns the byte offset. Grows memory if needed. */
  alloc(count: number): number {
    const off = this.top;
    this.top = (off + count * 4 + 63) & ~63;
    this.ensure(this.top);
    return off;
  }

  /** Byte offset of a float32 tensor's data in wasm memory: its own offset if it lives there, else a copy. */
  put(t: Tensor): number {
    if (this.owns(t)) return t.byteOffset;
    const off = this.alloc(t.length);
    this.f32.set(t, off >> 2);
    this.copiedBytes += t.length * 4;
    return off;
  }

  /** Where an op should write `t` (n values): in place if t lives in wasm memory, else scratch (then get()). */
  out(t: Tensor | Int32Array, n: number): number {
    return this.owns(t) ? t.byteOffset : this.alloc(n);
  }

  putI32(values: ArrayLike<number>): number {
    const off = this.alloc(values.length);
    this.i32.set(values, off >> 2);
    return off;
  }

  putInt32Array(t: Int32Array): number {
    if (this.owns(t)) return t.byteOffset;
    const off = this.alloc(t.length);
    this.i32.set(t, off >> 2);
    this.copiedBytes += t.length * 4;
    return off;
  }

  /** Copies `dst.length` floats from wasm memory at byte offset `off` into dst. */
  get(off: number, dst: Tensor): void {
    if (this.owns(dst) && dst.byteOffset === off) return;
    dst.set(this.f32.subarray(off >> 2, (off >> 2) + dst.length));
    this.copiedBytes += dst.length * 4;
  }

  getI32(off: number, dst: Int32Array): void {
    if (this.owns(dst) && dst.byteOffset === off) return;
    dst.set(this.i32.subarray(off >> 2, (off >> 2) + dst.length));
    this.copiedBytes += dst.length * 4;
  }

  /*
   * One op call: begin(), then the op's pointers in argument order (each lays out the first n values of a tensor,
   * which may be sized for a larger batch), then finish() copies the outputs back in that order.
   */
  private readonly backOffsets: number[] = [];
  private readonly backTensors: (Tensor | Int32Array)[] = [];
  /** Outputs of the current call (a count, not length = 0: that would free the arrays' storage every call). */
  private backCount = 0;

  begin(): void {
    this.reset();
    this.backCount = 0;
  }

  /** An input (null: pointer 0). */
  input(t: Tensor | null, n: number): number {
    return t ? this.put(head(t, n)) : 0;
  }

  /** An output: written in place when it lives here, else to scratch, copied back by finish(). */
  output(t: Tensor | Int32Array, n: number): number {
    const v = head(t, n);
    return this.copyBack(this.out(v, n), v);
  }

  /** An input the op also writes (accumulated gradients, running statistics; null: pointer 0). */
  inOut(t: Tensor | null, n: number): number {
    if (!t) return 0;
    const v = head(t, n);
    return this.copyBack(this.put(v), v);
  }

  finish(): void {
    for (let i = 0; i < this.backCount; i++) {
      const t = this.backTensors[i];
      if (t instanceof Int32Array) this.getI32(this.backOffsets[i], t);
      else this.get(this.backOffsets[i], t);
      this.backTensors[i] = EMPTY; // not kept alive until the next call
    }
  }

  private copyBack(off: number, t: Tensor | Int32Array): number {
    this.backOffsets[this.backCount] = off;
    this.backTensors[this.backCount++] = t;
    return off;
  }
}

/** The first n values of t (callers may pass buffers sized for a larger batch than the shape's). */
export function head<T extends Tensor | Int32Array>(t: T, n: number): T {
  return t.length === n ? t : (t.subarray(0, n) as T);
}
