/*
 * Convolution forward without im2col ("shifted planes", phase planes at stride 2) and batched im2col + GEMM.
 * Part of kernels-impl.h (included in order; same VL, vf, MADD, MR and NAME).
 */
/*
 * Stride-1 forward without im2col ("shifted planes"): copy the image into a zero-padded buffer of Hp = outH+kH−1
 * rows by Wp = outW+kW−1 columns per channel, and compute the output over Wp columns per row (the last kW−1 of
 * each row are garbage, dropped when copying out). Output pixel q = oy·Wp + ox then reads, for tap (ic, ky, kx),
 * padded[ic·Hp·Wp + ky·Wp + kx + q]: every row of the implicit col matrix is the padded image shifted by a
 * constant (koff[k]), so the GEMM tile reads its B operand straight from the padded image (L1-resident) instead
 * of a materialised K×P col matrix. Costs Wp/outW extra work (16/14 on the reference CNN's conv2). Used when
 * Wp ≤ 2·outW (use_direct), also for stride 2 (phase planes, see pad_image); deep inputs on small maps in whole
 * chunks of NB images take the batch-interleaved variant (conv_forward_ilv), the rest batched im2col + GEMM.
 * The tile's accumulators start at the bias; `relu` applies max(0, ·) before the store (fused epilogue).
 */
STATIC void dtile_gen(const int mr, const int nv, int K, const int *restrict koff, const float *restrict A, int lda,
                      const float *restrict B, float *restrict C, int ldc, const float *bias, int relu) {
  vf c[8][2];
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int v = 0; v < nv; v++) c[i][v] = vsplat(bias ? bias[i] : 0.f);
  for (int k = 0; k < K; k++) {
    const float *Bk = B + koff[k];
    vf b[2];
    UNROLL for (int v = 0; v < nv; v++) b[v] = vld(Bk + VL * v);
    UNROLL for (int i = 0; i < mr; i++) {
      const vf a = vsplat(A[i * lda + k]);
      UNROLL for (int v = 0; v < nv; v++) c[i][v] = MADD(a, b[v], c[i][v]);
    }
  }
  if (relu) UNROLL for (int i = 0; i < mr; i++) UNROLL for (int v = 0; v < nv; v++) c[i][v] = vmax0(c[i][v]);
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int v = 0; v < nv; v++) vst(C + i * ldc + VL * v, c[i][v]);
}

typedef void (*dtile_fn)(int, const int *, const float *, int, const float *, float *, int, const float *, int);
#define DTILE_FN(R, NV)                                                                                           \
  static void dtile##R##_##NV(int K, const int *koff, const float *A, int lda, const float *B, float *C, int ldc, \
                              const float *bias, int relu) {                                                      \
    dtile_gen(R, NV, K, koff, A, lda, B, C, ldc, bias, relu);                                      \
  }
#define DTILE_FNS(NV)                                                                                             \
  DTILE_FN(1, NV) DTILE_FN(2, NV) DTILE_FN(3, NV) DTILE_FN(4, NV) DTILE_FN(5, NV) DTILE_FN(6, NV) DTILE_FN(7, NV) \
  DTILE_FN(8, NV)                                                                                                 \
  static const dtile_fn dtiles_##NV[9] = {0,           dtile1_##NV, dtile2_##NV, dtile3_##NV, dtile4_##NV,       \
                                          dtile5_##NV, dtile6_##NV, dtile7_##NV, dtile8_##NV};
DTILE_FNS(1)
DTILE_FNS(2)

static void dtile_rows(int M, int K, const int *koff, const float *A, int lda, const float *B, float *C, int ldc,
                       const float *bias, int relu, const dtile_fn *f) {
  for (int i = 0; i < M; i += MR) {
    const int r = M - i < MR ? M - i : MR;
    f[r](K, koff, A + i * lda, lda, B, C + i * ldc, ldc, bias ? bias + i : 0, relu);
  }
}

