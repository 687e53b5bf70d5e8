/*
 * The Node-API binding of the native kernels (loaded by native-workers/kernels/native-kernels.ts).
 *
 * Node-API is ABI-stable, so one build loads in Node and in Electron, in the main thread and in worker threads
 * (NAPI_MODULE_INIT makes the module context-aware). Tensors arrive as Float32Array / Int32Array views (plain or
 * shared memory) and are used in place: no copies. Every call checks the shape against the arrays' lengths, so a
 * bad call throws a RangeError instead of touching memory outside them.
 *
 * The kernels are compiled once per instruction set; the best one the CPU supports is picked at load time
 * (AVX-512F, else AVX2 + FMA, else the 4-lane baseline); `useIsa(name)` switches (tests compare each with the
 * reference ops).
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "pool-relu-write-impl.h"

DECLARE_ISA(v4_)
#if defined(CNN_KERNELS_X86)
DECLARE_ISA(avx2_)
DECLARE_ISA(avx512_)
#endif

#define ISA(P, N)                                                                                                 \
  {N,                                                                                                              \
   P##conv2d_forward_scratch,                                                                                     \
   P##conv2d_backward_scratch,                                                                                    \
   P##dense_backward_scratch,                                                                                     \
   P##conv2d_forward,                                                                                             \
   P##conv2d_backward, P##dense_forward, P##dense_backward, P##maxpool_forward,              \
   P##relu_forward, P##relu_backward, P##fma_peak_loop,                                                           \
   P##batchnorm_forward_train, P##batchnorm_forward_eval, P##batchnorm_backward_train,                            \
   P##dense_forward_scratch, P##conv2d_relu_maxpool_forward_scratch, P##conv2d_relu_maxpool_forward,             \
   P##conv2d_relu_maxpool_train_scratch, P##conv2d_relu_maxpool_train, P##conv2d_relu_forward_wt_scratch,         \
   P##conv2d_relu_forward_wt, P##conv2d_relu_maxpool_backward_params_scratch,                                      \
   P##conv2d_relu_maxpool_backward_params}
static const Isa isas[] = {
#if defined(CNN_KERNELS_X86)
    ISA(avx512_, "avx512"),
    ISA(avx2_, "avx2"),
#endif
    ISA(v4_, "v4"),
};
#define ISA_COUNT ((int)(sizeof isas / sizeof isas[0]))

static int isa_supported(const Isa *isa) {
#if defined(CNN_KERNELS_X86)
  __builtin_cpu_init();
  if (!strcmp(isa->name, "avx512")) return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
  if (!strcmp(isa->name, "avx2")) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  (void)isa;
  return 1;
}

/* ---- per-thread state ---------------------------------------------------------------------------------------- */

static _Thread_local float *scratch;
static _Thread_local size_t scratch_cap;
static _Thread_local const Isa *current;

float *scratch_floats(size_t n) {
  if (n > scratch_cap) {
    free(scratch);
    scratch_cap = n + n / 4 + 1024;
    scratch = (float *)aligned_alloc(64, (scratch_cap * 4 + 63) & ~(size_t)63);
    if (!scratch) scratch_cap = 0;
  }
  return scratch;
}

static void free_scratch(void *arg) {
  (void)arg;
  free(scratch);
  scratch = NULL;
  scratch_cap = 0;
}

/* ---- argument helpers ---------------------------------------------------------------------------------------- */

#define MAX_ARGS 12
#define FAIL(env, msg) (napi_throw_range_error(env, NULL, msg), (napi_value)NULL)

typedef struct {
  napi_env env;
  napi_value argv[MAX_ARGS];
  size_t argc;
  int failed;
} Args;

static int get_args(napi_env env, napi_callback_info info, Args *a, size_t want) {
  a->env = env;
  a->argc = MAX_ARGS;
  a->failed = 0;
  if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) != napi_ok || a->argc < want) {
    napi_throw_type_error(env, NULL, "native kernels: too few arguments");
    return 0;
  }
  return 1;
}

