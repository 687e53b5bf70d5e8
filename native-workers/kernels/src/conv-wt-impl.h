/*
 * Inference only: conv2d + ReLU, optionally followed by a max pool, with the weights ALSO given transposed by the
 * caller, wT[k][oc] for k = (ic·kH + ky)·kW + kx, in blocks of 32 output channels (wt_block_width in
 * conv-pool-impl.h; native-workers/cnn/inference-plan.ts keeps them next to its folded weights and rewrites them
 * only when the parameters change). Part of kernels-impl.h, after conv-pool-impl.h.
 *
 * The pixel-major paths (output channels along the vector, one broadcast input value per pixel and tap) need Wᵀ;
 * transposing it per call (K·OC strided reads) costs as much as the whole convolution of one image on the deep
 * layers, so conv2d_relu_maxpool_forward takes that path only from enough pixels per weight, and conv2d_forward
 * never. Given Wᵀ:
 *   - with a 2×2/2 pool: the pixel-major pool path at every batch size (batch 1 included);
 *   - without a pool (the large preset's conv-conv stages, its last 3×3 map): blocks of ny rows × nx columns of
 *     output pixels × 2 vectors of output channels (ny·nx ≤ 12: 24 accumulators; per tap 2 weight loads and
 *     ny·nx broadcasts), the ReLU in registers, no garbage columns (the shifted-planes path computes Wp/outW of
 *     the work) and, on maps of at most 12 pixels, every weight read once per image.
 * Anything else falls back to the ops that take W (same results up to summation order).
 */

/* Output pixels per block (× 2 vectors of channels = 24 accumulators of the 32 zmm registers). */
#define WT_BLOCK_PIXELS 12

/*
 * The no-pool block path: AVX-512, stride 1, output channels in multiples of 2·VL, a chunk's Wᵀ bounded; where the
 * batch-interleaved path takes the batch (whole chunks of NB images share every weight load), only on rows of ≥ 8
 * pixels (stored transposed). Batch 32, CPU ms, interleaved → blocks: 64→128 on 12×12 3.94 → 3.60; on 6×6
 * 128→256 3.74 → 3.94, on 3×3 256→256 2.00 → 2.39.
 */
static int wt_block_applies(const Conv *s) {
  const long K = (long)s->inC * s->kH * s->kW;
  return VL == 16 && s->outC % (2 * VL) == 0 && s->sH == 1 && s->sW == 1 && K * 2 * VL <= PIXEL_MAJOR_MAX_WEIGHTS &&
         (!use_ilv(s) || s->outW >= 8);
}

/* The block of one image: nx = min(outW, 12) columns, as many rows as fit 12 pixels. */
static inline void wt_block_shape(const Conv *s, int *ny, int *nx) {
  *nx = s->outW < WT_BLOCK_PIXELS ? s->outW : WT_BLOCK_PIXELS;
  const int rows = WT_BLOCK_PIXELS / *nx;
  *ny = s->outH < rows ? s->outH : rows;
}


