/*
 * GEMMs: C (+)= A·B with an MR×(NV·VL) register tile, C (+)= A·Bᵀ as dot products, and a transpose.
 * Part of kernels-impl.h (included in order; same VL, vf, MADD, MR and NAME).
 */
/* ------------------------------------------------------------------------------------------------------------ */
/* GEMM: C[M×N] (+)= A[M×K] · B[K×N], row-major, vectorised over N, an MR×(NV·VL) tile of C in registers.        */
/* ------------------------------------------------------------------------------------------------------------ */

STATIC void tile_gen(const int mr, const int nv, int K, const float *restrict A, int lda, const float *restrict B,
                     int ldb, float *restrict C, int ldc, int acc) {
  vf c[8][2]; /* mr ≤ 8 rows are used; constant after inlining, so they live in registers */
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int v = 0; v < nv; v++) c[i][v] =
      acc ? vld(C + i * ldc + VL * v) : (vf){0};
  for (int k = 0; k < K; k++) {
    vf b[2];
    UNROLL for (int v = 0; v < nv; v++) b[v] = vld(B + k * ldb + VL * v);
    UNROLL for (int i = 0; i < mr; i++) {
      const vf a = vsplat(A[i * lda + k]);
      UNROLL for (int v = 0; v < nv; v++) c[i][v] = MADD(a, b[v], c[i][v]);
    }
  }
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int v = 0; v < nv; v++) vst(C + i * ldc + VL * v, c[i][v]);
}

typedef void (*tile_fn)(int, const float *, int, const float *, int, float *, int, int);
#define TILE_FN(R, NV)                                                                                            \
  static void tile##R##_##NV(int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, int acc) { \
    tile_gen(R, NV, K, A, lda, B, ldb, C, ldc, acc);                                                            \
  }
/* one tile function per row count (tile_rows calls only those up to MR) */
#define TILE_FNS(NV)                                                                                              \
  TILE_FN(1, NV) TILE_FN(2, NV) TILE_FN(3, NV) TILE_FN(4, NV) TILE_FN(5, NV) TILE_FN(6, NV) TILE_FN(7, NV)         \
  TILE_FN(8, NV)                                                                                                  \
  static const tile_fn tiles_##NV[9] = {0,          tile1_##NV, tile2_##NV, tile3_##NV, tile4_##NV,              \
                                        tile5_##NV, tile6_##NV, tile7_##NV, tile8_##NV};
TILE_FNS(1)
TILE_FNS(2)

static void tile_rows(int M, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, int acc,
                      const tile_fn *f) {
  for (int i = 0; i < M; i += MR) {
    const int r = M - i < MR ? M - i : MR;
    f[r](K, A + i * lda, lda, B, ldb, C + i * ldc, ldc, acc);
  }
}

static void tile_scalar(int M, int NC, int K, const float *restrict A, int lda, const float *restrict B, int ldb,
                        float *restrict C, int ldc, int acc) {
  for (int i = 0; i < M; i++)
    for (int j = 0; j < NC; j++) {
      float s = acc ? C[i * ldc + j] : 0.f;
      for (int k = 0; k < K; k++) s += A[i * lda + k] * B[k * ldb + j];
      C[i * ldc + j] = s;
    }
}

#define KC 256

static void gemm(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, int acc) {
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = K - k0 < KC ? K - k0 : KC;
    const int a = acc || k0 > 0;
    const float *Ak = A + k0, *Bk = B + k0 * ldb;
    int j = 0;
    for (; j + 2 * VL <= N; j += 2 * VL) tile_rows(M, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a, tiles_2);
    for (; j + VL <= N; j += VL) tile_rows(M, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a, tiles_1);
    if (j < N) tile_scalar(M, N - j, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a);
  }
}

/* C[M×N] (+)= A[M×K] · B[N×K]ᵀ: dot products of contiguous rows, 4×2 tiles of VL-lane partial sums. */
STATIC void nt_gen(const int mr, const int nr, int K, const float *restrict A, int lda, const float *restrict B,
                   int ldb, float *restrict C, int ldc, int acc) {
  vf s[4][2];
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int j = 0; j < nr; j++) s[i][j] = (vf){0};
  int k = 0;
  for (; k + VL <= K; k += VL) {
    vf b[2];
    UNROLL for (int j = 0; j < nr; j++) b[j] = vld(B + j * ldb + k);
    UNROLL for (int i = 0; i < mr; i++) {
      const vf a = vld(A + i * lda + k);
      UNROLL for (int j = 0; j < nr; j++) s[i][j] = MADD(a, b[j], s[i][j]);
    }
  }
  UNROLL for (int i = 0; i < mr; i++) UNROLL for (int j = 0; j < nr; j++) {
    float t = vsum(s[i][j]);
    for (int kk = k; kk < K; kk++) t += A[i * lda + kk] * B[j * ldb + kk];
    C[i * ldc + j] = acc ? C[i * ldc + j] + t : t;
  }
}

#define NT_FN(R, NR)                                                                                              \
  static void nt##R##_##NR(int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, int acc) { \
    nt_gen(R, NR, K, A, lda, B, ldb, C, ldc, acc);                                                              \
  }
NT_FN(1, 1)
NT_FN(2, 1)
NT_FN(3, 1)
NT_FN(4, 1)
NT_FN(1, 2)
NT_FN(2, 2)
NT_FN(3, 2)
NT_FN(4, 2)
static const tile_fn nt_1[5] = {0, nt1_1, nt2_1, nt3_1, nt4_1};
static const tile_fn nt_2[5] = {0, nt1_2, nt2_2, nt3_2, nt4_2};

static void nt_rows(int M, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, int acc,
                    const tile_fn *f) {
  for (int i = 0; i < M; i += 4) {
    const int r = M - i < 4 ? M - i : 4;
    f[r](K, A + i * lda, lda, B, ldb, C + i * ldc, ldc, acc);
  }
}

#define KC_NT 1024

static void gemm_nt(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc,
                    int acc) {
  for (int k0 = 0; k0 < K; k0 += KC_NT) {
    const int kc = K - k0 < KC_NT ? K - k0 : KC_NT;
    const int a = acc || k0 > 0;
    int j = 0;
    for (; j + 2 <= N; j += 2) nt_rows(M, kc, A + k0, lda, B + j * ldb + k0, ldb, C + j, ldc, a, nt_2);
    if (j < N) nt_rows(M, kc, A + k0, lda, B + j * ldb + k0, ldb, C + j, ldc, a, nt_1);
  }
}

/* dst[C×R] (+)= srcᵀ, src is R×C. */
static void transpose(int R, int Cn, const float *restrict src, float *restrict dst) {
  for (int r = 0; r < R; r++)
    for (int c = 0; c < Cn; c++) dst[c * R + r] = src[r * Cn + c];
}
