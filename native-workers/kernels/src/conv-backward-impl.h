/*
 * NAME(conv2d_backward): dW by shifted planes or batched GEMM, dx by the flipped-kernel convolution; whole chunks of NB images interleaved (conv-ilv-impl.h).
 * Part of kernels-impl.h (included in order; same VL, vf, MADD, MR and NAME).
 */
#include "gemm-tall8-impl.h" /* AVX2: GEMM_BWD, gemm with 6-row tiles (gemm elsewhere) */
/*
 * dW by shifted planes: dW[oc][k] += Σ_q doutP[oc][q] · padded[koff[k] + q], where doutP is the image's dout laid
 * out with the padded row length Wp and ZEROS in the garbage columns (so they add nothing). Tile: MR rows of doutP
 * × NR taps, VL-lane partial sums along q, one horizontal sum per dW element and image.
 * dinp is the stride-1 "full" correlation of dout with the flipped, transposed kernel (dinp_conv): the forward
 * path above, accumulating.
 */
STATIC void ntd_gen(const int mr, const int nr, int Q, const float *restrict A, int lda, const float *restrict B,
                    const int *restrict koff, float *restrict C, int ldc) {
  const float *Bj[3];
  UNROLL for (int j = 0; j < nr; j++) Bj[j] = B + koff[j];
  vf s[4][3];
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int j = 0; j < nr; j++) s[i][j] = (vf){0};
  for (int q = 0; q < Q; q += VL) {
    vf b[3];
    UNROLL for (int j = 0; j < nr; j++) b[j] = vld(Bj[j] + q);
    UNROLL for (int i = 0; i < mr; i++) {
      const vf a = vld(A + i * lda + q);
      UNROLL for (int j = 0; j < nr; j++) s[i][j] = MADD(a, b[j], s[i][j]);
    }
  }
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int j = 0; j < nr; j++) C[i * ldc + j] += vsum(s[i][j]);
}

typedef void (*ntd_fn)(int, const float *, int, const float *, const int *, float *, int);
#define NTD_FN(R, NR)                                                                                             \
  static void ntd##R##_##NR(int Q, const float *A, int lda, const float *B, const int *koff, float *C, int ldc) {  \
    ntd_gen(R, NR, Q, A, lda, B, koff, C, ldc);                                                                  \
  }
#define NTD_FNS(NR)                                                                                               \
  NTD_FN(1, NR) NTD_FN(2, NR) NTD_FN(3, NR) NTD_FN(4, NR)                                                         \
  static const ntd_fn ntds_##NR[5] = {0, ntd1_##NR, ntd2_##NR, ntd3_##NR, ntd4_##NR};
NTD_FNS(1)
NTD_FNS(2)
NTD_FNS(3)

static void ntd_rows(int M, int Q, const float *A, int lda, const float *B, const int *koff, float *C, int ldc,
                     const ntd_fn *f) {
  for (int i = 0; i < M; i += 4) {
    const int r = M - i < 4 ? M - i : 4;
    f[r](Q, A + i * lda, lda, B, koff, C + i * ldc, ldc);
  }
}

static void dinp_conv(const Conv *s, Conv *t) {
  *t = (Conv){s->batch, s->outC, s->outH, s->outW, s->inC, s->kH, s->kW, 1, 1,
              s->kH - 1 - s->padT, s->kW - 1 - s->padL, s->inH, s->inW};
}

static int use_direct_backward(const Conv *s) {
  Conv t;
  dinp_conv(s, &t);
  return use_direct(s) && (s->sH != 1 || use_direct(&t));
}

/* the dx part of conv_backward_direct: the flipped-kernel convolution (stride 1) or batched col2im (stride 2) */
static size_t direct_dinp_scratch(const Conv *s);

static void bias_grad(int OC, int P, const float *d, float *dbias) {
  for (int oc = 0; oc < OC; oc++) {
    const float *r = d + oc * P;
    /* VL partial sums (a scalar sum is a serial chain of P dependent adds) */
    vf acc = (vf){0};
    int p = 0;
    for (; p + VL <= P; p += VL) acc += vld(r + p);
    float sum = vsum(acc);
    for (; p < P; p++) sum += r[p];
    dbias[oc] += sum;
  }
}

/* Scratch of the direct backward besides the dinp convolution's: padded image, doutP, koff, flipped kernel. */
static size_t direct_backward_own_scratch(const Conv *s) {
  Direct d;
  direct_geometry(s, &d);
  const size_t K = (size_t)s->inC * s->kH * s->kW;
  return (size_t)d.padded + (size_t)s->outC * d.Qr + K + K * s->outC + 64;
}

static size_t batched_backward_scratch(const Conv *s) {
  Batched b;
  batched_geometry(s, &b);
  const size_t K = b.K, OC = s->outC;
  /* col (= dcol), doutT [OC × Lr], doutPM [Lr × OC], dWᵀ and Wᵀ [K × OC] */
  return K * b.Lr + 2 * OC * b.Lr + 2 * K * OC + 64;
}