/* ny × nx output pixels (rows rowStep apart in the padded planes) × 2·VL channels, ReLU, stored NCHW. */
STATIC void wt_block_tile(const int ny, const int nx, int K, const int *restrict koff, const float *restrict wT,
                          int OC /* the stride of wT's rows */, const float *bias, int rowStep, const float *restrict origin, float *restrict out,
                          int planeOut, int outW) {
  vf acc[WT_BLOCK_PIXELS][2];
  UNROLL for (int p = 0; p < ny * nx; p++) UNROLL for (int v = 0; v < 2; v++) acc[p][v] =
      bias ? vld(bias + VL * v) : (vf){0};
  for (int k = 0; k < K; k++) {
    const vf w0 = vld(wT + (size_t)k * OC), w1 = vld(wT + (size_t)k * OC + VL);
    const float *src = origin + koff[k];
    UNROLL for (int y = 0; y < ny; y++) UNROLL for (int x = 0; x < nx; x++) {
      const vf xv = vsplat(src[y * rowStep + x]);
      acc[y * nx + x][0] = MADD(xv, w0, acc[y * nx + x][0]);
      acc[y * nx + x][1] = MADD(xv, w1, acc[y * nx + x][1]);
    }
  }
#if VL == 16
  if (ny == 1 && nx >= 8) {
    /* a row of nx ≥ 8 pixels: transposed in registers (block-transpose-impl.h), each channel's nx outputs stored
     * at once (the lane-by-lane stores below cost about 6 % of a 64→128 conv on 12×12) */
    UNROLL for (int v = 0; v < 2; v++) {
      vf r[16];
      UNROLL for (int x = 0; x < 16; x++) r[x] = x < nx ? vmax0(acc[x][v]) : (vf){0};
      transpose16(r);
      UNROLL for (int l = 0; l < VL; l++) __builtin_memcpy(out + (size_t)(VL * v + l) * planeOut, &r[l], nx * 4);
    }
    return;
  }
#endif
  UNROLL for (int y = 0; y < ny; y++) UNROLL for (int x = 0; x < nx; x++) UNROLL for (int v = 0; v < 2; v++) {
    const vf r = vmax0(acc[y * nx + x][v]);
    for (int l = 0; l < VL; l++) out[(size_t)(VL * v + l) * planeOut + y * outW + x] = r[l];
  }
}

typedef void (*wt_block_fn)(int, const int *, const float *, int, const float *, int, const float *, float *, int,
                            int);
#define WT_BLOCK_FN(Y, X)                                                                                         \
  static void wt_block##Y##_##X(int K, const int *koff, const float *wT, int OC, const float *bias, int rowStep,   \
                                const float *origin, float *out, int planeOut, int outW) {                        \
    wt_block_tile(Y, X, K, koff, wT, OC, bias, rowStep, origin, out, planeOut, outW);                             \
  }
#if VL == 16
WT_BLOCK_FN(1, 1) WT_BLOCK_FN(2, 1) WT_BLOCK_FN(3, 1) WT_BLOCK_FN(4, 1) WT_BLOCK_FN(5, 1) WT_BLOCK_FN(6, 1)
WT_BLOCK_FN(7, 1) WT_BLOCK_FN(8, 1) WT_BLOCK_FN(9, 1) WT_BLOCK_FN(10, 1) WT_BLOCK_FN(11, 1) WT_BLOCK_FN(12, 1)
WT_BLOCK_FN(1, 2) WT_BLOCK_FN(2, 2) WT_BLOCK_FN(3, 2) WT_BLOCK_FN(4, 2) WT_BLOCK_FN(5, 2) WT_BLOCK_FN(6, 2)
WT_BLOCK_FN(1, 3) WT_BLOCK_FN(2, 3) WT_BLOCK_FN(3, 3) WT_BLOCK_FN(4, 3)
WT_BLOCK_FN(1, 4) WT_BLOCK_FN(2, 4) WT_BLOCK_FN(3, 4)
WT_BLOCK_FN(1, 5) WT_BLOCK_FN(2, 5)
WT_BLOCK_FN(1, 6) WT_BLOCK_FN(2, 6)
WT_BLOCK_FN(1, 7) WT_BLOCK_FN(1, 8) WT_BLOCK_FN(1, 9) WT_BLOCK_FN(1, 10) WT_BLOCK_FN(1, 11) WT_BLOCK_FN(1, 12)
/* wt_blocks[nx][ny] for ny · nx ≤ 12 (what wt_block_shape picks) */
static const wt_block_fn wt_blocks[13][13] = {
    {0},
    {0, wt_block1_1, wt_block2_1, wt_block3_1, wt_block4_1, wt_block5_1, wt_block6_1, wt_block7_1, wt_block8_1,
     wt_block9_1, wt_block10_1, wt_block11_1, wt_block12_1},
    {0, wt_block1_2, wt_block2_2, wt_block3_2, wt_block4_2, wt_block5_2, wt_block6_2},
    {0, wt_block1_3, wt_block2_3, wt_block3_3, wt_block4_3},
    {0, wt_block1_4, wt_block2_4, wt_block3_4},
    {0, wt_block1_5, wt_block2_5},
    {0, wt_block1_6, wt_block2_6},
    {0, wt_block1_7},
    {0, wt_block1_8},
    {0, wt_block1_9},
    {0, wt_block1_10},
    {0, wt_block1_11},
    {0, wt_block1_12}};
