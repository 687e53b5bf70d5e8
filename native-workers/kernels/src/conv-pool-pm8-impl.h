/*
 * AVX2 (VL 8, 16 ymm registers): the pixel-major conv + ReLU + 2×2/2 max pool of conv-pool-impl.h, with or without
 * the pool's switches. The AVX-512 tile (4 pixels of a window × 2·VL channels × 3 windows = 24 accumulators) does
 * not fit 16 registers, and the tiles that do fit a whole number of windows are either short of accumulators
 * (1 window × 2 vectors: 8, one FMA latency's worth) or of loads (3 windows × 1 vector: 13 loads per 12 FMAs), and
 * ran no faster than the shifted planes. Here a tile is 6 conv pixels of ONE row × 2 vectors (16 channels):
 * 12 accumulators, per tap 2 weight loads and 6 broadcasts for 12 FMAs. Its ReLU'd values go to a small buffer
 * holding two conv rows × 16 channels (L1), from which the pool takes each window's first maximum (row-major,
 * strict >) and, for training, its switch. Sums run from the bias over the taps in order, like the other tiles,
 * so values and switches are conv2d_forward's then maxpool_forward's bit for bit.
 * Part of kernels-impl.h, after conv-pool-impl.h (PixelMajor, wT blocks) and before conv-pool-train-impl.h.
 */
#if VL == 8
#define PM8_PIXELS 6
#define PM8_CH 16 /* channels per tile: 2 vectors */

/* Floats of the row buffer: two conv rows of 2·oW pixels × 16 channels. */
static size_t pm8_buf_floats(const PoolGeom *g) { return (size_t)2 * 2 * g->oW * PM8_CH + 16; }

/* np ≤ 6 conv pixels of one row (colStep apart) × 16 channels, ReLU'd into buf[pixel][16]. */
STATIC void pm8_tile(const int np, int K, const int *restrict koff, const float *restrict wT, int ldw,
                     const float *bias, int colStep, const float *restrict origin, float *restrict buf) {
  vf acc[PM8_PIXELS][2];
  UNROLL for (int p = 0; p < np; p++) UNROLL for (int v = 0; v < 2; v++) acc[p][v] =
      bias ? vld(bias + VL * v) : (vf){0};
  for (int k = 0; k < K; k++) {
    const vf w0 = vld(wT + (size_t)k * ldw), w1 = vld(wT + (size_t)k * ldw + VL);
    const float *src = origin + koff[k];
    UNROLL for (int p = 0; p < np; p++) {
      const vf x = vsplat(src[p * colStep]);
      acc[p][0] = MADD(x, w0, acc[p][0]);
      acc[p][1] = MADD(x, w1, acc[p][1]);
    }
  }
  UNROLL for (int p = 0; p < np; p++) UNROLL for (int v = 0; v < 2; v++) vst(buf + p * PM8_CH + VL * v,
                                                                            vmax0(acc[p][v]));
}

typedef void (*pm8_fn)(int, const int *, const float *, int, const float *, int, const float *, float *);
#define PM8_FN(N)                                                                                                 \
  static void pm8_tile##N(int K, const int *koff, const float *wT, int ldw, const float *bias, int colStep,        \
                          const float *origin, float *buf) {                                                      \
    pm8_tile(N, K, koff, wT, ldw, bias, colStep, origin, buf);                                                    \
  }
PM8_FN(1) PM8_FN(2) PM8_FN(3) PM8_FN(4) PM8_FN(5) PM8_FN(6)
static const pm8_fn pm8_tiles[PM8_PIXELS + 1] = {0, pm8_tile1, pm8_tile2, pm8_tile3, pm8_tile4, pm8_tile5, pm8_tile6};

/* The windows of one pooled row from the two buffered conv rows (top, bottom: Wc pixels each); out, arg point at
 * channel c0's plane at the row's first window. */
static void pm8_pool_row(const float *restrict top, const float *restrict bottom, int nw, float *restrict out,
                         int *restrict arg, int planeOut, int argBase, int planeConv, int Wc) {
  vi lanes;
  UNROLL for (int l = 0; l < VL; l++) lanes[l] = l;
  for (int q = 0; q < nw; q++) UNROLL for (int v = 0; v < 2; v++) {
    const int o = 2 * q * PM8_CH + VL * v;
    const vf px[4] = {vld(top + o), vld(top + o + PM8_CH), vld(bottom + o), vld(bottom + o + PM8_CH)};
    vf m = px[0];
    vi at = (vi){0};
    UNROLL for (int p = 1; p < 4; p++) {
      const vi gt = px[p] > m;
      m = (vf)(((vi)px[p] & gt) | ((vi)m & ~gt));
      at = ((p - (vi){0}) & gt) | (at & ~gt);
    }
    float *restrict ov = out + (size_t)VL * v * planeOut + q;
    UNROLL for (int l = 0; l < VL; l++) ov[(size_t)l * planeOut] = m[l];
    if (arg) {
      const vi idx = (argBase + 2 * q + VL * v * planeConv) + lanes * planeConv + (at >> 1) * Wc + (at & 1);
      int *restrict av = arg + (size_t)VL * v * planeOut + q;
      UNROLL for (int l = 0; l < VL; l++) av[(size_t)l * planeOut] = idx[l];
    }
  }
}

/* pixel_major_conv_pool's geometry (wT null: transposed here), with switches into arg unless null. */
static void pm8_conv_pool(const Conv *s, const PoolGeom *g, const float *inp, const float *w, const float *wT,
                          const float *bias, float *out, int *arg) {
  const int OC = s->outC, K = s->inC * s->kH * s->kW, Wc = 2 * g->oW, ldw = wt_block_width(OC);
  PixelMajor m;
  const size_t total = pixel_major_scratch(s, g);
  pixel_major_prepare(s, (2 * g->oH - 1) * s->sH + s->kH, (2 * g->oW - 1) * s->sW + s->kW, total, w, wT, &m);
  float *buf = m.padded + (total - pm8_buf_floats(g));
  const size_t outSize = (size_t)OC * g->oH * g->oW;
  const int planeOut = g->oH * g->oW, planeConv = s->outH * s->outW;
  const int tiles = (Wc + PM8_PIXELS - 1) / PM8_PIXELS, tw = Wc / tiles, wide = Wc % tiles;
  for (int n = 0; n < s->batch; n++) {
    pixel_major_pad(s, &m, inp, n);
    for (int py = 0; py < g->oH; py++)
      for (int c0 = 0; c0 < OC; c0 += PM8_CH) {
        const float *wc = m.wT + wt_chunk_offset(c0, K, OC);
        for (int r = 0; r < 2; r++) {
          const float *row = m.padded + (size_t)(2 * py + r) * s->sH * m.Wp;
          /* tiles of as even widths as fit 6 (14 pixels: 5 + 5 + 4, not 6 + 6 + 2 with a 4-accumulator tail) */
          for (int t = 0, x0 = 0; t < tiles; x0 += tw + (t < wide), t++) {
            const int np = tw + (t < wide);
            pm8_tiles[np](K, m.koff, wc, ldw, bias ? bias + c0 : 0, s->sW, row + x0 * s->sW,
                          buf + (size_t)(r * Wc + x0) * PM8_CH);
          }
        }
        const size_t at = (n * outSize) + (size_t)c0 * planeOut + py * g->oW;
        pm8_pool_row(buf, buf + (size_t)Wc * PM8_CH, g->oW, out + at, arg ? arg + at : 0, planeOut,
                     (n * OC + c0) * planeConv + 2 * py * s->outW, planeConv, s->outW);
      }
  }
}
#endif