static size_t direct_dinp_scratch(const Conv *s) {
  Conv t;
  dinp_conv(s, &t);
  return s->sH == 1 ? conv_forward_direct_scratch(&t) : batched_backward_scratch(s);
}

/* dw may be null (the stride-2 dx of conv_backward_direct); scratch: batched_backward_scratch(s) floats */
static void conv_backward_batched(const Conv *s, const float *inp, const float *w, const float *dout, float *dinp,
                                  float *dw, float *dbias, float *col) {
  Batched b;
  batched_geometry(s, &b);
  const int K = b.K, P = b.P, OC = s->outC;
  const int inSize = s->inC * s->inH * s->inW, outSize = OC * P;
  float *doutT = col + (size_t)K * b.Lr + 16, *doutPM = doutT + (size_t)OC * b.Lr + 16;
  float *dWT = doutPM + (size_t)OC * b.Lr + 16, *wT = dWT + (size_t)K * OC;
  __builtin_memset(dWT, 0, (size_t)K * OC * 4);
  if (dinp) transpose(OC, K, w, wT);
  for (int n0 = 0; n0 < s->batch; n0 += b.nb) {
    const int m = s->batch - n0 < b.nb ? s->batch - n0 : b.nb, L = m * P, Lr = (L + VL - 1) / VL * VL;
    for (int i = 0; i < m; i++) im2col(s, inp + (size_t)(n0 + i) * inSize, col + i * P, Lr);
    for (int oc = 0; oc < OC; oc++) {
      float *row = doutT + oc * Lr;
      for (int i = 0; i < m; i++) __builtin_memcpy(row + i * P, dout + (size_t)(n0 + i) * outSize + oc * P, (size_t)P * 4);
      for (int l = L; l < Lr; l++) row[l] = 0.f;
    }
    if (dw) {
      for (int oc = 0; oc < OC; oc++)
        for (int l = 0; l < L; l++) doutPM[l * OC + oc] = doutT[oc * Lr + l];
      GEMM_BWD(K, OC, L, col, Lr, doutPM, OC, dWT, OC, 1);
    }
    if (dbias) bias_grad(OC, Lr, doutT, dbias);
    if (dinp) {
      GEMM_BWD(K, Lr, OC, wT, OC, doutT, Lr, col, Lr, 0);
      for (int i = 0; i < m; i++) col2im(s, col + i * P, dinp + (size_t)(n0 + i) * inSize, Lr);
    }
  }
  if (dw)
    add_transposed(K, OC, dWT, dw);
}

/*
 * Batch-interleaved stride-1 convolution, for whole chunks of NB = VL images: each chunk is laid out as
 * X[ic][yp][xp][n] (zero-padded Hp = outH+kH−1 rows, Wp = outW+kW−1 columns, the NB images innermost), so that
 * one vector is one pixel of NB images and output pixel (oy, ox) of tap (ic, ky, kx) reads the vector at
 * koff[k] + (oy·Wp + ox)·NB with koff[k] = ic·Hp·Wp·NB + (ky·Wp + kx)·NB. A row of outW pixels is then outW·NB
 * contiguous floats: the tiles never compute the padding columns (no Wp/outW waste, unlike the per-image shifted
 * planes) and need no im2col, so 6×6 and 3×3 maps get full-width tiles.
 *   forward: T[oc][(oy·outW + ox)·NB + n] = the dtile GEMM above over each output row, then T → NCHW;
 *   dx: the same on dout with the flipped, transposed kernel (dinp_conv), accumulating;
 *   dWᵀ[k][oc] += Σ_q X[koff[k] + x(q)] · D[q][oc] over q = (oy, ox, n), D = dout with oc innermost: a GEMM whose
 *   inner dimension is the chunk's pixels (no horizontal sums), its A broadcast straight from X.
 * The images past the last whole chunk take the per-image paths.
 */

#if VL == 8
/* conv-backward8-impl.h (included by conv-ilv-impl.h, after this file): the shifted-planes dx in 6-row tiles */
static void direct8_dx(const Conv *t, const float *dout, const float *wF, float *dinp, float *scratch);
#define DIRECT_DX(t, dout, wF, dinp, scratch) direct8_dx(t, dout, wF, dinp, scratch)
#else
#define DIRECT_DX(t, dout, wF, dinp, scratch) conv_forward_direct(t, dout, wF, 0, dinp, scratch, 0, 1)
#endif

/* Defined in conv-ilv-impl.h (included after this file). */
static int use_ilv_backward(const Conv *s);
static size_t ilv_backward_scratch(const Conv *s);
static void conv_backward_ilv(const Conv *s, const float *inp, const float *w, const float *dout, float *dinp,
                              float *dw, float *dbias);

/* Per image, the shifted planes' dW (dot products along q, a horizontal sum per image) loses to the batched GEMM
 * on small maps (measured: 12×12 and below); the stem (stride 2, 48×48) stays here. */
#define DIRECT_BACKWARD_MIN_P 196
static int backward_direct(const Conv *s) {
  return use_direct_backward(s) && s->outH * s->outW >= DIRECT_BACKWARD_MIN_P;
}

