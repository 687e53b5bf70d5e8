/*
 * The optimizer side of a data-parallel step (native-workers/parallel/shard-worker-main.ts): the reduceGradients,
 * adamSlice and adamMaskedSlice bindings and their loops, bit for bit what the readable JavaScript computes:
 * float64 arithmetic on float32 storage, in the same order, and no fused multiply-adds. Part of addon.c's
 * translation unit, included after its argument helpers (Args, typed, int_arg, EXPORT_FN), so it is compiled with
 * addon.c's -ffp-contract=off (binding.gyp).
 */

/* reduceGradients(grads, workers, paramCount, weights, from, to): grads holds `workers` slots of paramCount values
 * and then the reduced slot; reduced[i] = Σ_j weights[j] · slot_j[i] for i in [from, to). */
EXPORT_FN(reduce_gradients) {
  Args a;
  if (!get_args(env, info, &a, 6)) return NULL;
  const int N = int_arg(&a, 1), P = int_arg(&a, 2), from = int_arg(&a, 4), to = int_arg(&a, 5);
  if (a.failed) return NULL;
  if (N < 1 || P < 0 || from < 0 || to > P || from > to) return FAIL(env, "native kernels: invalid reduce range");
  float *g = typed(&a, 0, napi_float32_array, (size_t)(N + 1) * P, 0);
  const double *w = typed(&a, 3, napi_float64_array, N, 0);
  if (a.failed) return NULL;
  float *out = g + (size_t)N * P;
  for (int j = 0; j < N; j++) {
    const float *s = g + (size_t)j * P;
    const double wj = w[j];
    if (j == 0)
      for (int i = from; i < to; i++) out[i] = (float)(wj * (double)s[i]);
    else if (wj != 0)
      for (int i = from; i < to; i++) out[i] = (float)((double)out[i] + wj * (double)s[i]);
  }
  return NULL;
}

/* adamSlice(params, grads, m, v, coef [stepSize, invSqrtBc2, beta1, beta2, eps, weightDecay], from, to): one Adam
 * step on [from, to), exactly FlatAdam.stepSlice (native-workers/parallel/adam.ts). */
/* The loop of adamSlice (inlined twice: as it is, and compiled for AVX-512 below). Vectorised, every lane does the
 * same correctly rounded double operations as the scalar loop (no fused multiply-adds: -ffp-contract=off). */
static inline __attribute__((always_inline)) void adam_loop(float *restrict p, const float *restrict g,
                                                            float *restrict m, float *restrict v, const double *c,
                                                            int from, int to) {
  const double stepSize = c[0], invSqrtBc2 = c[1], b1 = c[2], b2 = c[3], eps = c[4], wd = c[5];
  for (int i = from; i < to; i++) {
    const double gi = wd != 0 ? (double)g[i] + wd * (double)p[i] : (double)g[i];
    const double mi = b1 * (double)m[i] + (1 - b1) * gi;
    const double vi = b2 * (double)v[i] + (1 - b2) * gi * gi;
    m[i] = (float)mi;
    v[i] = (float)vi;
    p[i] = (float)((double)p[i] - (stepSize * mi) / (__builtin_sqrt(vi) * invSqrtBc2 + eps));
  }
}

/* The loop of adamMaskedSlice (see adam_loop). */
static inline __attribute__((always_inline)) void adam_masked_loop(float *restrict p, const float *restrict g,
                                                                   float *restrict m, float *restrict v,
                                                                   const uint8_t *restrict mask, const double *c,
                                                                   int from, int to) {
  const double stepSize = c[0], invSqrtBc2 = c[1], b1 = c[2], b2 = c[3], eps = c[4], wd = c[5], lrWd = c[6];
  // one loop per kind, with selects instead of branches so that the compiler can vectorise them
  if (c[7] != 0) {
    for (int i = from; i < to; i++) {
      const double p0 = (double)p[i];
      const double decayed = (double)(float)(p0 - lrWd * p0);
      const double pi = mask[i] == 1 ? decayed : p0;
      const double gi = (double)g[i];
      const double mi = b1 * (double)m[i] + (1 - b1) * gi;
      const double vi = b2 * (double)v[i] + (1 - b2) * gi * gi;
      m[i] = (float)mi;
      v[i] = (float)vi;
      p[i] = (float)(pi - (stepSize * mi) / (__builtin_sqrt(vi) * invSqrtBc2 + eps));
    }
    return;
  }
  for (int i = from; i < to; i++) {
    const double pi = (double)p[i];
    const double gi = mask[i] == 1 ? (double)g[i] + wd * pi : (double)g[i];
    const double mi = b1 * (double)m[i] + (1 - b1) * gi;
    const double vi = b2 * (double)v[i] + (1 - b2) * gi * gi;
    m[i] = (float)mi;
    v[i] = (float)vi;
    p[i] = (float)(pi - (stepSize * mi) / (__builtin_sqrt(vi) * invSqrtBc2 + eps));
  }
}

