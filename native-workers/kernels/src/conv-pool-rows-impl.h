/*
 * Conv + ReLU + 2×2/2 max pool for few taps (a network's first conv: 1 input channel, 3×3), with the switches for
 * training (arg) or without them (arg null, inference), AVX-512 only: vectors over 32 conv pixels of a row (two
 * vectors), two rows (one row of windows) and 4 filters at a time, each tap one broadcast weight per filter times the
 * 4 input vectors (shared by the 4 filters). The pool runs in registers (even/odd columns, then the two rows) and
 * each filter's 16 windows are stored at once, values and switches, in place of the pixel-major tile's lane-by-lane
 * stores to 16 planes (as many stores as multiply-adds on 9 taps). Sums in the same order as that tile and
 * conv2d_forward (bias, then the taps in (c, ky, kx) order), so values and switches are theirs bit for bit.
 * Included by kernels-impl.h before conv-pool-impl.h.
 */
#if VL == 16 && defined(__AVX512F__)
#include <immintrin.h>
#define ROWS_MAX_TAPS 27 /* deeper inputs reuse each weight over more pixels: the pixel-major tile */
#define ROWS_FILTERS 4

static int rows_applies(const Conv *s, const PoolGeom *g) {
  return s->sH == 1 && s->sW == 1 && g->pH == 2 && g->pW == 2 && g->sH == 2 && g->sW == 2 && s->outH == 2 * g->oH &&
         s->outW == 2 * g->oW && (long)s->inC * s->kH * s->kW <= ROWS_MAX_TAPS &&
         5 * s->outW >= 3 * ((s->outW + 31) / 32 * 32); /* 60 % of the lanes in use (at 50 %, as fast as before) */
}

/* The zero-padded image: Hx rows of Wx (a row's last 32 conv pixels read up to kW − 1 past them). */
static void rows_geometry(const Conv *s, int *Hx, int *Wx) {
  *Hx = s->outH + s->kH - 1;
  *Wx = (s->outW + 31) / 32 * 32 + s->kW - 1;
}

static size_t rows_scratch(const Conv *s) {
  int Hx, Wx;
  rows_geometry(s, &Hx, &Wx);
  return (size_t)s->inC * Hx * Wx + ROWS_MAX_TAPS + 16;
}

/* Of the left and right pixels of 16 windows' row (32 conv pixels in a0 | a1), the first maximum after the ReLU
 * (right only if strictly larger): its value, and in *right the lanes that took the right pixel. max(v, 0) returns
 * its second operand for NaN and for ±0, so it is the reference ReLU (NaN → 0, −0 → +0). */
STATIC __m512 rows_pair_max(__m512 a0, __m512 a1, __mmask16 *right) {
  const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odds = _mm512_add_epi32(evens, _mm512_set1_epi32(1));
  const __m512 zero = _mm512_setzero_ps();
  const __m512 e = _mm512_max_ps(_mm512_permutex2var_ps(a0, evens, a1), zero);
  const __m512 o = _mm512_max_ps(_mm512_permutex2var_ps(a0, odds, a1), zero);
  *right = _mm512_cmp_ps_mask(o, e, _CMP_GT_OQ);
  return _mm512_mask_blend_ps(*right, e, o);
}

/* ReLU, then the first maximum in row-major order of 16 2×2 windows over rows a (top) and b (bottom), 32 conv
 * pixels each: the windows' values and switches (base + row·W + column of the chosen pixel), `valid` of them. */
STATIC void rows_pool_store(vf a0, vf a1, vf b0, vf b1, int base, int W, int valid, float *out, int *arg) {
  __mmask16 rt, rb;
  const __m512 mt = rows_pair_max((__m512)a0, (__m512)a1, &rt), mb = rows_pair_max((__m512)b0, (__m512)b1, &rb);
  const __mmask16 down = _mm512_cmp_ps_mask(mb, mt, _CMP_GT_OQ); /* the bottom row's only if strictly larger */
  const __m512 m = _mm512_mask_blend_ps(down, mt, mb);
  const __mmask16 right = (__mmask16)((down & rb) | (~down & rt));
  __m512i idx = _mm512_add_epi32(_mm512_set1_epi32(base),
                                 _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30));
  idx = _mm512_mask_add_epi32(idx, down, idx, _mm512_set1_epi32(W));
  idx = _mm512_mask_add_epi32(idx, right, idx, _mm512_set1_epi32(1));
  const __mmask16 keep = (__mmask16)((1u << valid) - 1);
  _mm512_mask_storeu_ps(out, keep, m);
  if (arg) _mm512_mask_storeu_epi32(arg, keep, idx);
}

