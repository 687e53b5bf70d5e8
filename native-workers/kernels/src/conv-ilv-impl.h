/*
 * The batch-interleaved convolution, forward and backward: one vector = one pixel of NB images (deep inputs, small maps).
 * Part of kernels-impl.h (included in order; same VL, vf, MADD, MR and NAME).
 */
typedef struct {
  int Hp, Wp, X, T; /* padded rows and columns, floats of X and of T */
} Ilv;

static void ilv_geometry(const Conv *s, Ilv *g) {
  g->Hp = s->outH + s->kH - 1;
  g->Wp = s->outW + s->kW - 1;
  g->X = s->inC * g->Hp * g->Wp * NB;
  g->T = s->outC * s->outH * s->outW * NB;
}

/* Measured (AVX-512, batch 32, 3×3): forward on ≥ 24×24 maps is faster per image by the shifted planes; backward
 * gains down to K = 144 and, at 16 lanes, up to 24×24 (AVX2 loses there). Forward at K = 144..287 on ≤ 16-wide
 * maps gains too on AVX-512 and AVX2 (since the layout changes are block transposes on AVX-512; conv 16→32 at 14×14
 * with ReLU, batch 64: 0.75 → 0.65 ms, AVX2 1.50 → 1.38 ms; 24→24 at 8×8, batch 32: 0.17 → 0.12 ms); the 4-lane
 * builds (SSE, NEON, wasm) keep 288, not measured there. */
#define ILV_MIN_K (VL == 4 ? 288 : 144)
#define ILV_MAX_W 16
#define ILV_BWD_MIN_K 144
#define ILV_BWD_MAX_W (VL == 16 ? 32 : 16)
/* output pixels (× NB images) of a dW row block: its slice of D for one channel tile stays in L1 */
#define ILV_DW_PIXELS 256

/* Where it beats the per-image shifted planes: deep inputs, small maps (measured; see the README). */
static int use_ilv(const Conv *s) {
  return s->sH == 1 && s->sW == 1 && !col_is_identity(s) && s->batch >= NB && s->inC * s->kH * s->kW >= ILV_MIN_K &&
         s->outW <= ILV_MAX_W;
}

static void ilv_offsets(const Conv *s, const Ilv *g, int *koff) {
  for (int ic = 0, k = 0; ic < s->inC; ic++)
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++, k++) koff[k] = ((ic * g->Hp + ky) * g->Wp + kx) * NB;
}

/* X ← the NB images at img (zero padding); X must be zeroed once (the padding is never written). */
static void ilv_fill(const Conv *s, const Ilv *g, const float *restrict img, float *restrict X) {
  const int inSize = s->inC * s->inH * s->inW;
  const int iy0 = s->padT < 0 ? -s->padT : 0, ix0 = s->padL < 0 ? -s->padL : 0;
  int iy1 = g->Hp - s->padT, ix1 = g->Wp - s->padL;
  if (iy1 > s->inH) iy1 = s->inH;
  if (ix1 > s->inW) ix1 = s->inW;
  for (int ic = 0; ic < s->inC; ic++)
    for (int iy = iy0; iy < iy1; iy++) {
      float *restrict row = X + ((ic * g->Hp + iy + s->padT) * g->Wp + s->padL) * NB;
#if HAS_BLOCK_TRANSPOSE
      /* the NB images' rows as a block (reading up to 16 floats of each, within its image), then the tail */
      const int at = (ic * s->inH + iy) * s->inW;
      int bx = ix0;
      for (; bx < ix1 && at + bx + VL <= inSize; bx += VL)
        transpose_block16(img + at + bx, (size_t)inSize, row + bx * NB, NB, ix1 - bx < VL ? ix1 - bx : VL, 0);
      if (bx >= ix1) continue;
#else
      const int bx = ix0;
#endif
      for (int n = 0; n < NB; n++) {
        const float *restrict src = img + (size_t)n * inSize + (ic * s->inH + iy) * s->inW;
        for (int ix = bx; ix < ix1; ix++) row[ix * NB + n] = src[ix];
      }
    }
}

static size_t ilv_forward_scratch(const Conv *s) {
  Ilv g;
  ilv_geometry(s, &g);
  return (size_t)g.X + g.T + s->inC * s->kH * s->kW + 48;
}

