/*
 * Batch normalization per channel (native-workers/cnn/ops/batch-norm.ts is the reference), over the VL-float vectors
 * of kernels-impl.h (include this after it). Tensors are NCHW: channel c of example n is the contiguous plane
 * x[(n·C + c)·S .. +S) (S = H·W, 1 after a dense layer), so every loop runs channel by channel over N such planes,
 * vectorised along the plane with a scalar tail.
 *
 * Memory-bound, so the passes over the data are what count: training forward reads x twice (statistics, then
 * normalise) and writes y once; backward reads dy and x for the two sums, then dy, x and dx to accumulate dx. A
 * channel's planes are visited twice in a row, so the second visit finds them in cache when a channel fits.
 *
 * Exactness: the statistics are float64 sums of the float32 values (widened in the vector loop) like the
 * reference's, and the variance is one pass over x − K with the shift K = the channel's first value:
 * Σ(x − μ)² = Σ(x − K)² − (Σ(x − K))²/M cancels only as far as |μ − K| exceeds the standard deviation, which
 * float64 absorbs (the reference's two passes would cost a third read). Normalising subtracts the mean as a float
 * pair hi + lo: x − hi is exact where x is near the mean (Sterbenz), so the output keeps float32 precision even for
 * a mean far from 0, where x·g + (β − μ·g) would lose it. Backward's sums are float64 as well.
 */
/* Half a vector of floats, widened: VL/2 doubles, one register (a vector of VL doubles would live on the stack). */
typedef double vd __attribute__((vector_size(VL * 4)));
typedef float vfh __attribute__((vector_size(VL * 2), aligned(4), may_alias));
#if VL == 16 && defined(__AVX512F__)
#include <immintrin.h>
/* VL/2 floats at p, widened: GCC 12 splits the generic 8-float conversion into 4-wide halves and an insert. */
static inline vd vldw(const float *p) { return (vd)_mm512_cvtps_pd(_mm256_loadu_ps(p)); }
#elif VL == 8 && defined(__AVX__)
#include <immintrin.h>
/* The same at 8 lanes: GCC 12 converted 2 floats at a time, the upper pair stored to the stack and reloaded (a
 * store-forwarding round trip on every load of both backward passes). Exact either way (float → double). */
static inline vd vldw(const float *p) { return (vd)_mm256_cvtps_pd(_mm_loadu_ps(p)); }
#else
/* VL/2 floats at p, widened (one convert-from-memory instruction where the ISA has it). */
static inline vd vldw(const float *p) { return __builtin_convertvector(*(const vfh *)p, vd); }
#endif
static inline vd vdsplat(double x) { return x - (vd){0}; }
static inline double vdsum(vd v) {
  double s = 0;
  for (int i = 0; i < VL / 2; i++) s += v[i];
  return s;
}

/* Σ(x − K) and Σ(x − K)² of channel c, in float64 (eight independent sums, so adds do not wait on adds). */
STATIC void bn_shifted_sums(int N, int C, int S, const float *x, int c, double K, double *sum, double *sq) {
  const vd k = vdsplat(K);
  vd s1[4] = {{0}}, s2[4] = {{0}};
  double t1 = 0, t2 = 0;
  for (int n = 0; n < N; n++) {
    const float *p = x + ((size_t)n * C + c) * S;
    int i = 0;
    for (; i + 2 * VL <= S; i += 2 * VL)
      UNROLL for (int j = 0; j < 4; j++) {
        const vd a = vldw(p + i + j * (VL / 2)) - k;
        s1[j] += a;
        s2[j] += a * a;
      }
    for (; i + VL <= S; i += VL)
      UNROLL for (int j = 0; j < 2; j++) {
        const vd a = vldw(p + i + j * (VL / 2)) - k;
        s1[j] += a;
        s2[j] += a * a;
      }
    for (; i < S; i++) {
      const double d = (double)p[i] - K;
      t1 += d;
      t2 += d * d;
    }
  }
  *sum = vdsum((s1[0] + s1[1]) + (s1[2] + s1[3])) + t1;
  *sq = vdsum((s2[0] + s2[1]) + (s2[2] + s2[3])) + t2;
}