static size_t plain_backward_scratch(const Conv *s) {
  const size_t K = (size_t)s->inC * s->kH * s->kW;
  if (col_is_identity(s)) return K * s->outC + 32;
  if (!backward_direct(s)) return batched_backward_scratch(s);
  return direct_backward_own_scratch(s) + direct_dinp_scratch(s);
}

static void conv_backward_direct(const Conv *s, const float *inp, const float *w, const float *dout, float *dinp,
                                 float *dw, float *dbias) {
  Direct d;
  direct_geometry(s, &d);
  Conv t;
  dinp_conv(s, &t);
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW, OC = s->outC;
  const int inSize = s->inC * s->inH * s->inW, outSize = OC * P;
  const size_t own = direct_backward_own_scratch(s);
  float *padded = scratch_floats(own + direct_dinp_scratch(s));
  float *doutP = padded + d.padded;
  int *koff = (int *)(doutP + OC * d.Qr);
  float *wF = (float *)koff + K;
  float *rest = padded + own;
  direct_offsets(s, &d, koff);
  __builtin_memset(padded, 0, (size_t)d.padded * 4);
  __builtin_memset(doutP, 0, (size_t)OC * d.Qr * 4);
  for (int n = 0; n < s->batch; n++) {
    const float *dn = dout + (size_t)n * outSize;
    pad_image(s, &d, inp + (size_t)n * inSize, padded);
    for (int oc = 0; oc < OC; oc++)
      for (int oy = 0; oy < s->outH; oy++)
        __builtin_memcpy(doutP + oc * d.Qr + oy * d.Wp, dn + (oc * s->outH + oy) * s->outW, (size_t)s->outW * 4);
    int j = 0;
    /* 4×3 tiles keep 12 accumulators + 4 operands: all 16 registers of SSE / wasm, where V8 then spills */
    if (VL > 4)
      for (; j + 3 <= K; j += 3) ntd_rows(OC, d.Qr, doutP, d.Qr, padded, koff + j, dw + j, K, ntds_3);
    for (; j + 2 <= K; j += 2) ntd_rows(OC, d.Qr, doutP, d.Qr, padded, koff + j, dw + j, K, ntds_2);
    if (K - j == 1) ntd_rows(OC, d.Qr, doutP, d.Qr, padded, koff + j, dw + j, K, ntds_1);
    if (dbias) bias_grad(OC, P, dn, dbias);
  }
  if (dinp && s->sH != 1) {
    conv_backward_batched(s, inp, w, dout, dinp, 0, 0, rest);
  } else if (dinp) {
    flip_kernel(s, w, wF);
    DIRECT_DX(&t, dout, wF, dinp, rest);
  }
}

static void conv_backward_plain(const Conv *s, const float *inp, const float *w, const float *dout, float *dinp,
                                float *dw, float *dbias) {
  if (!col_is_identity(s)) {
    if (backward_direct(s))
      conv_backward_direct(s, inp, w, dout, dinp, dw, dbias);
    else
      conv_backward_batched(s, inp, w, dout, dinp, dw, dbias, scratch_floats(batched_backward_scratch(s)));
    return;
  }
  /* 1×1 stride 1: the image is its own col matrix, per image */
  const int K = s->inC, P = s->outH * s->outW, OC = s->outC;
  float *wT = scratch_floats(plain_backward_scratch(s));
  const int outSize = OC * P;
  if (dinp) transpose(OC, K, w, wT);
  for (int n = 0; n < s->batch; n++) {
    const float *img = inp + (size_t)n * K * P, *dn = dout + (size_t)n * outSize;
    gemm_nt(OC, K, P, dn, P, img, P, dw, K, 1);
    if (dbias) bias_grad(OC, P, dn, dbias);
    if (dinp) gemm(K, P, OC, wT, OC, dn, P, dinp + (size_t)n * K * P, P, 1);
  }
}

/* The images past the last whole chunk of NB (conv_backward_ilv), or all of them. */
static void tail_conv_backward(const Conv *s, Conv *r) {
  *r = *s;
  r->batch = use_ilv_backward(s) ? s->batch % NB : s->batch;
}

/* Floats of scratch NAME(conv2d_backward) asks for. */
size_t NAME(conv2d_backward_scratch)(const Conv *s) {
  Conv r;
  tail_conv_backward(s, &r);
  const size_t a = use_ilv_backward(s) ? ilv_backward_scratch(s) : 0, b = r.batch ? plain_backward_scratch(&r) : 0;
  return a > b ? a : b;
}

void NAME(conv2d_backward)(const Conv *s, const float *inp, const float *w, const float *dout, float *dinp, float *dw,
                           float *dbias) {
  Conv r;
  tail_conv_backward(s, &r);
  if (use_ilv_backward(s)) conv_backward_ilv(s, inp, w, dout, dinp, dw, dbias);
  if (r.batch) {
    const size_t done = (size_t)(s->batch - r.batch), inSize = (size_t)s->inC * s->inH * s->inW;
    conv_backward_plain(&r, inp + done * inSize, w, dout + done * s->outC * s->outH * s->outW,
                        dinp ? dinp + done * inSize : 0, dw, dbias);
  }
}