/* out (+)= conv of the first batch/NB·NB images (acc: no bias, no relu). */
static void conv_forward_ilv(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                             float *scratch, int relu, int acc) {
  Ilv g;
  ilv_geometry(s, &g);
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW, OC = s->outC, rowLen = s->outW * NB;
  const int inSize = s->inC * s->inH * s->inW, outSize = OC * P;
  float *X = scratch, *T = X + g.X + 16;
  int *koff = (int *)(T + g.T + 16);
  ilv_offsets(s, &g, koff);
  __builtin_memset(X, 0, (size_t)g.X * 4);
  for (int n0 = 0; n0 + NB <= s->batch; n0 += NB) {
    ilv_fill(s, &g, inp + (size_t)n0 * inSize, X);
    for (int oy = 0; oy < s->outH; oy++) {
      const float *Xr = X + oy * g.Wp * NB;
      float *Tr = T + oy * rowLen;
      int j = 0;
      for (; j + 2 * VL <= rowLen; j += 2 * VL)
        dtile_rows_fwd(OC, K, koff, w, K, Xr + j, Tr + j, P * NB, bias, relu, dtiles_2, acc);
      for (; j < rowLen; j += VL)
        dtile_rows_fwd(OC, K, koff, w, K, Xr + j, Tr + j, P * NB, bias, relu, dtiles_1, acc);
    }
    /* T is the transpose of the chunk's outputs: row r = oc·P + p holds the NB images' values, and image n's
     * output is the contiguous run out_n[r]. Blocks of 64 rows (4 KiB of T at 16 lanes) keep the strided reads
     * in L1 and give long contiguous writes even on 3×3 maps. */
    const int R = OC * P;
#if HAS_BLOCK_TRANSPOSE
    /* 16 rows of T at a time are image n's 16 consecutive outputs (lane n of each): a block transpose */
    int r16 = 0;
    for (; r16 + VL <= R; r16 += VL)
      transpose_block16(T + (size_t)r16 * NB, NB, out + (size_t)n0 * outSize + r16, (size_t)outSize, NB, acc);
#elif VL == 8
    /* AVX2, forward only (acc is the backward's dx): 8 rows of T are image n's 8 consecutive outputs */
    int r16 = 0;
    if (!acc)
      for (; r16 + VL <= R; r16 += VL)
        for (int n = 0; n < NB; n += 8)
          transpose_block8(T + (size_t)r16 * NB + n, NB, out + (size_t)(n0 + n) * outSize + r16,
                           (size_t)outSize, 8, 0);
#else
    const int r16 = 0;
#endif
    for (int r0 = r16; r0 < R; r0 += 64) {
      const int r1 = R - r0 < 64 ? R : r0 + 64;
      for (int n = 0; n < NB; n++) {
        const float *restrict t = T + n;
        float *restrict d = out + (size_t)(n0 + n) * outSize;
        if (acc)
          for (int r = r0; r < r1; r++) d[r] += t[(size_t)r * NB];
        else
          for (int r = r0; r < r1; r++) d[r] = t[(size_t)r * NB];
      }
    }
  }
}

/* dWᵀ tile: MR taps × nv·VL output channels, summed over the chunk's pixels. */
STATIC void wtile_gen(const int mr, const int nv, int rows, int rowLen, int xStride, const int *restrict koff,
                      const float *restrict X, const float *restrict D, int OC, float *restrict C) {
  vf c[8][2];
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int v = 0; v < nv; v++) c[i][v] = vld(C + i * OC + VL * v);
  const float *Xi[8];
  UNROLL for (int i = 0; i < mr; i++) Xi[i] = X + koff[i];
  for (int r = 0; r < rows; r++) {
    const float *Dr = D + (size_t)r * rowLen * OC;
    const int xo = r * xStride;
    for (int t = 0; t < rowLen; t++) {
      vf b[2];
      UNROLL for (int v = 0; v < nv; v++) b[v] = vld(Dr + t * OC + VL * v);
      UNROLL for (int i = 0; i < mr; i++) {
        const vf a = vsplat(Xi[i][xo + t]);
        UNROLL for (int v = 0; v < nv; v++) c[i][v] = MADD(a, b[v], c[i][v]);
      }
    }
  }
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int v = 0; v < nv; v++) vst(C + i * OC + VL * v, c[i][v]);
}

typedef void (*wtile_fn)(int, int, int, const int *, const float *, const float *, int, float *);
#define WTILE_FN(R, NV)                                                                                           \
  static void wtile##R##_##NV(int rows, int rowLen, int xStride, const int *koff, const float *X, const float *D, \
                              int OC, float *C) {                                                                 \
    wtile_gen(R, NV, rows, rowLen, xStride, koff, X, D, OC, C);                                                   \
  }
#define WTILE_FNS(NV)                                                                                             \
  WTILE_FN(1, NV) WTILE_FN(2, NV) WTILE_FN(3, NV) WTILE_FN(4, NV) WTILE_FN(5, NV) WTILE_FN(6, NV) WTILE_FN(7, NV) \
  WTILE_FN(8, NV)                                                                                                 \
  static const wtile_fn wtiles_##NV[9] = {0,           wtile1_##NV, wtile2_##NV, wtile3_##NV, wtile4_##NV,       \
                                          wtile5_##NV, wtile6_##NV, wtile7_##NV, wtile8_##NV};
WTILE_FNS(1)
WTILE_FNS(2)

#include "conv-backward8-impl.h" /* AVX2: 8×8 block transposes, the dx convolutions in taller tiles */

/* taps per dW tile: 6 × 2 vectors = 12 accumulators at 8 lanes (16 registers), MR elsewhere */
#define ILV_DW_TAPS (VL == 8 ? 6 : MR)