#if VL == 8
/* AVX2 forward: 6 output channels per tile instead of MR 4, 12 of the 16 ymm registers as accumulators (2 loads
 * and 6 broadcasts per 12 multiply-adds against 2 and 4 per 8; medium preset 64→128 @12 and 128→128 @6 at
 * batch 32: 5–20 % faster). dtile_rows (MR rows) stays for the backward's dx (acc) and the other builds. */
#define DIRECT_FWD_ROWS 6
static void dtile_rows_fwd(int M, int K, const int *koff, const float *A, int lda, const float *B, float *C, int ldc,
                           const float *bias, int relu, const dtile_fn *f, int acc) {
  /* few taps (the photo presets' stem, K 27) measured 5–8 % slower with 6 rows: the tile's setup and stores weigh
   * more there than the loads saved */
  if (acc || K < 64) {
    dtile_rows(M, K, koff, A, lda, B, C, ldc, bias, relu, f);
    return;
  }
  for (int i = 0, r; i < M; i += r) {
    /* the last 7 to 9 rows as two tiles of 3 to 5 rather than 6 and a tile of 1 to 3 (32 channels: 6,6,6,6,4,4) */
    const int left = M - i;
    r = left <= DIRECT_FWD_ROWS ? left : left < 10 ? (left + 1) / 2 : DIRECT_FWD_ROWS;
    f[r](K, koff, A + i * lda, lda, B, C + i * ldc, ldc, bias ? bias + i : 0, relu);
  }
}
#else
#define dtile_rows_fwd(M, K, koff, A, lda, B, C, ldc, bias, relu, f, acc)                                       \
  dtile_rows(M, K, koff, A, lda, B, C, ldc, bias, relu, f)
#endif

/* ph = 1 plane per channel at stride 1, 4 at stride 2 (phase planes, see pad_image); Hp × Wp each. */
typedef struct {
  int ph, Hp, Wp, Q, Qr, padded, tmp;
} Direct;

static void direct_geometry(const Conv *s, Direct *d) {
  d->ph = s->sH * s->sW;
  d->Hp = s->outH + (s->kH - 1) / s->sH;
  d->Wp = s->outW + (s->kW - 1) / s->sW;
  d->Q = s->outH * d->Wp;
  d->Qr = (d->Q + VL - 1) / VL * VL;
  /* the last tap of the last column block reads up to Hp·Wp + (Qr − Q) + kW − 2 past a plane's start */
  d->padded = (s->inC * d->ph * d->Hp * d->Wp + (d->Qr - d->Q) + s->kW + VL + 15) & ~15;
  d->tmp = s->outC * d->Qr;
}

static int use_direct(const Conv *s) {
  return s->sH == s->sW && s->sH <= 2 && !col_is_identity(s) && s->outW + (s->kW - 1) / s->sW <= 2 * s->outW;
}

static void direct_offsets(const Conv *s, const Direct *d, int *koff) {
  for (int ic = 0, k = 0; ic < s->inC; ic++)
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++, k++) {
        const int plane = ic * d->ph + (ky % s->sH) * s->sW + kx % s->sW;
        koff[k] = (plane * d->Hp + ky / s->sH) * d->Wp + kx / s->sW;
      }
}

/* padded ← img (zero padding written once by the caller). Stride 2 (the photo presets' stem): the padded image is
 * split into 2×2 phase planes, plane (py, px) holding padded pixels (2y + py, 2x + px); output pixel (oy, ox) of
 * tap (ky, kx) then reads plane (ky mod 2, kx mod 2) at (oy + ky div 2, ox + kx div 2): shifted planes again, with
 * Wp = outW + 1 (49/48 of the work at 96 px) and no im2col. */
