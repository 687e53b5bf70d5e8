/*
 * Inference only: conv2d + ReLU + max pooling in one pass (included at the end of kernels-impl.h; same VL, NAME).
 *
 * Unfused, a conv layer writes its whole output (the reference CNN's first conv: 3.2 MB at batch 64), the pool reads
 * it back from memory and writes its output and the argmax switches that only backward needs. Here each image's
 * conv + ReLU output goes to a scratch buffer that stays in cache (one image: 50 KB), and is pooled from there
 * without switches. The conv is NAME(conv2d_forward) itself, called per image, unless the pixel-major path below
 * applies.
 *
 * After the ReLU every value is +0 or positive and none is NaN, so a plain max gives the reference pool's value
 * (its first-maximum rule only matters for the switches, which are not written).
 */

static int pixel_major_applies(const Conv *s, const PoolGeom *g);
static size_t pixel_major_scratch(const Conv *s, const PoolGeom *g);
static void pixel_major_conv_pool(const Conv *s, const PoolGeom *g, const float *inp, const float *w,
                                  const float *wT, const float *bias, float *out);
#if VL == 8 /* AVX2: the pixel-major path's own tiles (conv-pool-pm8-impl.h) */
static size_t pm8_buf_floats(const PoolGeom *g);
static void pm8_conv_pool(const Conv *s, const PoolGeom *g, const float *inp, const float *w, const float *wT,
                          const float *bias, float *out, int *arg);
#endif

/* Floats of scratch NAME(conv2d_relu_maxpool_forward) asks for: the conv's own (for one image), then one image's
 * conv output. */
size_t NAME(conv2d_relu_maxpool_forward_scratch)(const Conv *s, const PoolGeom *g) {
  if (rows_applies(s, g)) return rows_scratch(s);
  if (pixel_major_applies(s, g)) return pixel_major_scratch(s, g);
  Conv one = *s;
  one.batch = 1;
  return NAME(conv2d_forward_scratch)(&one) + (size_t)s->outC * s->outH * s->outW + 16;
}

static inline float max2(float a, float b) { return a > b ? a : b; }

/* 2×2 windows, stride 2, four outputs at a time from two rows (W apart), as four-lane vectors. */
STATIC void pool2x2_4_values(const float *restrict x, int W, float *restrict y) {
  const p4 a = *(const p4 *)x, b = *(const p4 *)(x + 4), c = *(const p4 *)(x + W), d = *(const p4 *)(x + W + 4);
  const p4 e0 = __builtin_shufflevector(a, b, 0, 2, 4, 6), o0 = __builtin_shufflevector(a, b, 1, 3, 5, 7);
  const p4 e1 = __builtin_shufflevector(c, d, 0, 2, 4, 6), o1 = __builtin_shufflevector(c, d, 1, 3, 5, 7);
  const p4 m0 = sel4(e0 > o0, e0, o0), m1 = sel4(e1 > o1, e1, o1);
  *(p4 *)y = sel4(m0 > m1, m0, m1);
}

/* Max pooling of C planes of H×W (non-negative, no NaN) into C planes of g->oH × g->oW. */
static void pool_planes_max(int C, int H, int W, const PoolGeom *g, const float *restrict x, float *restrict y) {
  for (int c = 0; c < C; c++) {
    const float *plane = x + (size_t)c * H * W;
    float *o = y + (size_t)c * g->oH * g->oW;
    if (g->pH == 2 && g->pW == 2 && g->sH == 2 && g->sW == 2 && g->oW >= 4) {
      for (int oy = 0; oy < g->oH; oy++)
        /* a row tail of 1..3 redoes the row's last 4 (same values) */
        for (int ox = 0; ox < g->oW; ox += 4) {
          if (ox + 4 > g->oW) ox = g->oW - 4;
          pool2x2_4_values(plane + 2 * oy * W + 2 * ox, W, o + oy * g->oW + ox);
        }
      continue;
    }
    for (int oy = 0; oy < g->oH; oy++)
      for (int ox = 0; ox < g->oW; ox++) {
        const float *win = plane + oy * g->sH * W + ox * g->sW;
        float m = win[0];
        for (int py = 0; py < g->pH; py++)
          for (int px = 0; px < g->pW; px++) m = max2(m, win[py * W + px]);
        o[oy * g->oW + ox] = m;
      }
  }
}