static void fail(Args *a, const char *msg) {
  if (!a->failed) napi_throw_type_error(a->env, NULL, msg);
  a->failed = 1;
}

/* Allocates the scratch an op will ask for before it runs, so that running out of memory is a JS error. */
static int reserve_scratch(Args *a, size_t n) {
  if (a->failed) return 0;
  if (n && !scratch_floats(n)) {
    napi_throw_range_error(a->env, NULL, "native kernels: out of memory for scratch");
    a->failed = 1;
    return 0;
  }
  return 1;
}

/* A typed array argument of the given type with at least `need` elements; null/undefined allowed if nullable. */
static void *typed(Args *a, size_t i, napi_typedarray_type type, size_t need, int nullable) {
  if (a->failed) return NULL;
  napi_valuetype vt;
  napi_typeof(a->env, a->argv[i], &vt);
  if (nullable && (vt == napi_null || vt == napi_undefined)) return NULL;
  bool is = false;
  napi_is_typedarray(a->env, a->argv[i], &is);
  napi_typedarray_type t;
  size_t length = 0;
  void *data = NULL;
  if (!is || napi_get_typedarray_info(a->env, a->argv[i], &t, &length, &data, NULL, NULL) != napi_ok ||
      t != type) {
    fail(a, type == napi_int32_array     ? "native kernels: expected an Int32Array"
            : type == napi_float64_array ? "native kernels: expected a Float64Array"
            : type == napi_uint8_array   ? "native kernels: expected a Uint8Array"
                                         : "native kernels: expected a Float32Array");
    return NULL;
  }
  if (length < need) {
    if (!a->failed) napi_throw_range_error(a->env, NULL, "native kernels: array shorter than the shape needs");
    a->failed = 1;
    return NULL;
  }
  return data;
}

static int32_t int_arg(Args *a, size_t i) {
  int32_t v = 0;
  if (!a->failed && napi_get_value_int32(a->env, a->argv[i], &v) != napi_ok) fail(a, "native kernels: expected an integer");
  return v;
}

/* Element count of a product of dimensions, or 0 if a dimension is < 1 or the product does not fit an int. */
static size_t count_of(const int *dims, int n) {
  size_t c = 1;
  for (int i = 0; i < n; i++) {
    if (dims[i] < 1) return 0;
    c *= (size_t)dims[i];
    if (c > INT32_MAX) return 0;
  }
  return c;
}

/* Reads and checks a Conv shape (an Int32Array of 13). */
static int conv_shape(Args *a, size_t i, Conv *s) {
  const int32_t *v = (const int32_t *)typed(a, i, napi_int32_array, 13, 0);
  if (!v) return 0;
  memcpy(s, v, sizeof *s);
  const int in[4] = {s->batch, s->inC, s->inH, s->inW}, out[4] = {s->batch, s->outC, s->outH, s->outW};
  const int w[4] = {s->outC, s->inC, s->kH, s->kW};
  if (!count_of(in, 4) || !count_of(out, 4) || !count_of(w, 4) || s->sH < 1 || s->sW < 1 || s->padT < 0 ||
      s->padL < 0) {
    fail(a, "native kernels: invalid convolution shape");
    return 0;
  }
  return 1;
}

#define EXPORT_FN(name) static napi_value name(napi_env env, napi_callback_info info)

/* conv2dForward(shape, inp, weight, bias | null, out, relu) */
EXPORT_FN(conv2d_forward) {
  Args a;
  Conv s;
  if (!get_args(env, info, &a, 6) || !conv_shape(&a, 0, &s)) return NULL;
  const size_t K = (size_t)s.inC * s.kH * s.kW;
  const float *inp = typed(&a, 1, napi_float32_array, (size_t)s.batch * s.inC * s.inH * s.inW, 0);
  const float *w = typed(&a, 2, napi_float32_array, s.outC * K, 0);
  const float *b = typed(&a, 3, napi_float32_array, s.outC, 1);
  float *out = typed(&a, 4, napi_float32_array, (size_t)s.batch * s.outC * s.outH * s.outW, 0);
  const int relu = int_arg(&a, 5);
  if (a.failed) return NULL;
  if (!reserve_scratch(&a, current->conv2d_forward_scratch(&s))) return NULL;
  current->conv2d_forward(&s, inp, w, b, out, relu);
  return NULL;
}

