/*
 * The WebAssembly build of the kernels (kernels-impl.h with VL 4 = simd128), built by scripts/build-kernels.mjs:
 *   clang --target=wasm32 -O3 -msimd128 [-mrelaxed-simd] -mbulk-memory … -nostdlib
 *
 * Memory model: the JS side (native-workers/kernels/wasm-kernels.ts) owns the layout of this module's linear
 * memory. Per call it lays out the tensors above __heap_base (copying those that do not already live there),
 * allocates the scratch the *_scratch functions ask for, and passes byte offsets. This file only adapts the
 * shared ops to that calling convention: the caller's scratch pointer is what scratch_floats() returns.
 */
#include <wasm_simd128.h>

#define VL 4
#define MR 4 /* 4×8 tile: 8 accumulators; V8 gives wasm 16 xmm registers and larger tiles spill */
#define NAME(x) impl_##x
#define EXPORT __attribute__((visibility("default")))

#ifdef __wasm_relaxed_simd__
/* one fused multiply-add where the CPU has FMA (Electron 40, Node ≥ 22; Node 20 only with a V8 flag) */
#define MADD(a, b, c) ((vf)wasm_f32x4_relaxed_madd((v128_t)(a), (v128_t)(b), (v128_t)(c)))
#endif

#include "common.h"

static float *call_scratch;

/* The scratch of the current call (the caller allocated the op's *_scratch() floats). */
float *scratch_floats(size_t n) {
  (void)n;
  return call_scratch;
}

/* the shared ops stay internal: only the EXPORT functions below are the module's interface */
#pragma GCC visibility push(hidden)
#include "kernels-impl.h"
#include "batch-norm-impl.h"
#include "conv-pool-backward-impl.h"
#include "conv-pool-wasm-impl.h"
#include "pool-relu-write-impl.h"
#include "conv-forward-wasm-impl.h"
#include "elementwise-wasm-impl.h"
#pragma GCC visibility pop

EXPORT int conv2d_forward_scratch(const Conv *s) {
  return (int)(wasm_pm_forward_applies(s) ? wasm_pm_forward_scratch(s) : impl_conv2d_forward_scratch(s));
}

EXPORT int conv2d_backward_scratch(const Conv *s) { return (int)impl_conv2d_backward_scratch(s); }

EXPORT void conv2d_forward(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                           float *scratch, int relu) {
  call_scratch = scratch;
  if (wasm_pm_forward_applies(s))
    wasm_pm_conv_forward(s, inp, w, bias, out, relu);
  else
    impl_conv2d_forward(s, inp, w, bias, out, relu);
}

EXPORT void conv2d_backward(const Conv *s, const float *inp, const float *w, const float *dout, float *dinp,
                            float *dw, float *dbias, float *scratch) {
  call_scratch = scratch;
  impl_conv2d_backward(s, inp, w, dout, dinp, dw, dbias);
}

EXPORT int dense_forward_scratch(int B, int I, int O) { return (int)impl_dense_forward_scratch(B, I, O); }

EXPORT void dense_forward(int B, int I, int O, const float *inp, const float *w, const float *bias, float *out,
                          float *scratch) {
  call_scratch = scratch;
  impl_dense_forward(B, I, O, inp, w, bias, out);
}

EXPORT int conv2d_relu_maxpool_forward_scratch(const Conv *s, const PoolGeom *g) {
  if (wasm_pixel_major_applies(s, g)) return (int)pixel_major_scratch(s, g);
  return (int)impl_conv2d_relu_maxpool_forward_scratch(s, g);
}

EXPORT void conv2d_relu_maxpool_forward(const Conv *s, const PoolGeom *g, const float *inp, const float *w,
                                        const float *bias, float *out, float *scratch) {
  call_scratch = scratch;
  if (wasm_pixel_major_applies(s, g))
    wasm_pixel_major_conv_pool(s, g, inp, w, bias, out);
  else
    impl_conv2d_relu_maxpool_forward(s, g, inp, w, bias, out);
}

/* doutT: scratch of B·O floats */
EXPORT void dense_backward(int B, int I, int O, const float *inp, const float *w, const float *dout, float *dinp,
                           float *dw, float *dbias, float *doutT) {
  call_scratch = doutT;
  impl_dense_backward(B, I, O, inp, w, dout, dinp, dw, dbias);
}

EXPORT void maxpool_forward(int batch, int C, int H, int W, int pH, int pW, int sH, int sW, int oH, int oW,
                            const float *inp, float *out, int *argmax) {
  impl_maxpool_forward(batch, C, H, W, pH, pW, sH, sW, oH, oW, inp, out, argmax);
}