/* y = ((x − mhi) − mlo)·g + b over channel c, then max(0, ·) if relu. */
STATIC void bn_normalise(int N, int C, int S, const float *x, float *y, int c, float mhi, float mlo, float g, float b,
                         int relu) {
  const vf vh = vsplat(mhi), vl = vsplat(mlo), vg = vsplat(g), vb = vsplat(b);
  for (int n = 0; n < N; n++) {
    const size_t o = ((size_t)n * C + c) * S;
    const float *p = x + o;
    float *q = y + o;
    int i = 0;
    if (relu) {
      for (; i + VL <= S; i += VL) vst(q + i, vmax0(MADD((vld(p + i) - vh) - vl, vg, vb)));
      for (; i < S; i++) {
        const float v = ((p[i] - mhi) - mlo) * g + b;
        q[i] = v > 0.f ? v : 0.f;
      }
    } else {
      for (; i + VL <= S; i += VL) vst(q + i, MADD((vld(p + i) - vh) - vl, vg, vb));
      for (; i < S; i++) q[i] = ((p[i] - mhi) - mlo) * g + b;
    }
  }
}

/*
 * Training forward: batch statistics (saved as mean, invStd for backward), y = γ·(x − μ)/√(σ² + ε) + β with the
 * biased σ², and running = (1 − momentum)·running + momentum·batch with the unbiased variance (× M/(M − 1)).
 * With relu, y = max(0, ·): the output of a relu layer that follows (its input is written nowhere).
 */
void NAME(batchnorm_forward_train)(int N, int C, int S, double eps, double momentum, const float *x,
                                   const float *gamma, const float *beta, float *y, float *mean, float *invStd,
                                   float *runMean, float *runVar, int relu) {
  const double M = (double)N * S;
  for (int c = 0; c < C; c++) {
    const double K = x[(size_t)c * S];
    double sum, sq;
    bn_shifted_sums(N, C, S, x, c, K, &sum, &sq);
    const double mu = K + sum / M;
    double dev = sq - sum * (sum / M); /* Σ(x − μ)² */
    if (dev < 0) dev = 0;
    const double variance = dev / M;
    const double is = 1 / __builtin_sqrt(variance + eps);
    mean[c] = (float)mu;
    invStd[c] = (float)is;
    const float mhi = (float)mu;
    bn_normalise(N, C, S, x, y, c, mhi, (float)(mu - mhi), (float)(gamma[c] * is), beta[c], relu);
    runMean[c] = (float)((1 - momentum) * runMean[c] + momentum * mu);
    const double unbiased = M > 1 ? dev / (M - 1) : variance;
    runVar[c] = (float)((1 - momentum) * runVar[c] + momentum * unbiased);
  }
}

/* Eval forward with the running statistics: y = γ·(x − runMean)/√(runVar + ε) + β, then max(0, ·) if relu. */
void NAME(batchnorm_forward_eval)(int N, int C, int S, double eps, const float *x, const float *gamma,
                                  const float *beta, float *y, const float *runMean, const float *runVar, int relu) {
  for (int c = 0; c < C; c++) {
    const double g = gamma[c] / __builtin_sqrt((double)runVar[c] + eps);
    const float mhi = runMean[c]; /* already a float: no low part */
    bn_normalise(N, C, S, x, y, c, mhi, 0.f, (float)g, beta[c], relu);
  }
}

typedef long long vmask __attribute__((vector_size(VL * 4)));

/* v where m > 0, else +0, without a branch (the signs are random: a branch would mispredict half the time). */
static inline float keep_where_positive(float v, float m) {
  union {
    float f;
    int i;
  } u = {v};
  u.i &= -(int)(m > 0.f);
  return u.f;
}

/*
 * Training backward (xhat = (x − μ)·invStd, the saved statistics):
 *   dgamma += Σ dy·xhat,  dbeta += Σ dy,  dx += γ·invStd·(dy − mean(dy) − xhat·mean(dy·xhat)) unless dx is null.
 * The last is dx += A·dy + B·(x − μ) + D per channel, with A, B, D formed in float64. With a relu output r (the
 * layer after this one), dy is the relu's output gradient and counts only where r > 0, as the relu's backward
 * would pass it on.
 */
