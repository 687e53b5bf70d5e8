/*
 * CNN Studio kernels: the KernelSet ops (native-workers/cnn/kernel-set.ts) in C, written ONCE over a vector of VL
 * floats (GCC/Clang vector extensions) and compiled for every target:
 *   - native (Node-API addon, native-workers/native): kernels-v4.c (VL 4: SSE2 / NEON), kernels-avx2.c (VL 8, FMA),
 *     kernels-avx512.c (VL 16, FMA); addon.c picks one at load time from the CPU's features;
 *   - WebAssembly (kernels-wasm.c, VL 4 = simd128): a plain module, and a relaxed-SIMD one whose MADD is
 *     f32x4.relaxed_madd (scripts/build-kernels.mjs).
 * The includer defines VL, MR (rows of a register tile, at most 8), NAME(x) (the prefix of the exported ops) and
 * optionally MADD(a, b, c) = a·b + c, includes "common.h" (which declares scratch_floats) and then this file.
 *
 * Every tensor is a flat float32 NCHW array; conv weights [OC, C, KH, KW], dense weights [O, I]. Backward functions
 * ACCUMULATE (+=) into the gradient buffers, like the reference ops. Scratch comes from scratch_floats(n); the
 * NAME(*_scratch) functions say how much each op asks for (the wasm build preallocates it).
 *
 * The heart is one register-tiled GEMM, C[M×N] (+)= A[M×K]·B[K×N], vectorised over N with an MR×(2·VL) tile of C
 * in registers, and the "shifted planes" stride-1 convolution built on the same tile (see conv_forward_direct).
 * No libc: only compiler builtins, so that the wasm32 build needs no sysroot.
 */
typedef float vf __attribute__((vector_size(VL * 4), aligned(4), may_alias));

/* Unaligned loads and stores through the aligned(4), may_alias type (memcpy here made GCC go through the stack in
 * 16-byte halves, a store-forwarding stall on every load). */
static inline vf vld(const float *p) { return *(const vf *)p; }
static inline void vst(float *p, vf v) { *(vf *)p = v; }
/* A broadcast: x − 0 is x for every x (unlike 0 + x, which turns −0 into +0), so it folds to nothing. */
#ifndef MADD
/* a·b + c; native builds contract it into one FMA (-ffp-contract=fast), plain wasm into a multiply and an add */
#define MADD(a, b, c) ((c) + (a) * (b))
#endif

static inline vf vsplat(float x) { return x - (vf){0}; }
/* Horizontal sum as a tree of shuffles and vector adds (a lane-by-lane loop is a serial chain of VL adds). */
static inline float vsum(vf v) {
#if VL == 16
  v += __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  v += __builtin_shufflevector(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3);
  v += __builtin_shufflevector(v, v, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1);
  v += __builtin_shufflevector(v, v, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0);
#elif VL == 8
  v += __builtin_shufflevector(v, v, 4, 5, 6, 7, 0, 1, 2, 3);
  v += __builtin_shufflevector(v, v, 2, 3, 0, 1, 2, 3, 0, 1);
  v += __builtin_shufflevector(v, v, 1, 0, 1, 0, 1, 0, 1, 0);
#elif VL == 4
  v += __builtin_shufflevector(v, v, 2, 3, 0, 1);
  v += __builtin_shufflevector(v, v, 1, 0, 1, 0);
#else
#error "VL must be 4, 8 or 16"
#endif
  return v[0];
}
typedef int vi __attribute__((vector_size(VL * 4)));
/* max(0, v) with NaN → 0, like the reference: keep the lanes where v > 0 (a compare gives all-ones lanes). */
static inline vf vmax0(vf v) { return (vf)((vi)v & (v > 0.f)); }

#define STATIC static inline __attribute__((always_inline))

/* Stride-2 deinterleave: even[x] = src[2x], odd[x] = src[2x + 1] for x in [0, n). */
STATIC void split_even_odd(float *restrict even, float *restrict odd, const float *restrict src, int n) {
  int x = 0;
  for (; x + VL <= n; x += VL) {
    const vf a = vld(src + 2 * x), b = vld(src + 2 * x + VL);
#if VL == 16
    vst(even + x, __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30));
    vst(odd + x, __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31));
#elif VL == 8
    vst(even + x, __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14));
    vst(odd + x, __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15));
#else
    vst(even + x, __builtin_shufflevector(a, b, 0, 2, 4, 6));
    vst(odd + x, __builtin_shufflevector(a, b, 1, 3, 5, 7));
#endif
  }
  for (; x < n; x++) {
    even[x] = src[2 * x];
    odd[x] = src[2 * x + 1];
  }
}
#define UNROLL _Pragma("GCC unroll 16")

#include "gemm-impl.h"          /* gemm, gemm_nt, transpose */
#include "conv-im2col-impl.h"   /* im2col, col2im, the flipped kernel */
#include "block-transpose-impl.h" /* 16×16 register transposes (the interleaved layouts) */
#include "conv-direct-impl.h"   /* shifted planes and batched im2col forward */
#include "conv-forward-impl.h"  /* NAME(conv2d_forward) */
#include "conv-backward-impl.h" /* NAME(conv2d_backward) */
#include "conv-ilv-impl.h"      /* the batch-interleaved convolution (both directions) */
#include "dense-impl.h"         /* NAME(dense_forward), NAME(dense_backward): GEMMs over the batch */
#include "pool-relu-impl.h"     /* NAME(maxpool_*), NAME(relu_*) */
#include "conv-pool-rows-impl.h" /* AVX-512: conv + ReLU + max pool over rows, for few taps (both ops below) */
#include "conv-pool-impl.h"     /* NAME(conv2d_relu_maxpool_forward): inference-only conv + ReLU + max pool */
#include "conv-pool-pm8-impl.h"  /* AVX2: the pixel-major conv + ReLU + max pool's 16-channel row tiles */
#include "conv-pool-train-impl.h" /* NAME(conv2d_relu_maxpool_train): the same with switches, for training */
#include "conv-wt-impl.h"       /* NAME(conv2d_relu_forward_wt): the same (or conv + ReLU) given Wᵀ too */
