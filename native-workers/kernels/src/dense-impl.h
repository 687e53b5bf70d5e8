/*
 * Dense forward as a register-tiled GEMM over the batch, and dense backward as two GEMMs (included by
 * kernels-impl.h after its GEMMs; same VL, vf, MADD and NAME as there).
 *
 * out[B×O] = inp[B×I] · W[O×I]ᵀ + bias. As dot products of contiguous rows (gemm_nt) every multiply-add needs
 * one load of each operand, so it runs at the speed of the loads (34 GFLOP/s on AVX-512 at the reference CNN's
 * 1568→128). Here the input is transposed once per call into Xt[I×Bp] (Bp = B rounded up to VL, zero lanes
 * beyond B): O(B·I) copies against O(B·I·O) multiply-adds. Then outᵀ = W · Xt with a DMR×(DNV·VL) tile: per k,
 * DNV vector loads of Xt and DMR broadcasts of W feed DMR·DNV multiply-adds. The tile's accumulators start at
 * the bias and are stored transposed into out (a few scalar stores per tile, against K multiply-adds each).
 * Small batches keep the dot products: there the weights dominate the traffic, and gemm_nt reads them once with
 * vector loads.
 */
#if VL == 16
#define DMR 6 /* 24 accumulators + 4 Xt vectors + 1 broadcast of 32 zmm registers */
#define DNV 4
#elif VL == 8
#define DMR 6 /* 12 accumulators + 2 + 1 of 16 ymm registers */
#define DNV 2
#else
#define DMR 4 /* 8 accumulators: V8 gives wasm 16 xmm registers (see MR in kernels-wasm.c) */
#define DNV 2
#endif
#if VL == 16
#define DROWS 4 /* dense_dot_gen: 16 partial sums + 4 input vectors + 1 weight vector */
#else
#define DROWS 2 /* 8 + 2 + 1 of 16 registers */
#endif

/* Small batches or few outputs keep gemm_nt: measured on AVX-512, the transpose pays from about 16 rows and 16
 * outputs (1568→128: 0.067 against 0.055 ms at batch 16, 0.0117 against 0.049 ms at batch 4; 128→10 at batch 64:
 * 0.0018 against 0.0040 ms). */
static int dense_uses_gemm(int B, int O) { return B >= 16 && O >= 16; }

STATIC void dense_tile_gen(const int mr, const int nv, int K, const float *restrict W, int ldw,
                           const float *restrict Xt, int ldx, const float *bias, int b0, int B, float *restrict out,
                           int O) {
  vf c[DMR][DNV];
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int v = 0; v < nv; v++) c[i][v] = vsplat(bias ? bias[i] : 0.f);
  for (int k = 0; k < K; k++) {
    vf x[DNV];
    UNROLL for (int v = 0; v < nv; v++) x[v] = vld(Xt + k * ldx + VL * v);
    UNROLL for (int i = 0; i < mr; i++) {
      const vf a = vsplat(W[i * ldw + k]);
      UNROLL for (int v = 0; v < nv; v++) c[i][v] = MADD(a, x[v], c[i][v]);
    }
  }
  /* c[i][v] lane l is out[b0 + VL·v + l][i]; lanes past the batch hold the zero padding's results */
  UNROLL for (int v = 0; v < nv; v++) for (int l = 0; l < VL && b0 + VL * v + l < B; l++) {
    float *row = out + (size_t)(b0 + VL * v + l) * O;
    UNROLL for (int i = 0; i < mr; i++) row[i] = c[i][v][l];
  }
}

typedef void (*dense_tile_fn)(int, const float *, int, const float *, int, const float *, int, int, float *, int);
#define DENSE_TILE_FN(R, NV)                                                                                      \
  static void dense_tile##R##_##NV(int K, const float *W, int ldw, const float *Xt, int ldx, const float *bias,   \
                                   int b0, int B, float *out, int O) {                                            \
    dense_tile_gen(R, NV, K, W, ldw, Xt, ldx, bias, b0, B, out, O);                                               \
  }
#define DENSE_TILE_ROWS(NV)                                                                                       \
  DENSE_TILE_FN(1, NV) DENSE_TILE_FN(2, NV) DENSE_TILE_FN(3, NV) DENSE_TILE_FN(4, NV) DENSE_TILE_FN(5, NV)        \
  DENSE_TILE_FN(6, NV)