STATIC void bn_backward(int N, int C, int S, const float *x, const float *gamma, const float *mean,
                        const float *invStd, const float *r, const float *dy, float *dx, float *dgamma, float *dbeta,
                        const int masked) {
  const double M = (double)N * S;
  const vd zero = {0};
  const vf zerof = {0};
  for (int c = 0; c < C; c++) {
    const float mu = mean[c];
    const double is = invStd[c];
    const vd vmu = vdsplat(mu);
    vd sd[4] = {{0}}, sp[4] = {{0}}; /* Σ dy and Σ dy·(x − μ), four independent sums of each */
    double t = 0, tp = 0;
    for (int n = 0; n < N; n++) {
      const size_t o = ((size_t)n * C + c) * S;
      const float *p = x + o, *d = dy + o, *m = masked ? r + o : 0;
      int i = 0;
      for (; i + 2 * VL <= S; i += 2 * VL)
        UNROLL for (int j = 0; j < 4; j++) {
          const int h = i + j * (VL / 2);
          vd dv = vldw(d + h);
          if (masked) dv = (vd)((vmask)dv & (vldw(m + h) > zero));
          sd[j] += dv;
          sp[j] += dv * (vldw(p + h) - vmu);
        }
      for (; i + VL <= S; i += VL)
        UNROLL for (int j = 0; j < 2; j++) {
          const int h = i + j * (VL / 2);
          vd dv = vldw(d + h);
          if (masked) dv = (vd)((vmask)dv & (vldw(m + h) > zero));
          sd[j] += dv;
          sp[j] += dv * (vldw(p + h) - vmu);
        }
      for (; i < S; i++) {
        const float di = masked ? keep_where_positive(d[i], m[i]) : d[i];
        t += di;
        tp += (double)di * ((double)p[i] - mu);
      }
    }
    const double sumDy = vdsum((sd[0] + sd[1]) + (sd[2] + sd[3])) + t;
    const double sumDyXhat = (vdsum((sp[0] + sp[1]) + (sp[2] + sp[3])) + tp) * is;
    dgamma[c] = (float)(dgamma[c] + sumDyXhat);
    dbeta[c] = (float)(dbeta[c] + sumDy);
    if (!dx) continue;
    const double g = gamma[c] * is;
    const float A = (float)g, B = (float)(-g * is * (sumDyXhat / M)), D = (float)(-g * (sumDy / M));
    const vf va = vsplat(A), vb = vsplat(B), vdd = vsplat(D), vm = vsplat(mu);
    for (int n = 0; n < N; n++) {
      const size_t o = ((size_t)n * C + c) * S;
      const float *p = x + o, *d = dy + o, *m = masked ? r + o : 0;
      float *q = dx + o;
      int i = 0;
      for (; i + VL <= S; i += VL) {
        vf dv = vld(d + i);
        if (masked) dv = (vf)((vi)dv & (vld(m + i) > zerof));
        vst(q + i, vld(q + i) + MADD(va, dv, MADD(vb, vld(p + i) - vm, vdd)));
      }
      for (; i < S; i++) {
        const float di = masked ? keep_where_positive(d[i], m[i]) : d[i];
        q[i] += A * di + (B * (p[i] - mu) + D);
      }
    }
  }
}

/* relu: the output of the relu layer after this one (null: none), whose output gradient dy then is. */
void NAME(batchnorm_backward_train)(int N, int C, int S, const float *x, const float *gamma, const float *mean,
                                    const float *invStd, const float *relu, const float *dy, float *dx,
                                    float *dgamma, float *dbeta) {
  if (relu)
    bn_backward(N, C, S, x, gamma, mean, invStd, relu, dy, dx, dgamma, dbeta, 1);
  else
    bn_backward(N, C, S, x, gamma, mean, invStd, 0, dy, dx, dgamma, dbeta, 0);
}