/*
 * A 2×2/2 pool on AVX-512 with output channels in multiples of VL: pixel-major, with the output channels along the
 * vector. For each pooled output, the 4 conv pixels of its window are computed as 4 × ocv vectors (a chunk of
 * ocv·VL output channels): per tap, ocv weight vectors and one broadcast input value per pixel. The four are
 * reduced by max after the ReLU in registers and only the pooled values are stored: no conv output in memory, no
 * garbage columns (the general stride-1 path computes Wp/outW extra), no per-tile store and copy (which dominate
 * when there are few taps: the reference CNN's first conv, the photo presets' stem). Sums run from the bias over
 * the taps in order, like the general path's tiles (its scalar tails may round differently). Conv pixels that no
 * window reads are not computed. Used while a chunk's weights (K × ocv·VL floats) stay in L1/L2-sized bounds.
 */
#define PIXEL_MAJOR_MAX_WEIGHTS (96 * 1024) /* floats of Wᵀ per chunk (measured: see the dispatch below) */

/*
 * Vectors of output channels per chunk (ocv), and pooled windows per tile: 2 × 3 windows when OC is a multiple of
 * 2·VL, else 1 × 4. 2 × 3 keeps 24 accumulators (of the 32 registers) and needs per tap 2 weight loads and 12
 * broadcasts for 24 FMAs; the former 4 × 1 (16 accumulators) streamed twice the weights per FMA, from L2 (AVX-512,
 * batch 32, CPU ms: 32→64 on 24×24 3.82 → 3.60, 64→128 on 12×12 4.02 → 3.61, 128→256 on 6×6 5.00 → 4.07).
 */
static int pixel_major_chunk(int OC) { return OC / VL % 2 == 0 ? 2 : 1; }
static int pixel_major_windows(int ocv) { return ocv == 2 ? 3 : 4; }

/*
 * Also: the weights are transposed per call (K·OC moves) and each tile streams a chunk's weights, which must stay
 * small against the work: at least one conv pixel per 256 weights (measured, 128→128 on 12×12 with pool: 0.28
 * against 0.25 ms at batch 1, 1.00 against 1.07 at batch 4; 6×6 at batch 32: 1.74 against 2.57 ms).
 */
static int pixel_major_applies(const Conv *s, const PoolGeom *g);
/* The geometry the path handles, whoever transposes the weights (conv-wt-impl.h passes them transposed). */
static int pixel_major_fits(const Conv *s, const PoolGeom *g) {
  /* AVX2: 16 channels per tile (conv-pool-pm8-impl.h) */
  if ((VL != 16 && VL != 8) || s->outC % (VL == 8 ? 16 : VL) || g->pH != 2 || g->pW != 2 || g->sH != 2 || g->sW != 2) return 0;
  const long K = (long)s->inC * s->kH * s->kW;
  return K * pixel_major_chunk(s->outC) * VL <= PIXEL_MAJOR_MAX_WEIGHTS;
}

static int pixel_major_applies(const Conv *s, const PoolGeom *g) {
  const long K = (long)s->inC * s->kH * s->kW, pixels = 4L * s->batch * g->oH * g->oW;
  return pixel_major_fits(s, g) && K * s->outC <= 256 * pixels;
}

/* Floats of scratch: the zero-padded image (rows and columns that the pooled windows read), Wᵀ, tap offsets. */
static size_t pixel_major_scratch(const Conv *s, const PoolGeom *g) {
  const int Hp = (2 * g->oH - 1) * s->sH + s->kH, Wp = (2 * g->oW - 1) * s->sW + s->kW;
  const size_t K = (size_t)s->inC * s->kH * s->kW;
  size_t n = (size_t)s->inC * Hp * Wp + K * s->outC + K + 64;
#if VL == 8
  n += pm8_buf_floats(g); /* its two conv rows, at the end */
#endif
  return n;
}