/* Reads and checks a pooling geometry [poolH, poolW, strideH, strideW, outH, outW] over planes of H×W. */
static int pool_geom(Args *a, size_t i, int H, int W, PoolGeom *g) {
  const int32_t *v = (const int32_t *)typed(a, i, napi_int32_array, 6, 0);
  if (!v) return 0;
  memcpy(g, v, sizeof *g);
  if (g->pH < 1 || g->pW < 1 || g->sH < 1 || g->sW < 1 || g->oH < 1 || g->oW < 1 ||
      (size_t)(g->oH - 1) * g->sH + g->pH > (size_t)H || (size_t)(g->oW - 1) * g->sW + g->pW > (size_t)W) {
    fail(a, "native kernels: invalid pooling shape");
    return 0;
  }
  return 1;
}

/* conv2dReluMaxPoolForward(shape, pool, inp, weight, bias | null, out): inference only, see conv-pool-impl.h */
EXPORT_FN(conv2d_relu_maxpool_forward) {
  Args a;
  Conv s;
  PoolGeom g;
  if (!get_args(env, info, &a, 6) || !conv_shape(&a, 0, &s) || !pool_geom(&a, 1, s.outH, s.outW, &g)) return NULL;
  const size_t K = (size_t)s.inC * s.kH * s.kW;
  const float *inp = typed(&a, 2, napi_float32_array, (size_t)s.batch * s.inC * s.inH * s.inW, 0);
  const float *w = typed(&a, 3, napi_float32_array, s.outC * K, 0);
  const float *b = typed(&a, 4, napi_float32_array, s.outC, 1);
  float *out = typed(&a, 5, napi_float32_array, (size_t)s.batch * s.outC * g.oH * g.oW, 0);
  if (a.failed) return NULL;
  if (!reserve_scratch(&a, current->conv2d_relu_maxpool_forward_scratch(&s, &g))) return NULL;
  current->conv2d_relu_maxpool_forward(&s, &g, inp, w, b, out);
  return NULL;
}

/* conv2dReluMaxPoolTrain(shape, pool, inp, weight, bias | null, out, argmax): the same with the pool's switches
 * (indices into the conv output), for training; see conv-pool-train-impl.h */
EXPORT_FN(conv2d_relu_maxpool_train) {
  Args a;
  Conv s;
  PoolGeom g;
  if (!get_args(env, info, &a, 7) || !conv_shape(&a, 0, &s) || !pool_geom(&a, 1, s.outH, s.outW, &g)) return NULL;
  const size_t K = (size_t)s.inC * s.kH * s.kW, nOut = (size_t)s.batch * s.outC * g.oH * g.oW;
  if ((size_t)s.batch * s.outC * s.outH * s.outW > 0x7fffffff) return FAIL(env, "native kernels: too large for int32 switches");
  const float *inp = typed(&a, 2, napi_float32_array, (size_t)s.batch * s.inC * s.inH * s.inW, 0);
  const float *w = typed(&a, 3, napi_float32_array, s.outC * K, 0);
  const float *b = typed(&a, 4, napi_float32_array, s.outC, 1);
  float *out = typed(&a, 5, napi_float32_array, nOut, 0);
  int32_t *arg = typed(&a, 6, napi_int32_array, nOut, 0);
  if (a.failed) return NULL;
  if (!reserve_scratch(&a, current->conv2d_relu_maxpool_train_scratch(&s, &g))) return NULL;
  current->conv2d_relu_maxpool_train(&s, &g, inp, w, b, out, arg);
  return NULL;
}