static void adam_plain(float *p, const float *g, float *m, float *v, const double *c, int from, int to) {
  adam_loop(p, g, m, v, c, from, to);
}
static void adam_masked_plain(float *p, const float *g, float *m, float *v, const uint8_t *mask, const double *c,
                              int from, int to) {
  adam_masked_loop(p, g, m, v, mask, c, from, to);
}

#if defined(CNN_KERNELS_X86)
/* The same loops over 8 (AVX-512) or 4 (AVX2) doubles per vector (the baseline build has 2): the square roots and
 * divisions are most of the step, and Adam runs on every training step (reference CNN, 207k parameters: 0.38 →
 * 0.115 ms on AVX-512). */
#define ADAM_FOR(ISA, TARGET)                                                                                     \
  __attribute__((target(TARGET))) static void adam_##ISA(float *p, const float *g, float *m, float *v,          \
                                                         const double *c, int from, int to) {                  \
    adam_loop(p, g, m, v, c, from, to);                                                                          \
  }                                                                                                              \
  __attribute__((target(TARGET))) static void adam_masked_##ISA(float *p, const float *g, float *m, float *v,   \
                                                                const uint8_t *mask, const double *c, int from, \
                                                                int to) {                                       \
    adam_masked_loop(p, g, m, v, mask, c, from, to);                                                             \
  }
ADAM_FOR(avx512, "avx512f")
ADAM_FOR(avx2, "avx2")
#endif

/* Whether this thread's kernels are those of the instruction set `name` (then the CPU has it). */
static int on_isa(const char *name) { return current && !strcmp(current->name, name); }

EXPORT_FN(adam_slice) {
  Args a;
  if (!get_args(env, info, &a, 7)) return NULL;
  const int from = int_arg(&a, 5), to = int_arg(&a, 6);
  if (a.failed) return NULL;
  if (from < 0 || from > to) return FAIL(env, "native kernels: invalid Adam range");
  float *p = typed(&a, 0, napi_float32_array, to, 0);
  const float *g = typed(&a, 1, napi_float32_array, to, 0);
  float *m = typed(&a, 2, napi_float32_array, to, 0);
  float *v = typed(&a, 3, napi_float32_array, to, 0);
  const double *c = typed(&a, 4, napi_float64_array, 6, 0);
  if (a.failed) return NULL;
#if defined(CNN_KERNELS_X86)
  if (on_isa("avx512")) {
    adam_avx512(p, g, m, v, c, from, to);
    return NULL;
  }
  if (on_isa("avx2")) {
    adam_avx2(p, g, m, v, c, from, to);
    return NULL;
  }
#endif
  adam_plain(p, g, m, v, c, from, to);
  return NULL;
}

/* adamMaskedSlice(params, grads, m, v, mask, coef [stepSize, invSqrtBc2, beta1, beta2, eps, weightDecay, lrWd,
 * decoupled], from, to): FlatAdam's masked-decay step on [from, to) (maskedDecaySlice in
 * native-workers/parallel/adam.ts): where mask is 1, AdamW's p −= lrWd · p rounded to float32 first (decoupled = 1)
 * or L2's g += wd · p; then the Adam update. */
EXPORT_FN(adam_masked_slice) {
  Args a;
  if (!get_args(env, info, &a, 8)) return NULL;
  const int from = int_arg(&a, 6), to = int_arg(&a, 7);
  if (a.failed) return NULL;
  if (from < 0 || from > to) return FAIL(env, "native kernels: invalid Adam range");
  float *p = typed(&a, 0, napi_float32_array, to, 0);
  const float *g = typed(&a, 1, napi_float32_array, to, 0);
  float *m = typed(&a, 2, napi_float32_array, to, 0);
  float *v = typed(&a, 3, napi_float32_array, to, 0);
  const uint8_t *mask = typed(&a, 4, napi_uint8_array, to, 0);
  const double *c = typed(&a, 5, napi_float64_array, 8, 0);
  if (a.failed) return NULL;
#if defined(CNN_KERNELS_X86)
  if (on_isa("avx512")) {
    adam_masked_avx512(p, g, m, v, mask, c, from, to);
    return NULL;
  }
  if (on_isa("avx2")) {
    adam_masked_avx2(p, g, m, v, mask, c, from, to);
    return NULL;
  }
#endif
  adam_masked_plain(p, g, m, v, mask, c, from, to);
  return NULL;
}