/* dW needs whole vectors of output channels; dx is the flipped-kernel convolution (interleaved or shifted planes) */
static int use_ilv_backward(const Conv *s) {
  if (s->sH != 1 || s->sW != 1 || s->batch < NB || col_is_identity(s) || s->outC % VL) return 0;
  Conv t;
  dinp_conv(s, &t);
  return s->inC * s->kH * s->kW >= ILV_BWD_MIN_K && s->outW <= ILV_BWD_MAX_W && (use_ilv(&t) || use_direct(&t));
}

static size_t ilv_backward_scratch(const Conv *s) {
  Ilv g;
  ilv_geometry(s, &g);
  Conv t;
  dinp_conv(s, &t);
  const size_t K = (size_t)s->inC * s->kH * s->kW;
  /* X, D, dWᵀ, koff, flipped kernel, then the dx convolution's */
  const size_t a = use_ilv(&t) ? ilv_forward_scratch(&t) : conv_forward_direct_scratch(&t);
  return (size_t)g.X + g.T + 2 * K * s->outC + K + 96 + a;
}

static void conv_backward_ilv(const Conv *s, const float *inp, const float *w, const float *dout, float *dinp,
                              float *dw, float *dbias) {
  Ilv g;
  ilv_geometry(s, &g);
  Conv t;
  dinp_conv(s, &t);
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW, OC = s->outC, rowLen = s->outW * NB;
  const int inSize = s->inC * s->inH * s->inW, outSize = OC * P;
  float *X = scratch_floats(ilv_backward_scratch(s));
  float *D = X + g.X + 16, *dWT = D + g.T + 16, *wF = dWT + (size_t)K * OC + 16;
  int *koff = (int *)(wF + (size_t)K * OC + 16);
  float *rest = (float *)(koff + K + 16);
  ilv_offsets(s, &g, koff);
  __builtin_memset(X, 0, (size_t)g.X * 4);
  __builtin_memset(dWT, 0, (size_t)K * OC * 4);
  const int whole = s->batch / NB * NB;
  for (int n0 = 0; n0 < whole; n0 += NB) {
#if VL == 8
    ilv8_fill(s, &g, inp + (size_t)n0 * inSize, X);
    ilv8_fill_d(OC, P, dout + (size_t)n0 * outSize, D);
#else
    ilv_fill(s, &g, inp + (size_t)n0 * inSize, X);
    /* contiguous writes; the OC lines read per image are reused over 16 consecutive pixels from L1 */
    for (int n = 0; n < NB; n++) {
      const float *restrict dn = dout + (size_t)(n0 + n) * outSize;
#if HAS_BLOCK_TRANSPOSE
      /* 16 channels × 16 pixels as a block (OC is a multiple of VL here), reading within the image */
      int p16 = 0;
      for (; p16 < P && (OC - 1) * P + p16 + VL <= outSize; p16 += VL)
        for (int oc = 0; oc < OC; oc += VL)
          transpose_block16(dn + (size_t)oc * P + p16, P, D + ((size_t)p16 * NB + n) * OC + oc, (size_t)NB * OC,
                            P - p16 < VL ? P - p16 : VL, 0);
#else
      const int p16 = 0;
#endif
      for (int p = p16; p < P; p++) {
        float *restrict d = D + ((size_t)p * NB + n) * OC;
        for (int oc = 0; oc < OC; oc++) d[oc] = dn[oc * P + p];
      }
    }
#endif
    /* blocks of output rows whose D slice of one channel tile (2·VL channels) stays in L1 while every tap tile
     * passes over it */
    int rb = (ILV_DW_PIXELS) / rowLen;
    if (rb < 1) rb = 1;
    for (int y0 = 0; y0 < s->outH; y0 += rb) {
      const int rows = s->outH - y0 < rb ? s->outH - y0 : rb;
      const float *Xb = X + y0 * g.Wp * NB, *Db = D + (size_t)y0 * rowLen * OC;
      for (int j = 0; j < OC; j += 2 * VL) {
        const wtile_fn *f = OC - j >= 2 * VL ? wtiles_2 : wtiles_1;
        for (int k = 0; k < K; k += ILV_DW_TAPS) {
          const int taps = K - k < ILV_DW_TAPS ? K - k : ILV_DW_TAPS;
          f[taps](rows, rowLen, g.Wp * NB, koff + k, Xb, Db + j, OC, dWT + k * OC + j);
        }
      }
    }
  }
  add_transposed(K, OC, dWT, dw);
  if (dbias)
    for (int n = 0; n < whole; n++) bias_grad(OC, P, dout + (size_t)n * outSize, dbias);
  if (dinp) {
    flip_kernel(s, w, wF);
    if (use_ilv(&t)) {
#if VL == 8
      ilv8_dx(&t, dout, wF, dinp, rest);
#else
      conv_forward_ilv(&t, dout, wF, 0, dinp, rest, 0, 1);
#endif
    } else {
      t.batch = whole;
      DIRECT_DX(&t, dout, wF, dinp, rest);
    }
  }
}
