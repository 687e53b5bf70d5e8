/*
 * AVX2 (VL 8): gemm with taller register tiles, for the backward GEMMs (dense dW and dx, the batched conv backward).
 * gemm's MR = 4 rows × 2 vectors keep 8 accumulators: at two FMAs per cycle and a 4–5 cycle FMA latency that is
 * barely enough independent chains, and each B vector loaded feeds only 4 FMAs. Up to 6 rows (12 accumulators +
 * 2 B vectors + 1 broadcast = 15 of the 16 ymm registers) cover the latency. The tile is gemm's own tile_gen, and
 * every C element is the same chain of fused multiply-adds over k in the same order: bit for bit gemm's result.
 * Part of kernels-impl.h, included by conv-backward-impl.h (same VL, vf, MADD, MR and NAME).
 */
#if VL == 8
#define TALL8_MR 6

/* M rows in tiles of at most 6, as even as possible (e.g. 64 → 11 tiles of 6 or 5 rows, 16 → 6, 5, 5) */
static void tile_rows_tall8(int M, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc,
                            int acc, const tile_fn *f) {
  const int tiles = (M + TALL8_MR - 1) / TALL8_MR;
  for (int t = 0, i = 0; t < tiles; t++) {
    const int r = (M - i) / (tiles - t) + ((M - i) % (tiles - t) != 0);
    f[r](K, A + i * lda, lda, B, ldb, C + i * ldc, ldc, acc);
    i += r;
  }
}

/* gemm (gemm-impl.h) with the tiles above: C[M×N] (+)= A[M×K] · B[K×N] */
static void gemm_tall8(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc,
                       int acc) {
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = K - k0 < KC ? K - k0 : KC;
    const int a = acc || k0 > 0;
    const float *Ak = A + k0, *Bk = B + k0 * ldb;
    int j = 0;
    for (; j + 2 * VL <= N; j += 2 * VL) tile_rows_tall8(M, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a, tiles_2);
    for (; j + VL <= N; j += VL) tile_rows_tall8(M, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a, tiles_1);
    if (j < N) tile_scalar(M, N - j, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a);
  }
}
/*
 * gemm_tall8 with the loops swapped: each row tile sweeps every column before the next, so C is read and written
 * along its rows (prefetch-friendly) and the tile's rows of A stay in L1, while the strips of B come back from L2.
 * For a short K and a wide C that does not fit in L2: the dense backward's dW (128×1568 at the reference CNN, K =
 * the batch), where gemm_tall8's column strips touch each C row 64 bytes at a time, 6 KB apart. The same tiles and
 * the same chain per C element: bit for bit gemm's result.
 */
#define WIDE_NB 256 /* columns per block: a multiple of 2·VL */
static void gemm_rows_tall8(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc,
                            int acc) {
  const int tiles = (M + TALL8_MR - 1) / TALL8_MR;
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = K - k0 < KC ? K - k0 : KC;
    const int a = acc || k0 > 0;
    const float *Ak = A + k0, *Bk = B + k0 * ldb;
    for (int j0 = 0; j0 < N; j0 += WIDE_NB) {
      const int j1 = N - j0 < WIDE_NB ? N : j0 + WIDE_NB;
      for (int t = 0, i = 0; t < tiles; t++) {
        const int r = (M - i) / (tiles - t) + ((M - i) % (tiles - t) != 0);
        const float *Ai = Ak + i * lda;
        float *Ci = C + i * ldc;
        int j = j0;
        for (; j + 2 * VL <= j1; j += 2 * VL) tiles_2[r](kc, Ai, lda, Bk + j, ldb, Ci + j, ldc, a);
        for (; j + VL <= j1; j += VL) tiles_1[r](kc, Ai, lda, Bk + j, ldb, Ci + j, ldc, a);
        if (j < j1) tile_scalar(r, j1 - j, kc, Ai, lda, Bk + j, ldb, Ci + j, ldc, a);
        i += r;
      }
    }
  }
}
/* the backward GEMMs; GEMM_BWD_WIDE for a short K into a wide C (the dense dW) */
#define GEMM_BWD gemm_tall8
#define GEMM_BWD_WIDE gemm_rows_tall8
#else
#define GEMM_BWD gemm
#define GEMM_BWD_WIDE gemm
#endif