/* nwin pooled outputs side by side (one pooled row) × one chunk of ocv·VL channels: acc[window][pixel][vector]. */
STATIC void pixel_major_tile(const int ocv, const int nwin, int K, const int *restrict koff, const float *restrict wT,
                             int OC, const float *bias, int rowStep, int colStep, const float *restrict origin,
                             float *restrict out, int planeOut) {
  vf acc[4][4][2];
  UNROLL for (int q = 0; q < nwin; q++) UNROLL for (int p = 0; p < 4; p++) UNROLL for (int v = 0; v < ocv; v++)
      acc[q][p][v] = bias ? vld(bias + VL * v) : (vf){0};
  for (int k = 0; k < K; k++) {
    vf wv[2];
    UNROLL for (int v = 0; v < ocv; v++) wv[v] = vld(wT + k * OC + VL * v);
    const float *src = origin + koff[k];
    UNROLL for (int q = 0; q < nwin; q++) UNROLL for (int p = 0; p < 4; p++) {
      /* pixel p of window q: conv row 2·py + (p >> 1), conv column 2·(px0 + q) + (p & 1) */
      const vf x = vsplat(src[(p >> 1) * rowStep + (2 * q + (p & 1)) * colStep]);
      UNROLL for (int v = 0; v < ocv; v++) acc[q][p][v] = MADD(x, wv[v], acc[q][p][v]);
    }
  }
  /* ReLU, then the window's max (values ≥ +0, no NaN: a plain max) */
  UNROLL for (int q = 0; q < nwin; q++) UNROLL for (int v = 0; v < ocv; v++) {
    vf m = vmax0(acc[q][0][v]);
    UNROLL for (int p = 1; p < 4; p++) {
      const vf r = vmax0(acc[q][p][v]);
      const vi gt = r > m;
      m = (vf)(((vi)r & gt) | ((vi)m & ~gt));
    }
    for (int l = 0; l < VL; l++) out[(size_t)(VL * v + l) * planeOut + q] = m[l];
  }
}

typedef void (*pixel_major_fn)(int, const int *, const float *, int, const float *, int, int, const float *, float *,
                               int);
#define PIXEL_MAJOR_FN(V, N)                                                                                      \
  static void pixel_major##V##_##N(int K, const int *koff, const float *wT, int OC, const float *bias,            \
                                   int rowStep, int colStep, const float *origin, float *out, int planeOut) {     \
    pixel_major_tile(V, N, K, koff, wT, OC, bias, rowStep, colStep, origin, out, planeOut);                       \
  }
PIXEL_MAJOR_FN(1, 1)
PIXEL_MAJOR_FN(1, 2)
PIXEL_MAJOR_FN(1, 3)
PIXEL_MAJOR_FN(1, 4)
PIXEL_MAJOR_FN(2, 1)
PIXEL_MAJOR_FN(2, 2)
PIXEL_MAJOR_FN(2, 3)
/* pixel_major_tiles[ocv][windows], windows ≤ pixel_major_windows(ocv) */
static const pixel_major_fn pixel_major_tiles[3][5] = {
    {0}, {0, pixel_major1_1, pixel_major1_2, pixel_major1_3, pixel_major1_4}, {0, pixel_major2_1, pixel_major2_2, pixel_major2_3, 0}};

/*
 * Wᵀ as the pixel-major tiles read it: in blocks of B output channels (B = 32 when OC is a multiple of 32, else OC),
 * wT[(oc / B)·K·B + k·B + oc % B], so that a chunk of 32 channels streams its K·32 weights contiguously (at batch 1
 * the deep layers' weights come from L3 or memory: a 1 KB stride per tap prefetches worse). transposeConvWeight
 * in native-workers/cnn/inference-plan.ts writes the same layout.
 */
static int wt_block_width(int OC) { return OC % 32 == 0 ? 32 : OC; }
static size_t wt_chunk_offset(int c0, int K, int OC) {
  const int B = wt_block_width(OC);
  return (size_t)(c0 / B) * K * B + c0 % B;
}

/* The zero-padded planes of one image (Hp × Wp per channel, the conv's padding then the input), its tap offsets
 * and Wᵀ, in scratch. */
typedef struct {
  int Hp, Wp, rows, cols;
  size_t plane;
  float *padded;
  const float *wT;
  int *koff;
} PixelMajor;