/*
 * conv2dReluForwardWt(shape, pool | null, inp, weight, weightT, bias | null, out): inference only, conv + ReLU
 * (+ max pool) with the weights also transposed (weightT[k][oc] in blocks of 32 channels); see conv-wt-impl.h
 */
EXPORT_FN(conv2d_relu_forward_wt) {
  Args a;
  Conv s;
  PoolGeom g;
  if (!get_args(env, info, &a, 7) || !conv_shape(&a, 0, &s)) return NULL;
  napi_valuetype vt;
  napi_typeof(env, a.argv[1], &vt);
  const int pooled = vt != napi_null && vt != napi_undefined;
  if (pooled && !pool_geom(&a, 1, s.outH, s.outW, &g)) return NULL;
  const size_t K = (size_t)s.inC * s.kH * s.kW;
  const int oH = pooled ? g.oH : s.outH, oW = pooled ? g.oW : s.outW;
  const float *inp = typed(&a, 2, napi_float32_array, (size_t)s.batch * s.inC * s.inH * s.inW, 0);
  const float *w = typed(&a, 3, napi_float32_array, s.outC * K, 0);
  const float *wT = typed(&a, 4, napi_float32_array, s.outC * K, 0);
  const float *b = typed(&a, 5, napi_float32_array, s.outC, 1);
  float *out = typed(&a, 6, napi_float32_array, (size_t)s.batch * s.outC * oH * oW, 0);
  if (a.failed) return NULL;
  const PoolGeom *gp = pooled ? &g : NULL;
  if (!reserve_scratch(&a, current->conv2d_relu_forward_wt_scratch(&s, gp))) return NULL;
  current->conv2d_relu_forward_wt(&s, gp, inp, w, wT, b, out);
  return NULL;
}

/* conv2dBackward(shape, inp, weight, dout, dinp | null, dweight, dbias | null) */
EXPORT_FN(conv2d_backward) {
  Args a;
  Conv s;
  if (!get_args(env, info, &a, 7) || !conv_shape(&a, 0, &s)) return NULL;
  const size_t K = (size_t)s.inC * s.kH * s.kW, nIn = (size_t)s.batch * s.inC * s.inH * s.inW;
  const size_t nOut = (size_t)s.batch * s.outC * s.outH * s.outW;
  const float *inp = typed(&a, 1, napi_float32_array, nIn, 0);
  const float *w = typed(&a, 2, napi_float32_array, s.outC * K, 0);
  const float *dout = typed(&a, 3, napi_float32_array, nOut, 0);
  float *dinp = typed(&a, 4, napi_float32_array, nIn, 1);
  float *dw = typed(&a, 5, napi_float32_array, s.outC * K, 0);
  float *db = typed(&a, 6, napi_float32_array, s.outC, 1);
  if (a.failed) return NULL;
  if (!reserve_scratch(&a, current->conv2d_backward_scratch(&s))) return NULL;
  current->conv2d_backward(&s, inp, w, dout, dinp, dw, db);
  return NULL;
}

/* Reads and checks a dense shape [batch, in, out]. */
static int dense_shape(Args *a, size_t i, int d[3]) {
  const int32_t *v = (const int32_t *)typed(a, i, napi_int32_array, 3, 0);
  if (!v) return 0;
  memcpy(d, v, 3 * sizeof *d);
  const int bi[2] = {d[0], d[1]}, io[2] = {d[1], d[2]}, bo[2] = {d[0], d[2]};
  if (!count_of(bi, 2) || !count_of(io, 2) || !count_of(bo, 2)) {
    fail(a, "native kernels: invalid dense shape");
    return 0;
  }
  return 1;
}

