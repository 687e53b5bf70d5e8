/*
 * Training: conv2d + ReLU + max pooling in one pass that also writes the pool's switches (argmax), so that a training
 * step never writes the conv's (or the relu's) output: the backward needs only the switches and the pooled values
 * (maxPool2dReluBackward) and the conv's input. The reference CNN's first conv would otherwise write and read back
 * 3.2 MB per batch of 64. Values and switches are those of conv2d_forward with ReLU, then maxpool_forward over its
 * output (strict > from −∞ in row-major window order: ties and all-zero windows keep the first position; after the
 * ReLU nothing is NaN). argmax indexes the conv output [batch, outC, outH, outW].
 * Included at the end of kernels-impl.h (after conv-pool-impl.h, whose pixel-major geometry it reuses).
 */

/* Floats of scratch NAME(conv2d_relu_maxpool_train) asks for. */
size_t NAME(conv2d_relu_maxpool_train_scratch)(const Conv *s, const PoolGeom *g) {
  if (rows_applies(s, g)) return rows_scratch(s);
  return NAME(conv2d_relu_maxpool_forward_scratch)(s, g);
}

/* The pixel-major tile of conv-pool-impl.h, keeping which of the window's 4 conv pixels is the first maximum. */
STATIC void pm_train_tile(const int ocv, const int nwin, int K, const int *restrict koff, const float *restrict wT,
                          int OC, const float *bias, int rowStep, int colStep, const float *restrict origin,
                          float *restrict out, int *restrict arg, int planeOut, int argBase, int planeConv, int Wc) {
  vf acc[4][4][4];
  vi lanes;
  UNROLL for (int l = 0; l < VL; l++) lanes[l] = l;
  UNROLL for (int q = 0; q < nwin; q++) UNROLL for (int p = 0; p < 4; p++) UNROLL for (int v = 0; v < ocv; v++)
      acc[q][p][v] = bias ? vld(bias + VL * v) : (vf){0};
  for (int k = 0; k < K; k++) {
    vf wv[4];
    UNROLL for (int v = 0; v < ocv; v++) wv[v] = vld(wT + k * OC + VL * v);
    const float *src = origin + koff[k];
    UNROLL for (int q = 0; q < nwin; q++) UNROLL for (int p = 0; p < 4; p++) {
      const vf x = vsplat(src[(p >> 1) * rowStep + (2 * q + (p & 1)) * colStep]);
      UNROLL for (int v = 0; v < ocv; v++) acc[q][p][v] = MADD(x, wv[v], acc[q][p][v]);
    }
  }
  UNROLL for (int q = 0; q < nwin; q++) UNROLL for (int v = 0; v < ocv; v++) {
    vf m = vmax0(acc[q][0][v]);
    vi at = (vi){0};
    UNROLL for (int p = 1; p < 4; p++) {
      const vf r = vmax0(acc[q][p][v]);
      const vi gt = r > m;
      m = (vf)(((vi)r & gt) | ((vi)m & ~gt));
      at = ((p - (vi){0}) & gt) | (at & ~gt);
    }
    /* the switches as a vector: channel lane l's plane, the window's row and column of the chosen pixel */
    const vi idx = (argBase + 2 * q + VL * v * planeConv) + lanes * planeConv + (at >> 1) * Wc + (at & 1);
    float *restrict ov = out + (size_t)VL * v * planeOut + q;
    int *restrict av = arg + (size_t)VL * v * planeOut + q;
    UNROLL for (int l = 0; l < VL; l++) {
      ov[(size_t)l * planeOut] = m[l];
      av[(size_t)l * planeOut] = idx[l];
    }
  }
}

typedef void (*pm_train_fn)(int, const int *, const float *, int, const float *, int, int, const float *, float *,
                            int *, int, int, int, int);
#define PM_TRAIN_FN(V, N)                                                                                         \
  static void pm_train##V##_##N(int K, const int *koff, const float *wT, int OC, const float *bias, int rowStep,  \
                                int colStep, const float *origin, float *out, int *arg, int planeOut, int argBase, \
                                int planeConv, int Wc) {                                                          \
    pm_train_tile(V, N, K, koff, wT, OC, bias, rowStep, colStep, origin, out, arg, planeOut, argBase, planeConv,  \
                  Wc);                                                                                            \
  }