DENSE_TILE_ROWS(1)
DENSE_TILE_ROWS(2)
#if DNV == 4
DENSE_TILE_ROWS(3)
DENSE_TILE_ROWS(4)
#endif
/* dense_tiles[nv][rows] */
static const dense_tile_fn dense_tiles[DNV + 1][7] = {
    {0},
    {0, dense_tile1_1, dense_tile2_1, dense_tile3_1, dense_tile4_1, dense_tile5_1, dense_tile6_1},
    {0, dense_tile1_2, dense_tile2_2, dense_tile3_2, dense_tile4_2, dense_tile5_2, dense_tile6_2},
#if DNV == 4
    {0, dense_tile1_3, dense_tile2_3, dense_tile3_3, dense_tile4_3, dense_tile5_3, dense_tile6_3},
    {0, dense_tile1_4, dense_tile2_4, dense_tile3_4, dense_tile4_4, dense_tile5_4, dense_tile6_4},
#endif
};

static int dense_padded_batch(int B) { return (B + VL - 1) / VL * VL; }

/* Floats of scratch NAME(dense_forward) asks for: the transposed, padded input. */
size_t NAME(dense_forward_scratch)(int B, int I, int O) {
  return dense_uses_gemm(B, O) ? (size_t)I * dense_padded_batch(B) + VL : 0;
}

/* Xt[k·Bp + b] = inp[b·I + k], zero for b ≥ B; in blocks of 16×16 so that both sides stay in cache lines. */
static void dense_transpose_input(int B, int I, const float *restrict inp, float *restrict Xt, int Bp) {
#if VL == 8
  /* whole 8×8 blocks in registers; then the columns past kv of those rows, and every column of the rows past bv
   * with the zero padding (as the 16-lane path below) */
  const int kv = B >= 8 ? I / 8 * 8 : 0, bv = kv ? B / 8 * 8 : 0;
  for (int b0 = 0; b0 < bv; b0 += 8)
    for (int k = 0; k < kv; k += 8)
      transpose_block8(inp + (size_t)b0 * I + k, (size_t)I, Xt + (size_t)k * Bp + b0, (size_t)Bp, 8, 0);
  for (int k = kv; k < I; k++)
    for (int b = 0; b < bv; b++) Xt[(size_t)k * Bp + b] = inp[(size_t)b * I + k];
  for (int k = 0; k < I; k++)
    for (int b = bv; b < Bp; b++) Xt[(size_t)k * Bp + b] = b < B ? inp[(size_t)b * I + k] : 0.f;
  return;
#endif
#if HAS_BLOCK_TRANSPOSE
  /* whole blocks of 16 rows in registers (reading 16 floats of each row, within the row); the rest below */
  int kv = 0;
  if (B >= VL) {
    kv = I / VL * VL;
    for (int b0 = 0; b0 + VL <= B; b0 += VL)
      for (int k = 0; k < kv; k += VL)
        transpose_block16(inp + (size_t)b0 * I + k, (size_t)I, Xt + (size_t)k * Bp + b0, (size_t)Bp, VL, 0);
  }
  const int bv = kv ? B / VL * VL : 0;
  /* the columns past kv for the block rows, then every column of the rows past bv (and the zero padding) */
  for (int k = kv; k < I; k++)
    for (int b = 0; b < bv; b++) Xt[(size_t)k * Bp + b] = inp[(size_t)b * I + k];
  for (int k = 0; k < I; k++)
    for (int b = bv; b < Bp; b++) Xt[(size_t)k * Bp + b] = b < B ? inp[(size_t)b * I + k] : 0.f;
  return;
#endif
  for (int b0 = 0; b0 < Bp; b0 += 16)
    for (int k0 = 0; k0 < I; k0 += 16) {
      const int b1 = b0 + 16 < Bp ? b0 + 16 : Bp, k1 = k0 + 16 < I ? k0 + 16 : I;
      for (int k = k0; k < k1; k++)
        for (int b = b0; b < b1; b++) Xt[(size_t)k * Bp + b] = b < B ? inp[(size_t)b * I + k] : 0.f;
    }
}

/*
 * Small batches: dot products of DROWS input rows against 4 weight rows at a time (DROWS × 4 partial sums), so that each weight vector loaded from memory feeds mr multiply-adds and 4 independent streams of weights
 * are in flight (the weights, read once, are all the traffic that matters here).
 */
STATIC void dense_dot_gen(const int mr, const int nr, int K, const float *restrict A, int lda, const float *restrict W,
                          int ldw, const float *bias, float *restrict C, int ldc) {
  vf s[DROWS][4];
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int j = 0; j < nr; j++) s[i][j] = (vf){0};
  int k = 0;
  for (; k + VL <= K; k += VL) {
    vf a[DROWS];
    UNROLL for (int i = 0; i < mr; i++) a[i] = vld(A + i * lda + k);
    UNROLL for (int j = 0; j < nr; j++) {
      const vf wj = vld(W + j * ldw + k);
      UNROLL for (int i = 0; i < mr; i++) s[i][j] = MADD(a[i], wj, s[i][j]);
    }
  }
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int j = 0; j < nr; j++) {
    float t = vsum(s[i][j]);
    for (int kk = k; kk < K; kk++) t += A[i * lda + kk] * W[j * ldw + kk];
    C[i * ldc + j] = bias ? bias[j] + t : t;
  }
}