static void pad_image(const Conv *s, const Direct *d, const float *restrict img, float *restrict padded) {
  const int sH = s->sH, sW = s->sW;
  /* stride 1: whole rows */
  if (sH == 1 && sW == 1) {
    const int plane = d->Hp * d->Wp;
    const int iy0 = s->padT < 0 ? -s->padT : 0, ix0 = s->padL < 0 ? -s->padL : 0;
    int iy1 = d->Hp - s->padT, ix1 = d->Wp - s->padL;
    if (iy1 > s->inH) iy1 = s->inH;
    if (ix1 > s->inW) ix1 = s->inW;
    if (ix1 <= ix0) return;
    for (int ic = 0; ic < s->inC; ic++)
      for (int iy = iy0; iy < iy1; iy++)
        __builtin_memcpy(padded + ic * plane + (iy + s->padT) * d->Wp + s->padL + ix0,
                         img + (ic * s->inH + iy) * s->inW + ix0, (size_t)(ix1 - ix0) * 4);
    return;
  }
  /* columns x of phase px with ix = x·sW + px − padL inside the image */
  int x0[2], x1[2];
  for (int px = 0; px < sW; px++) {
    const int lo = s->padL - px, hi = s->inW - 1 + s->padL - px;
    x0[px] = lo > 0 ? (lo + sW - 1) / sW : 0;
    x1[px] = hi < 0 ? 0 : hi / sW + 1;
    if (x1[px] > d->Wp) x1[px] = d->Wp;
    if (x0[px] > x1[px]) x0[px] = x1[px];
  }
  for (int ic = 0; ic < s->inC; ic++)
    for (int py = 0; py < sH; py++)
      for (int y = 0; y < d->Hp; y++) {
        const int iy = y * sH + py - s->padT;
        if (iy < 0 || iy >= s->inH) continue;
        const float *restrict line = img + (ic * s->inH + iy) * s->inW;
        float *restrict row = padded + ((ic * d->ph + py * sW) * d->Hp + y) * d->Wp;
        /* both phases from the same loads where both are inside, the ends one by one */
        float *restrict odd = row + d->Hp * d->Wp;
        const int a = x0[0] > x0[1] ? x0[0] : x0[1], b = x1[0] < x1[1] ? x1[0] : x1[1];
        for (int px = 0; px < 2; px++) {
          float *restrict r = px ? odd : row;
          const int e = a < x1[px] ? a : x1[px], f = b > x0[px] ? b : x0[px];
          for (int x = x0[px]; x < e; x++) r[x] = line[2 * x + px - s->padL];
          for (int x = f; x < x1[px]; x++) r[x] = line[2 * x + px - s->padL];
        }
        if (a < b) split_even_odd(row + a, odd + a, line + 2 * a - s->padL, b - a);
      }
}

static size_t conv_forward_direct_scratch(const Conv *s) {
  Direct d;
  direct_geometry(s, &d);
  return (size_t)d.padded + d.tmp + s->inC * s->kH * s->kW + 16;
}

/* acc = 1: out += conv (dinp in backward); bias and relu then must be off. */
static void conv_forward_direct(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                                float *scratch, int relu, int acc) {
  Direct d;
  direct_geometry(s, &d);
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW, OC = s->outC;
  const int inSize = s->inC * s->inH * s->inW, outSize = OC * P;
  float *padded = scratch, *tmp = scratch + d.padded;
  int *koff = (int *)(tmp + d.tmp);
  direct_offsets(s, &d, koff);
  __builtin_memset(padded, 0, (size_t)d.padded * 4);
  for (int n = 0; n < s->batch; n++) {
    pad_image(s, &d, inp + (size_t)n * inSize, padded);
    int j = 0;
    for (; j + 2 * VL <= d.Qr; j += 2 * VL)
      dtile_rows_fwd(OC, K, koff, w, K, padded + j, tmp + j, d.Qr, bias, relu, dtiles_2, acc);
    for (; j < d.Qr; j += VL)
      dtile_rows_fwd(OC, K, koff, w, K, padded + j, tmp + j, d.Qr, bias, relu, dtiles_1, acc);
    float *o = out + (size_t)n * outSize;
    for (int oc = 0; oc < OC; oc++)
      for (int oy = 0; oy < s->outH; oy++) {
        const float *src = tmp + oc * d.Qr + oy * d.Wp;
        float *dst = o + (oc * s->outH + oy) * s->outW;
        if (acc)
          for (int ox = 0; ox < s->outW; ox++) dst[ox] += src[ox];
        else
          __builtin_memcpy(dst, src, (size_t)s->outW * 4);
      }
  }
}