/* F filters (f0 on) of one image, every row of windows: out, arg point at filter f0's pooled plane */
STATIC void rows_filters(const int F, const Conv *s, const PoolGeom *g, const float *xpad, int Wx, const int *koff,
                         int K, const float *w, const float *bias, float *out, int *arg, int convBase) {
  const int W = s->outW, planeOut = g->oH * g->oW, planeConv = s->outH * W;
  for (int oy = 0; oy < g->oH; oy++)
    for (int c0 = 0; c0 < W; c0 += 32) {
      vf acc[ROWS_FILTERS][2][2]; /* filter, row, half */
      UNROLL for (int f = 0; f < F; f++) UNROLL for (int r = 0; r < 4; r++) acc[f][r >> 1][r & 1] =
          bias ? vsplat(bias[f]) : (vf){0};
      const float *x0 = xpad + (size_t)2 * oy * Wx + c0;
      for (int k = 0; k < K; k++) {
        const float *x = x0 + koff[k];
        const vf a0 = vld(x), a1 = vld(x + 16), b0 = vld(x + Wx), b1 = vld(x + Wx + 16);
        UNROLL for (int f = 0; f < F; f++) {
          const vf wv = vsplat(w[f * K + k]);
          acc[f][0][0] = MADD(wv, a0, acc[f][0][0]);
          acc[f][0][1] = MADD(wv, a1, acc[f][0][1]);
          acc[f][1][0] = MADD(wv, b0, acc[f][1][0]);
          acc[f][1][1] = MADD(wv, b1, acc[f][1][1]);
        }
      }
      const int valid = (W - c0) / 2 < 16 ? (W - c0) / 2 : 16;
      const int at = oy * g->oW + c0 / 2;
      UNROLL for (int f = 0; f < F; f++)
        rows_pool_store(acc[f][0][0], acc[f][0][1], acc[f][1][0], acc[f][1][1],
                        convBase + f * planeConv + 2 * oy * W + c0, W, valid, out + (size_t)f * planeOut + at,
                        arg ? arg + (size_t)f * planeOut + at : 0);
    }
}

typedef void (*rows_fn)(const Conv *, const PoolGeom *, const float *, int, const int *, int, const float *,
                        const float *, float *, int *, int);
#define ROWS_FN(F)                                                                                                \
  static void rows_filters##F(const Conv *s, const PoolGeom *g, const float *xpad, int Wx, const int *koff, int K, \
                              const float *w, const float *bias, float *out, int *arg, int convBase) {           \
    rows_filters(F, s, g, xpad, Wx, koff, K, w, bias, out, arg, convBase);                                        \
  }
ROWS_FN(1)
ROWS_FN(2)
ROWS_FN(3)
ROWS_FN(4)
static const rows_fn rows_fns[5] = {0, rows_filters1, rows_filters2, rows_filters3, rows_filters4};

static void rows_conv_pool(const Conv *s, const PoolGeom *g, const float *inp, const float *w, const float *bias,
                           float *out, int *arg) {
  int Hx, Wx;
  rows_geometry(s, &Hx, &Wx);
  const size_t plane = (size_t)Hx * Wx;
  float *xpad = scratch_floats(rows_scratch(s));
  int *koff = (int *)(xpad + s->inC * plane);
  const int K = s->inC * s->kH * s->kW;
  for (int c = 0, k = 0; c < s->inC; c++)
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++) koff[k++] = (int)(c * plane) + ky * Wx + kx;
  for (size_t i = 0; i < s->inC * plane; i++) xpad[i] = 0.f; /* the border stays zero */
  const int rows = s->inH < Hx - s->padT ? s->inH : Hx - s->padT;
  const int cols = s->inW < Wx - s->padL ? s->inW : Wx - s->padL;
  const size_t inSize = (size_t)s->inC * s->inH * s->inW, planeOut = (size_t)g->oH * g->oW;
  const int planeConv = s->outH * s->outW;
  for (int n = 0; n < s->batch; n++) {
    for (int c = 0; c < s->inC; c++)
      for (int y = 0; y < rows; y++) {
        const float *src = inp + n * inSize + ((size_t)c * s->inH + y) * s->inW;
        float *dst = xpad + c * plane + (size_t)(y + s->padT) * Wx + s->padL;
        for (int x = 0; x < cols; x++) dst[x] = src[x];
      }
    for (int f0 = 0; f0 < s->outC; f0 += ROWS_FILTERS) {
      const int F = s->outC - f0 < ROWS_FILTERS ? s->outC - f0 : ROWS_FILTERS;
      const size_t at = ((size_t)n * s->outC + f0) * planeOut;
      rows_fns[F](s, g, xpad, Wx, koff, K, w + (size_t)f0 * K, bias ? bias + f0 : 0, out + at, arg ? arg + at : 0,
                  (n * s->outC + f0) * planeConv);
    }
  }
}
#else
static int rows_applies(const Conv *s, const PoolGeom *g) {
  (void)s, (void)g;
  return 0;
}
static size_t rows_scratch(const Conv *s) {
  (void)s;
  return 0;
}
static void rows_conv_pool(const Conv *s, const PoolGeom *g, const float *inp, const float *w, const float *bias,
                           float *out, int *arg) {
  (void)s, (void)g, (void)inp, (void)w, (void)bias, (void)out, (void)arg;
}
#endif
