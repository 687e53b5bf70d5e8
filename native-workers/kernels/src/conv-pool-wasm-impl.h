/*
 * WebAssembly only (included by kernels-wasm.c after kernels-impl.h): the pixel-major conv + ReLU + 2×2/2 max pool
 * of conv-pool-impl.h at 4 lanes, with a register budget for V8.
 *
 * The shared pixel-major path is gated to AVX-512 (16 accumulators of 32 zmm). Here the general path runs the
 * conv per image over Wp columns (16/14 of the work on the reference CNN's second conv, 30/28 on its first), stores
 * each tile, copies the rows out and pools in another pass; with few taps (the first conv: 9) those stores and
 * passes cost as much as the multiply-adds. Pixel-major computes the 4 conv pixels of a pool window × 2 vectors
 * of output channels (8 accumulators; V8 gives wasm 16 xmm registers and keeps one for itself, and a plain
 * multiply-add needs a temporary: larger tiles spill), ReLU and max in registers, and stores only pooled values.
 * Per tap: 2 weight vectors and 4 broadcasts for 8 multiply-adds, the same ratio as the 4×8 GEMM tile, without
 * the garbage columns and the copies. Sums run from the bias over the taps in order, like the shared path.
 */

/* Output channels in whole vectors, a 2×2/2 pool, and a chunk's Wᵀ (K × 8 floats) L1-sized. */
static int wasm_pixel_major_applies(const Conv *s, const PoolGeom *g) {
  if (s->outC % VL || g->pH != 2 || g->pW != 2 || g->sH != 2 || g->sW != 2) return 0;
  return (long)s->inC * s->kH * s->kW * 2 * VL <= 8 * 1024;
}

/* 2 vectors of channels × 1 window, or 1 vector × 2 windows: 8 accumulators either way. */
static void wasm_pixel_major_conv_pool(const Conv *s, const PoolGeom *g, const float *inp, const float *w,
                                       const float *bias, float *out) {
  const int OC = s->outC, K = s->inC * s->kH * s->kW, ocv = pixel_major_chunk(OC), win = 2 / ocv;
  PixelMajor m;
  pixel_major_prepare(s, (2 * g->oH - 1) * s->sH + s->kH, (2 * g->oW - 1) * s->sW + s->kW,
                      pixel_major_scratch(s, g), w, 0, &m);
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
          pixel_major_tiles[ocv][nwin](K, m.koff, m.wT + wt_chunk_offset(c0, K, OC), wt_block_width(OC),
                                       bias ? bias + c0 : 0, s->sH * m.Wp, s->sW, origin,
                                       o + (size_t)c0 * planeOut + py * g->oW + px, planeOut);
      }
  }
}

/* Training: the same tiles keeping the pool's switches (pm_train_conv_pool of conv-pool-train-impl.h, 8 accumulators
 * here too), for conv2d_relu_maxpool_train where wasm_pixel_major_applies. */
static void wasm_pixel_major_train(const Conv *s, const PoolGeom *g, const float *inp, const float *w,
                                   const float *bias, float *out, int *arg) {
  pm_train_conv_pool(s, g, inp, w, bias, out, arg, 2);
}