/* images per chunk of the batch-interleaved convolution (conv_forward_ilv): one vector = one pixel of NB images */
#define NB VL

/*
 * Batched im2col ("col over a chunk of images"), for what neither the shifted planes nor the interleaved path
 * takes (strides ≥ 3 or mixed, wide kernels on tiny maps; small-map backward below a whole chunk of NB images or
 * with channel counts that are not whole vectors; the stride-2 dx): the col matrices of nb images side by side,
 * col[K × nb·P], so that one GEMM covers the chunk, out[OC × nb·P] = W · col (long rows even on 3×3 maps). The
 * chunk keeps col about L2-sized (COL_FLOATS). Backward over the same chunk:
 *   dWᵀ[K × OC] += col · doutᵀ (a GEMM whose inner dimension is the chunk's pixels: no horizontal sums),
 *   dcol[K × nb·P] = Wᵀ · dout, dx += col2im(dcol) (dcol reuses col's memory, after dW).
 */
#define COL_FLOATS (1 << 18)

typedef struct {
  int K, P, nb, Lr; /* taps, pixels per image, images per chunk, chunk columns rounded up to VL */
} Batched;

static void batched_geometry(const Conv *s, Batched *b) {
  b->K = s->inC * s->kH * s->kW;
  b->P = s->outH * s->outW;
  const size_t per = (size_t)b->K * b->P;
  size_t nb = COL_FLOATS / (per ? per : 1);
  if (nb < 1) nb = 1;
  if (nb > (size_t)s->batch) nb = (size_t)s->batch;
  b->nb = (int)nb;
  b->Lr = (b->nb * b->P + VL - 1) / VL * VL;
}

static size_t batched_forward_scratch(const Conv *s) {
  Batched b;
  batched_geometry(s, &b);
  return ((size_t)b.K + s->outC) * b.Lr + 32;
}

static void conv_forward_batched(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                                 int relu) {
  Batched b;
  batched_geometry(s, &b);
  const int K = b.K, P = b.P, OC = s->outC;
  const int inSize = s->inC * s->inH * s->inW, outSize = OC * P;
  float *col = scratch_floats(batched_forward_scratch(s)), *tmp = col + (size_t)K * b.Lr + 16;
  for (int n0 = 0; n0 < s->batch; n0 += b.nb) {
    const int m = s->batch - n0 < b.nb ? s->batch - n0 : b.nb, Lr = (m * P + VL - 1) / VL * VL;
    for (int i = 0; i < m; i++) im2col(s, inp + (size_t)(n0 + i) * inSize, col + i * P, Lr);
    /* the rounding columns: any finite value (their outputs are dropped) */
    for (int k = 0; k < K; k++)
      for (int l = m * P; l < Lr; l++) col[k * Lr + l] = 0.f;
    gemm(OC, Lr, K, w, K, col, Lr, tmp, Lr, 0);
    for (int i = 0; i < m; i++)
      for (int oc = 0; oc < OC; oc++) {
        const float *restrict src = tmp + oc * Lr + i * P;
        float *restrict dst = out + (size_t)(n0 + i) * outSize + oc * P;
        const float b0 = bias ? bias[oc] : 0.f;
        if (relu)
          for (int p = 0; p < P; p++) {
            const float v = src[p] + b0;
            dst[p] = v > 0.f ? v : 0.f;
          }
        else
          for (int p = 0; p < P; p++) dst[p] = src[p] + b0;
      }
  }
}
