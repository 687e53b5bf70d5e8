/*
 * WebAssembly only (included by kernels-wasm.c after conv-pool-wasm-impl.h): conv2d forward (optional ReLU),
 * pixel-major, for convolutions with many taps.
 *
 * The shared stride-1 path computes every output row over Wp = outW + kW − 1 columns (16/14 of the work on the
 * reference CNN's second conv), stores its tiles to a scratch buffer and copies the rows out. Here, like the
 * pixel-major conv + pool (conv-pool-wasm-impl.h), a tile is 4 output pixels (in raster order) × 2 vectors of
 * output channels: 8 accumulators, per tap 2 weight vectors and 4 broadcasts, no garbage columns, any stride and
 * padding. Its results go straight to the NCHW output, lane by lane (32 scalar stores per tile, against 8 · K
 * multiply-adds: used only from MIN_TAPS taps). Sums run from the bias over the taps in order.
 */
#define WASM_PM_MIN_TAPS 64

typedef struct {
  int Hp, Wp, K, P; /* padded plane (every row and column the outputs read), taps, output pixels */
} PmConv;

static void wasm_pm_geometry(const Conv *s, PmConv *g) {
  g->Hp = (s->outH - 1) * s->sH + s->kH;
  g->Wp = (s->outW - 1) * s->sW + s->kW;
  g->K = s->inC * s->kH * s->kW;
  g->P = s->outH * s->outW;
}

/* Output channels in whole vectors, enough taps to pay the scalar stores, a chunk's Wᵀ (K × 8 floats) L1-sized;
 * not where the batch-interleaved path applies (deep inputs on small maps: 128→256 on 6×6 at batch 32, 16.7
 * against 19.6 ms there; 128→128 on 12×12 the same). */
static int wasm_pm_forward_applies(const Conv *s) {
  const long K = (long)s->inC * s->kH * s->kW;
  return s->outC % VL == 0 && K >= WASM_PM_MIN_TAPS && K * 2 * VL <= 8 * 1024 && s->outH * s->outW >= 4 &&
         !use_ilv(s);
}

/* Floats of scratch: the padded image, Wᵀ, the tap offsets. */
static size_t wasm_pm_forward_scratch(const Conv *s) {
  PmConv g;
  wasm_pm_geometry(s, &g);
  return (size_t)s->inC * g.Hp * g.Wp + (size_t)g.K * s->outC + g.K + 64;
}

/* 4 pixels (src: their offsets in the padded image; dst: in an output plane) × ocv vectors of channels. */
STATIC void wasm_pm_tile(const int ocv, int K, const int *restrict koff, const float *restrict wT, int OC,
                         const float *bias, const float *restrict padded, const int *src, const int *dst,
                         float *restrict out, int P, int relu) {
  const float *s0 = padded + src[0], *s1 = padded + src[1], *s2 = padded + src[2], *s3 = padded + src[3];
  vf acc[4][2];
  UNROLL for (int p = 0; p < 4; p++) UNROLL for (int v = 0; v < ocv; v++) acc[p][v] =
      bias ? vld(bias + VL * v) : (vf){0};
  for (int k = 0; k < K; k++) {
    vf wv[2];
    UNROLL for (int v = 0; v < ocv; v++) wv[v] = vld(wT + k * OC + VL * v);
    const int o = koff[k];
    const vf x0 = vsplat(s0[o]), x1 = vsplat(s1[o]), x2 = vsplat(s2[o]), x3 = vsplat(s3[o]);
    UNROLL for (int v = 0; v < ocv; v++) {
      acc[0][v] = MADD(x0, wv[v], acc[0][v]);
      acc[1][v] = MADD(x1, wv[v], acc[1][v]);
      acc[2][v] = MADD(x2, wv[v], acc[2][v]);
      acc[3][v] = MADD(x3, wv[v], acc[3][v]);
    }
  }
  UNROLL for (int p = 0; p < 4; p++) UNROLL for (int v = 0; v < ocv; v++) {
    const vf r = relu ? vmax0(acc[p][v]) : acc[p][v];
    UNROLL for (int l = 0; l < VL; l++) out[(size_t)(VL * v + l) * P + dst[p]] = r[l];
  }
}

typedef void (*wasm_pm_fn)(int, const int *, const float *, int, const float *, const float *, const int *,
                           const int *, float *, int, int);
#define WASM_PM_FN(V)                                                                                             \
  static void wasm_pm_tile##V(int K, const int *koff, const float *wT, int OC, const float *bias,                 \
                              const float *padded, const int *src, const int *dst, float *out, int P, int relu) { \
    wasm_pm_tile(V, K, koff, wT, OC, bias, padded, src, dst, out, P, relu);                                       \
  }
WASM_PM_FN(1)
WASM_PM_FN(2)

static void wasm_pm_conv_forward(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                                 int relu) {
  PmConv g;
  wasm_pm_geometry(s, &g);
  const int C = s->inC, K = g.K, OC = s->outC, P = g.P;
  /* the layout of the pixel-major conv + pool (conv-pool-impl.h); its image copy does not crop, this one's does */
  PixelMajor m;
  pixel_major_prepare(s, g.Hp, g.Wp, wasm_pm_forward_scratch(s), w, 0, &m);
  const size_t plane = m.plane;
  float *padded = m.padded;
  /* input rows / columns inside the padded plane (the rest stays zero); negative padding crops */
  const int iy0 = s->padT < 0 ? -s->padT : 0, ix0 = s->padL < 0 ? -s->padL : 0;
  int iy1 = g.Hp - s->padT, ix1 = g.Wp - s->padL;
  if (iy1 > s->inH) iy1 = s->inH;
  if (ix1 > s->inW) ix1 = s->inW;
  const size_t inSize = (size_t)C * s->inH * s->inW, outSize = (size_t)OC * P;
  const int ocv = (OC / VL) % 2 == 0 ? 2 : 1;
  const wasm_pm_fn tile = ocv == 2 ? wasm_pm_tile2 : wasm_pm_tile1;
  for (int n = 0; n < s->batch; n++) {
    const float *img = inp + n * inSize;
    if (ix1 > ix0)
      for (int c = 0; c < C; c++)
        for (int y = iy0; y < iy1; y++)
          __builtin_memcpy(padded + c * plane + (size_t)(y + s->padT) * g.Wp + s->padL + ix0,
                           img + ((size_t)c * s->inH + y) * s->inW + ix0, (size_t)(ix1 - ix0) * 4);
    float *o = out + n * outSize;
    for (int q0 = 0; q0 < P; q0 += 4) {
      /* a last group of 1..3 pixels repeats its last one (same value stored again) */
      int src[4], dst[4];
      for (int p = 0; p < 4; p++) {
        const int q = q0 + p < P ? q0 + p : P - 1, oy = q / s->outW, ox = q - oy * s->outW;
        src[p] = oy * s->sH * g.Wp + ox * s->sW;
        dst[p] = q;
      }
      for (int c0 = 0; c0 < OC; c0 += ocv * VL)
        tile(K, m.koff, m.wT + wt_chunk_offset(c0, K, OC), wt_block_width(OC), bias ? bias + c0 : 0, padded, src,
             dst, o + (size_t)c0 * P, P, relu);
    }
  }
}