/* denseForward(shape, inp, weight, bias | null, out) */
EXPORT_FN(dense_forward) {
  Args a;
  int d[3];
  if (!get_args(env, info, &a, 5) || !dense_shape(&a, 0, d)) return NULL;
  const int B = d[0], I = d[1], O = d[2];
  const float *inp = typed(&a, 1, napi_float32_array, (size_t)B * I, 0);
  const float *w = typed(&a, 2, napi_float32_array, (size_t)I * O, 0);
  const float *b = typed(&a, 3, napi_float32_array, O, 1);
  float *out = typed(&a, 4, napi_float32_array, (size_t)B * O, 0);
  if (a.failed) return NULL;
  if (!reserve_scratch(&a, current->dense_forward_scratch(B, I, O))) return NULL;
  current->dense_forward(B, I, O, inp, w, b, out);
  return NULL;
}

/* denseBackward(shape, inp, weight, dout, dinp | null, dweight, dbias | null) */
EXPORT_FN(dense_backward) {
  Args a;
  int d[3];
  if (!get_args(env, info, &a, 7) || !dense_shape(&a, 0, d)) return NULL;
  const int B = d[0], I = d[1], O = d[2];
  const float *inp = typed(&a, 1, napi_float32_array, (size_t)B * I, 0);
  const float *w = typed(&a, 2, napi_float32_array, (size_t)I * O, 0);
  const float *dout = typed(&a, 3, napi_float32_array, (size_t)B * O, 0);
  float *dinp = typed(&a, 4, napi_float32_array, (size_t)B * I, 1);
  float *dw = typed(&a, 5, napi_float32_array, (size_t)I * O, 0);
  float *db = typed(&a, 6, napi_float32_array, O, 1);
  if (a.failed) return NULL;
  if (!reserve_scratch(&a, current->dense_backward_scratch(B, O))) return NULL;
  current->dense_backward(B, I, O, inp, w, dout, dinp, dw, db);
  return NULL;
}

/* maxPoolForward/Backward, the fused pool + ReLU backward, reluForward/Backward. */
#include "pool-relu-bindings-impl.h"

/* batchNormForwardTrain, batchNormForwardEval, batchNormBackwardTrain. */
#include "batch-norm-bindings-impl.h"

/* reduceGradients, adamSlice, adamMaskedSlice: the optimizer side of a data-parallel step. */
#include "optimizer-bindings-impl.h"

/* measurePeakGflops(milliseconds): this thread's multiply-add peak at the instruction set in use, in GFLOP/s: the
 * best of repeated short rounds of peak-impl.h's loop over about that long (a round that another process
 * interrupts only lowers its own figure). */
EXPORT_FN(measure_peak_gflops) {
  Args a;
  if (!get_args(env, info, &a, 1)) return NULL;
  double budget_ms = 0;
  if (napi_get_value_double(env, a.argv[0], &budget_ms) != napi_ok || !(budget_ms > 0) || budget_ms > 60000)
    return FAIL(env, "native kernels: expected a duration in milliseconds (0, 60000]");
  struct timespec t0, t1, start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  double best = 0;
  for (;;) {
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const double flops = current->fma_peak_loop(200000);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (s > 0 && flops / s / 1e9 > best) best = flops / s / 1e9;
    const double elapsed_ms =
        (double)(t1.tv_sec - start.tv_sec) * 1e3 + (double)(t1.tv_nsec - start.tv_nsec) * 1e-6;
    if (elapsed_ms >= budget_ms) break;
  }
  napi_value out;
  napi_create_double(env, best, &out);
  return out;
}

/* isas(): the instruction sets this CPU supports, best first. */
EXPORT_FN(list_isas) {
  (void)info;
  napi_value arr, s;
  napi_create_array(env, &arr);
  uint32_t k = 0;
  for (int i = 0; i < ISA_COUNT; i++)
    if (isa_supported(&isas[i])) {
      napi_create_string_utf8(env, isas[i].name, NAPI_AUTO_LENGTH, &s);
      napi_set_element(env, arr, k++, s);
    }
  return arr;
}