/* Lays out the scratch of `total` floats (≥ pixel_major_scratch's layout for Hp × Wp); wT null: transposes w. */
static void pixel_major_prepare(const Conv *s, int Hp, int Wp, size_t total, const float *w, const float *wT,
                                PixelMajor *m) {
  const int C = s->inC, KK = s->kH * s->kW, K = C * KK, OC = s->outC;
  m->Hp = Hp;
  m->Wp = Wp;
  m->plane = (size_t)Hp * Wp;
  m->padded = scratch_floats(total);
  float *t = m->padded + C * m->plane;
  m->koff = (int *)(t + (size_t)K * OC);
  const int B = wt_block_width(OC);
  if (!wT)
    for (int c0 = 0; c0 < OC; c0 += B) /* sequential writes */
      for (int k = 0; k < K; k++)
        for (int oc = 0; oc < B; oc++) t[(size_t)c0 * K + k * B + oc] = w[(size_t)(c0 + oc) * K + k];
  m->wT = wT ? wT : t;
  for (int c = 0; c < C; c++)
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++) m->koff[c * KK + ky * s->kW + kx] = (int)(c * m->plane) + ky * Wp + kx;
  __builtin_memset(m->padded, 0, C * m->plane * 4);
  /* the input rows / columns that land inside the padded window (the rest stays zero) */
  m->rows = s->inH < Hp - s->padT ? s->inH : Hp - s->padT;
  m->cols = s->inW < Wp - s->padL ? s->inW : Wp - s->padL;
}

/* Copies image n of inp into the padded planes. */
static void pixel_major_pad(const Conv *s, const PixelMajor *m, const float *inp, int n) {
  if (m->cols <= 0) return; /* padding wider than the window: nothing of the input is read */
  const float *img = inp + (size_t)n * s->inC * s->inH * s->inW;
  for (int c = 0; c < s->inC; c++)
    for (int y = 0; y < m->rows; y++)
      __builtin_memcpy(m->padded + c * m->plane + (size_t)(y + s->padT) * m->Wp + s->padL,
                       img + ((size_t)c * s->inH + y) * s->inW, (size_t)m->cols * 4);
}

/* wT: the weights transposed by the caller (wt_block_width's layout), or null. */
static void pixel_major_conv_pool(const Conv *s, const PoolGeom *g, const float *inp, const float *w,
                                  const float *wT, const float *bias, float *out) {
#if VL == 8
  pm8_conv_pool(s, g, inp, w, wT, bias, out, 0);
  return;
#endif
  const int OC = s->outC, K = s->inC * s->kH * s->kW, ocv = pixel_major_chunk(OC), win = pixel_major_windows(ocv);
  PixelMajor m;
  pixel_major_prepare(s, (2 * g->oH - 1) * s->sH + s->kH, (2 * g->oW - 1) * s->sW + s->kW,
                      pixel_major_scratch(s, g), w, wT, &m);
  const size_t outSize = (size_t)OC * g->oH * g->oW;
  const int planeOut = g->oH * g->oW;
  for (int n = 0; n < s->batch; n++) {
    pixel_major_pad(s, &m, inp, n);
    float *o = out + n * outSize;
    for (int py = 0; py < g->oH; py++)
      for (int px = 0; px < g->oW; px += win) {
        const int nwin = g->oW - px < win ? g->oW - px : win;
        const float *origin = m.padded + (size_t)(2 * py * s->sH) * m.Wp + 2 * px * s->sW;
        for (int c0 = 0; c0 < OC; c0 += ocv * VL)
          pixel_major_tiles[ocv][nwin](K, m.koff, m.wT + wt_chunk_offset(c0, K, OC), wt_block_width(OC), bias ? bias + c0 : 0, s->sH * m.Wp, s->sW, origin,
                                       o + (size_t)c0 * planeOut + py * g->oW + px, planeOut);
      }
  }
}

void NAME(conv2d_relu_maxpool_forward)(const Conv *s, const PoolGeom *g, const float *inp, const float *w,
                                       const float *bias, float *out) {
  if (rows_applies(s, g)) { /* few taps (conv-pool-rows-impl.h), no switches */
    rows_conv_pool(s, g, inp, w, bias, out, 0);
    return;
  }
  if (pixel_major_applies(s, g)) {
    pixel_major_conv_pool(s, g, inp, w, 0, bias, out);
    return;
  }
  Conv one = *s;
  one.batch = 1;
  const size_t convScratch = NAME(conv2d_forward_scratch)(&one);
  /* one allocation for both: the conv's scratch_floats(convScratch) then returns the same, large enough, buffer */
  float *img = scratch_floats(NAME(conv2d_relu_maxpool_forward_scratch)(s, g)) + convScratch;
  const size_t inSize = (size_t)s->inC * s->inH * s->inW, outSize = (size_t)s->outC * g->oH * g->oW;
  for (int n = 0; n < s->batch; n++) {
    NAME(conv2d_forward)(&one, inp + n * inSize, w, bias, img, 1);
    pool_planes_max(s->outC, s->outH, s->outW, g, img, out + n * outSize);
  }
}
