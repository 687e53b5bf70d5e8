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
/* the backward GEMMs */
#define GEMM_BWD gemm_tall8
#else
#define GEMM_BWD gemm
#endif