/* useIsa(name?): switches this thread's kernels (no argument: the best supported); returns the name in use. */
EXPORT_FN(use_isa) {
  Args a;
  if (!get_args(env, info, &a, 0)) return NULL;
  if (a.argc > 0) {
    char name[32] = {0};
    size_t len = 0;
    if (napi_get_value_string_utf8(env, a.argv[0], name, sizeof name, &len) != napi_ok)
      return FAIL(env, "native kernels: expected an instruction set name");
    const Isa *found = NULL;
    for (int i = 0; i < ISA_COUNT; i++)
      if (!strcmp(isas[i].name, name) && isa_supported(&isas[i])) found = &isas[i];
    if (!found) return FAIL(env, "native kernels: instruction set not supported by this CPU");
    current = found;
  }
  napi_value out;
  napi_create_string_utf8(env, current->name, NAPI_AUTO_LENGTH, &out);
  return out;
}

NAPI_MODULE_INIT() {
  if (!current)
    for (int i = 0; i < ISA_COUNT && !current; i++)
      if (isa_supported(&isas[i])) current = &isas[i];
  napi_add_env_cleanup_hook(env, free_scratch, NULL);
  const napi_property_descriptor props[] = {
      {"conv2dForward", 0, conv2d_forward, 0, 0, 0, napi_enumerable, 0},
      {"conv2dBackward", 0, conv2d_backward, 0, 0, 0, napi_enumerable, 0},
      {"conv2dReluMaxPoolForward", 0, conv2d_relu_maxpool_forward, 0, 0, 0, napi_enumerable, 0},
      {"conv2dReluMaxPoolTrain", 0, conv2d_relu_maxpool_train, 0, 0, 0, napi_enumerable, 0},
      {"conv2dReluForwardWt", 0, conv2d_relu_forward_wt, 0, 0, 0, napi_enumerable, 0},
      {"denseForward", 0, dense_forward, 0, 0, 0, napi_enumerable, 0},
      {"denseBackward", 0, dense_backward, 0, 0, 0, napi_enumerable, 0},
      {"maxPoolForward", 0, maxpool_forward, 0, 0, 0, napi_enumerable, 0},
      {"maxPoolBackward", 0, maxpool_backward, 0, 0, 0, napi_enumerable, 0},
      {"maxPoolReluBackward", 0, maxpool_relu_backward, 0, 0, 0, napi_enumerable, 0},
      {"maxPoolReluBackward2x2", 0, maxpool_relu_backward_2x2, 0, 0, 0, napi_enumerable, 0},
      {"conv2dReluMaxPoolBackwardParams", 0, conv2d_relu_maxpool_backward_params, 0, 0, 0, napi_enumerable, 0},
      {"reluForward", 0, relu_forward, 0, 0, 0, napi_enumerable, 0},
      {"reluBackward", 0, relu_backward, 0, 0, 0, napi_enumerable, 0},
      {"batchNormForwardTrain", 0, batchnorm_forward_train, 0, 0, 0, napi_enumerable, 0},
      {"batchNormForwardEval", 0, batchnorm_forward_eval, 0, 0, 0, napi_enumerable, 0},
      {"batchNormBackwardTrain", 0, batchnorm_backward_train, 0, 0, 0, napi_enumerable, 0},
      {"reduceGradients", 0, reduce_gradients, 0, 0, 0, napi_enumerable, 0},
      {"adamSlice", 0, adam_slice, 0, 0, 0, napi_enumerable, 0},
      {"adamMaskedSlice", 0, adam_masked_slice, 0, 0, 0, napi_enumerable, 0},
      {"isas", 0, list_isas, 0, 0, 0, napi_enumerable, 0},
      {"measurePeakGflops", 0, measure_peak_gflops, 0, 0, 0, napi_enumerable, 0},
      {"useIsa", 0, use_isa, 0, 0, 0, napi_enumerable, 0},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