PM_TRAIN_FN(1, 1)
PM_TRAIN_FN(1, 2)
PM_TRAIN_FN(1, 3)
PM_TRAIN_FN(1, 4)
PM_TRAIN_FN(2, 1)
PM_TRAIN_FN(2, 2)
PM_TRAIN_FN(3, 1)
PM_TRAIN_FN(4, 1)
static const pm_train_fn pm_train_tiles[5][5] = {{0},
                                                 {0, pm_train1_1, pm_train1_2, pm_train1_3, pm_train1_4},
                                                 {0, pm_train2_1, pm_train2_2, 0, 0},
                                                 {0, pm_train3_1, 0, 0, 0},
                                                 {0, pm_train4_1, 0, 0, 0}};

/* pixel_major_conv_pool (conv-pool-impl.h) with switches; a tile spans `tileWindows` / ocv pool windows (4 here,
 * 2 in the wasm build, whose 4-lane vectors have half the registers' worth of accumulators) */
static void pm_train_conv_pool(const Conv *s, const PoolGeom *g, const float *inp, const float *w, const float *bias,
                               float *out, int *arg, int tileWindows) {
  const int OC = s->outC, K = s->inC * s->kH * s->kW, ocv = pixel_major_chunk(OC), win = tileWindows / ocv;
  PixelMajor m;
  pixel_major_prepare(s, (2 * g->oH - 1) * s->sH + s->kH, (2 * g->oW - 1) * s->sW + s->kW,
                      pixel_major_scratch(s, g), w, 0, &m);
  const size_t outSize = (size_t)OC * g->oH * g->oW;
  const int planeOut = g->oH * g->oW, planeConv = s->outH * s->outW;
  for (int n = 0; n < s->batch; n++) {
    pixel_major_pad(s, &m, inp, n);
    float *o = out + n * outSize;
    int *a = arg + n * outSize;
    for (int py = 0; py < g->oH; py++)
      for (int px = 0; px < g->oW; px += win) {
        const int nwin = g->oW - px < win ? g->oW - px : win;
        const float *origin = m.padded + (size_t)(2 * py * s->sH) * m.Wp + 2 * px * s->sW;
        for (int c0 = 0; c0 < OC; c0 += ocv * VL) {
          const size_t at = (size_t)c0 * planeOut + py * g->oW + px;
          const int argBase = (n * OC + c0) * planeConv + 2 * py * s->outW + 2 * px;
          pm_train_tiles[ocv][nwin](K, m.koff, m.wT + wt_chunk_offset(c0, K, OC), wt_block_width(OC),
                                    bias ? bias + c0 : 0, s->sH * m.Wp, s->sW, origin, o + at, a + at, planeOut,
                                    argBase, planeConv, s->outW);
        }
      }
  }
}

void NAME(conv2d_relu_maxpool_train)(const Conv *s, const PoolGeom *g, const float *inp, const float *w,
                                     const float *bias, float *out, int *arg) {
  if (rows_applies(s, g)) { /* few taps (conv-pool-rows-impl.h) */
    rows_conv_pool(s, g, inp, w, bias, out, arg);
    return;
  }
  if (pixel_major_applies(s, g)) {
#if VL == 8
    pm8_conv_pool(s, g, inp, w, 0, bias, out, arg); /* conv-pool-pm8-impl.h */
#else
    pm_train_conv_pool(s, g, inp, w, bias, out, arg, 4);
#endif
    return;
  }
  /* per image: the conv into scratch (in cache), then the pool with switches from there */
  Conv one = *s;
  one.batch = 1;
  const size_t convScratch = NAME(conv2d_forward_scratch)(&one);
  float *img = scratch_floats(NAME(conv2d_relu_maxpool_forward_scratch)(s, g)) + convScratch;
  const size_t inSize = (size_t)s->inC * s->inH * s->inW, outSize = (size_t)s->outC * g->oH * g->oW;
  const int convSize = s->outC * s->outH * s->outW;
  for (int n = 0; n < s->batch; n++) {
    NAME(conv2d_forward)(&one, inp + n * inSize, w, bias, img, 1);
    int *a = arg + n * outSize;
    NAME(maxpool_forward)(1, s->outC, s->outH, s->outW, g->pH, g->pW, g->sH, g->sW, g->oH, g->oW, img,
                          out + n * outSize, a);
    for (size_t j = 0; j < outSize; j++) a[j] += n * convSize;
  }
}