EXPORT void maxpool_backward(int n, const float *dout, const int *argmax, float *dinp) {
  for (int i = 0; i < n; i++) dinp[argmax[i]] += dout[i];
}

EXPORT void relu_forward(int n, const float *inp, float *out) { impl_relu_forward(n, inp, out); }

EXPORT void relu_backward(int n, const float *out, const float *dout, float *dinp) {
  wasm_relu_backward(n, out, dout, dinp);
}

EXPORT void batchnorm_forward_train(int N, int C, int S, double eps, double momentum, const float *inp,
                                    const float *gamma, const float *beta, float *out, float *mean, float *invStd,
                                    float *runningMean, float *runningVar, int relu) {
  impl_batchnorm_forward_train(N, C, S, eps, momentum, inp, gamma, beta, out, mean, invStd, runningMean, runningVar,
                               relu);
}

EXPORT void batchnorm_forward_eval(int N, int C, int S, double eps, const float *inp, const float *gamma,
                                   const float *beta, float *out, const float *runningMean, const float *runningVar,
                                   int relu) {
  impl_batchnorm_forward_eval(N, C, S, eps, inp, gamma, beta, out, runningMean, runningVar, relu);
}

/* reluOut: 0 for none */
EXPORT void batchnorm_backward_train(int N, int C, int S, const float *inp, const float *gamma, const float *mean,
                                     const float *invStd, const float *reluOut, const float *dout, float *dinp,
                                     float *dgamma, float *dbeta) {
  impl_batchnorm_backward_train(N, C, S, inp, gamma, mean, invStd, reluOut, dout, dinp, dgamma, dbeta);
}

/* Training: conv + ReLU + max pool with the pool's switches (conv-pool-train-impl.h; pixel-major as above). */
EXPORT int conv2d_relu_maxpool_train_scratch(const Conv *s, const PoolGeom *g) {
  if (wasm_pixel_major_applies(s, g)) return (int)pixel_major_scratch(s, g);
  return (int)impl_conv2d_relu_maxpool_train_scratch(s, g);
}

EXPORT void conv2d_relu_maxpool_train(const Conv *s, const PoolGeom *g, const float *inp, const float *w,
                                      const float *bias, float *out, int *arg, float *scratch) {
  call_scratch = scratch;
  if (wasm_pixel_major_applies(s, g))
    wasm_pixel_major_train(s, g, inp, w, bias, out, arg);
  else
    impl_conv2d_relu_maxpool_train(s, g, inp, w, bias, out, arg);
}

/* dinp[arg[j]] += dout[j] where out[j] > 0 (zero: dinp[0 .. len) zeroed first); returns 1, having written
 * nothing, when a switch is outside dinp[0 .. len) (the caller throws instead of corrupting the module's memory). */
EXPORT int maxpool_relu_backward(int n, const float *dout, const int *arg, const float *out, float *dinp, int len,
                                 int zero) {
  for (int j = 0; j < n; j++)
    if ((unsigned)arg[j] >= (unsigned)len) return 1;
  if (zero)
    for (int i = 0; i < len; i++) dinp[i] = 0.f;
  for (int j = 0; j < n; j++)
    if (out[j] > 0.f) dinp[arg[j]] += dout[j];
  return 0;
}

/* 2×2/2 windows tiling the input (oW ≥ 4): writes dinp[0 .. planes·4·oH·oW) in one ordered pass
 * (pool-relu-write-impl.h), else (a switch outside its window) zero-fills and scatters; returns as above. */
EXPORT int maxpool_relu_backward_2x2(int planes, int oH, int oW, const float *dout, const int *arg, const float *out,
                                     float *dinp) {
  if (maxpool2x2_relu_backward_write((size_t)planes, oH, oW, dout, arg, out, dinp)) return 0;
  return maxpool_relu_backward(planes * oH * oW, dout, arg, out, dinp, planes * 4 * oH * oW, 1);
}

/* The first conv's dW/db from its pool's switches (conv-pool-backward-impl.h); 0 (nothing written) where it does
 * not apply: the caller then runs maxpool_relu_backward into a buffer and conv2d_backward. */
EXPORT int conv2d_relu_maxpool_backward_params_scratch(const Conv *s, const PoolGeom *g) {
  return (int)impl_conv2d_relu_maxpool_backward_params_scratch(s, g);
}

EXPORT int conv2d_relu_maxpool_backward_params(const Conv *s, const PoolGeom *g, const float *inp, const float *dout,
                                               const int *arg, const float *out, float *dw, float *db,
                                               float *scratch) {
  call_scratch = scratch;
  return impl_conv2d_relu_maxpool_backward_params(s, g, inp, dout, arg, out, dw, db);
}