#endif

/* Floats of scratch of the block path: the padded planes of one image, (an unused Wᵀ slot), the tap offsets. */
static size_t wt_block_scratch(const Conv *s) {
  const size_t K = (size_t)s->inC * s->kH * s->kW;
  return (size_t)s->inC * (s->outH + s->kH - 1) * (s->outW + s->kW - 1) + K * s->outC + K + 64;
}

/* Blocks of ny × nx pixels; the last block of a row or column overlaps the one before (same values rewritten). */
static void wt_block_conv(const Conv *s, const float *inp, const float *wT, const float *bias, float *out) {
#if VL == 16
  int ny, nx;
  wt_block_shape(s, &ny, &nx);
  const int OC = s->outC, K = s->inC * s->kH * s->kW, OH = s->outH, OW = s->outW, planeOut = OH * OW;
  PixelMajor m;
  pixel_major_prepare(s, OH + s->kH - 1, OW + s->kW - 1, wt_block_scratch(s), 0, wT, &m);
  const wt_block_fn tile = wt_blocks[nx][ny];
  for (int n = 0; n < s->batch; n++) {
    pixel_major_pad(s, &m, inp, n);
    float *o = out + (size_t)n * OC * planeOut;
    for (int y0 = 0; y0 < OH; y0 += ny) {
      const int y = y0 + ny > OH ? OH - ny : y0;
      for (int x0 = 0; x0 < OW; x0 += nx) {
        const int x = x0 + nx > OW ? OW - nx : x0;
        for (int c0 = 0; c0 < OC; c0 += 2 * VL)
          tile(K, m.koff, m.wT + (size_t)c0 * K, 2 * VL, bias ? bias + c0 : 0, m.Wp, m.padded + (size_t)y * m.Wp + x,
               o + (size_t)c0 * planeOut + y * OW + x, planeOut, OW);
      }
    }
  }
#else
  (void)s, (void)inp, (void)wT, (void)bias, (void)out;
#endif
}

/* Floats of scratch NAME(conv2d_relu_forward_wt) asks for (g null: no pool). */
size_t NAME(conv2d_relu_forward_wt_scratch)(const Conv *s, const PoolGeom *g) {
  if (g)
    return pixel_major_fits(s, g) && !rows_applies(s, g) ? pixel_major_scratch(s, g)
                                                         : NAME(conv2d_relu_maxpool_forward_scratch)(s, g);
  return wt_block_applies(s) ? wt_block_scratch(s) : NAME(conv2d_forward_scratch)(s);
}

/* conv + ReLU (+ the max pool g unless null) of w, given also as wT (blocked); see the top of this file. */
void NAME(conv2d_relu_forward_wt)(const Conv *s, const PoolGeom *g, const float *inp, const float *w,
                                  const float *wT, const float *bias, float *out) {
  if (g) {
    /* few taps: over rows (conv-pool-rows-impl.h, inside conv2d_relu_maxpool_forward) */
    if (pixel_major_fits(s, g) && !rows_applies(s, g)) pixel_major_conv_pool(s, g, inp, w, wT, bias, out);
    else NAME(conv2d_relu_maxpool_forward)(s, g, inp, w, bias, out);
    return;
  }
  if (wt_block_applies(s)) wt_block_conv(s, inp, wT, bias, out);
  else NAME(conv2d_forward)(s, inp, w, bias, out, 1);
}