typedef void (*dense_dot_fn)(int, const float *, int, const float *, int, const float *, float *, int);
#define DENSE_DOT_FN(R, NR)                                                                                       \
  static void dense_dot##R##_##NR(int K, const float *A, int lda, const float *W, int ldw, const float *bias,     \
                                  float *C, int ldc) {                                                            \
    dense_dot_gen(R, NR, K, A, lda, W, ldw, bias, C, ldc);                                                        \
  }
#if DROWS == 4
#define DENSE_DOT_ROWS(NR) DENSE_DOT_FN(1, NR) DENSE_DOT_FN(2, NR) DENSE_DOT_FN(3, NR) DENSE_DOT_FN(4, NR)
#define DENSE_DOT_ROW(NR) {0, dense_dot1_##NR, dense_dot2_##NR, dense_dot3_##NR, dense_dot4_##NR}
#else
#define DENSE_DOT_ROWS(NR) DENSE_DOT_FN(1, NR) DENSE_DOT_FN(2, NR)
#define DENSE_DOT_ROW(NR) {0, dense_dot1_##NR, dense_dot2_##NR}
#endif
DENSE_DOT_ROWS(1)
DENSE_DOT_ROWS(2)
DENSE_DOT_ROWS(3)
DENSE_DOT_ROWS(4)
/* dense_dots[nr][rows] */
static const dense_dot_fn dense_dots[5][DROWS + 1] = {
    {0}, DENSE_DOT_ROW(1), DENSE_DOT_ROW(2), DENSE_DOT_ROW(3), DENSE_DOT_ROW(4)};

static void dense_forward_dots(int B, int I, int O, const float *inp, const float *w, const float *bias, float *out) {
  for (int b = 0; b < B; b += DROWS) {
    const int r = B - b < DROWS ? B - b : DROWS;
    for (int o = 0; o < O; o += 4) {
      const int nr = O - o < 4 ? O - o : 4;
      dense_dots[nr][r](I, inp + (size_t)b * I, I, w + (size_t)o * I, I, bias ? bias + o : 0, out + (size_t)b * O + o,
                        O);
    }
  }
}

void NAME(dense_forward)(int B, int I, int O, const float *inp, const float *w, const float *bias, float *out) {
  if (!dense_uses_gemm(B, O)) {
    dense_forward_dots(B, I, O, inp, w, bias, out);
    return;
  }
  const int Bp = dense_padded_batch(B);
  float *Xt = scratch_floats(NAME(dense_forward_scratch)(B, I, O));
  dense_transpose_input(B, I, inp, Xt, Bp);
#if VL == 8
  /* weight rows outside, batch columns inside: the tile's DMR weight rows (37 KB at 1568 inputs) stay in cache
   * for every column block, and only Xt (400 KB at batch 64, in L2) is read again; batch columns outside read all
   * of W (800 KB) from L3 once per column block (0.38 against 0.43 ms at 1568→128, batch 64, on AVX2) */
  for (int o = 0; o < O; o += DMR) {
    const int r = O - o < DMR ? O - o : DMR;
    for (int j = 0; j < Bp; j += DNV * VL) {
      const int nv = (Bp - j) / VL < DNV ? (Bp - j) / VL : DNV;
      dense_tiles[nv][r](I, w + (size_t)o * I, I, Xt + j, Bp, bias ? bias + o : 0, j, B, out + o, O);
    }
  }
#else
  for (int j = 0; j < Bp; j += DNV * VL) {
    const int nv = (Bp - j) / VL < DNV ? (Bp - j) / VL : DNV;
    for (int o = 0; o < O; o += DMR) {
      const int r = O - o < DMR ? O - o : DMR;
      dense_tiles[nv][r](I, w + (size_t)o * I, I, Xt + j, Bp, bias ? bias + o : 0, j, B, out + o, O);
    }
  }
#endif
}

/* Floats of scratch NAME(dense_backward) asks for. */
size_t NAME(dense_backward_scratch)(int B, int O) { return (size_t)O * B; }

void NAME(dense_backward)(int B, int I, int O, const float *inp, const float *w, const float *dout, float *dinp,
                          float *dw, float *dbias) {
  float *doutT = scratch_floats(NAME(dense_backward_scratch)(B, O));
  transpose(B, O, dout, doutT);
  GEMM_BWD_WIDE(O, I, B, doutT, B, inp, I, dw, I, 1);
  if (dinp) GEMM_BWD(B, I, O, dout, O, w, I, dinp, I, 1);
  if (dbias)
    for (int b = 0; b < B; b++)
      for (int o = 0; o < O; o++) dbias[o] += dout[b * O + o];
}
