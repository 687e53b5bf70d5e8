/*
 * CNN Studio kernels: the KernelSet ops (native-workers/cnn/kernel-set.ts) in C, written ONCE over a vector of VL
 * floats (GCC/Clang vector extensions) and compiled for every target:
 *   - native (Node-API addon, native-workers/native): kernels-v4.c (VL 4: SSE2 / NEON), kernels-avx2.c (VL 8, FMA),
 *     kernels-avx512.c (VL 16, FMA); addon.c picks one at load time from the CPU's features;
 *   - WebAssembly (kernels-wasm.c, VL 4 = simd128): a plain module, and a relaxed-SIMD one whose MADD is
 *     f32x4.relaxed_madd (scripts/build-kernels.mjs).
 * The includer defines VL, MR (rows of a register tile, at most 8), NAME(x) (the prefix of the exported ops) and
 * optionally MADD(a, b, c) = a·b + c, includes "common.h" (which declares scratch_floats) and then this file.
 *
 * Every tensor is a flat float32 NCHW array; conv weights [OC, C, KH, KW], dense weights [O, I]. Backward functions
 * ACCUMULATE (+=) into the gradient buffers, like the reference ops. Scratch comes from scratch_floats(n); the
 * NAME(*_scratch) functions say how much each op asks for (the wasm build preallocates it).
 *
 * The heart is one register-tiled GEMM, C[M×N] (+)= A[M×K]·B[K×N], vectorised over N with an MR×(2·VL) tile of C
 * in registers, and the "shifted planes" stride-1 convolution built on the same tile (see conv_forward_direct).
 * No libc: only compiler builtins, so that the wasm32 build needs no sysroot.
 */
typedef float vf __attribute__((vector_size(VL * 4), aligned(4), may_alias));

/* Unaligned loads and stores through the aligned(4), may_alias type (memcpy here made GCC go through the stack in
 * 16-byte halves, a store-forwarding stall on every load). */
static inline vf vld(const float *p) { return *(const vf *)p; }
static inline void vst(float *p, vf v) { *(vf *)p = v; }
/* A broadcast: x − 0 is x for every x (unlike 0 + x, which turns −0 into +0), so it folds to nothing. */
#ifndef MADD
/* a·b + c; native builds contract it into one FMA (-ffp-contract=fast), plain wasm into a multiply and an add */
#define MADD(a, b, c) ((c) + (a) * (b))
#endif

static inline vf vsplat(float x) { return x - (vf){0}; }
/* Horizontal sum as a tree of shuffles and vector adds (a lane-by-lane loop is a serial chain of VL adds). */
static inline float vsum(vf v) {
#if VL == 16
  v += __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  v += __builtin_shufflevector(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3);
  v += __builtin_shufflevector(v, v, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1);
  v += __builtin_shufflevector(v, v, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0);
#elif VL == 8
  v += __builtin_shufflevector(v, v, 4, 5, 6, 7, 0, 1, 2, 3);
  v += __builtin_shufflevector(v, v, 2, 3, 0, 1, 2, 3, 0, 1);
  v += __builtin_shufflevector(v, v, 1, 0, 1, 0, 1, 0, 1, 0);
#elif VL == 4
  v += __builtin_shufflevector(v, v, 2, 3, 0, 1);
  v += __builtin_shufflevector(v, v, 1, 0, 1, 0);
#else
#error "VL must be 4, 8 or 16"
#endif
  return v[0];
}
typedef int vi __attribute__((vector_size(VL * 4)));
/* max(0, v) with NaN → 0, like the reference: keep the lanes where v > 0 (a compare gives all-ones lanes). */
static inline vf vmax0(vf v) { return (vf)((vi)v & (v > 0.f)); }

#define STATIC static inline __attribute__((always_inline))

/* Stride-2 deinterleave: even[x] = src[2x], odd[x] = src[2x + 1] for x in [0, n). */
STATIC void split_even_odd(float *restrict even, float *restrict odd, const float *restrict src, int n) {
  int x = 0;
  for (; x + VL <= n; x += VL) {
    const vf a = vld(src + 2 * x), b = vld(src + 2 * x + VL);
#if VL == 16
    vst(even + x, __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30));
    vst(odd + x, __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31));
#elif VL == 8
    vst(even + x, __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14));
    vst(odd + x, __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15));
#else
    vst(even + x, __builtin_shufflevector(a, b, 0, 2, 4, 6));
    vst(odd + x, __builtin_shufflevector(a, b, 1, 3, 5, 7));
#endif
  }
  for (; x < n; x++) {
    even[x] = src[2 * x];
    odd[x] = src[2 * x + 1];
  }
}
#define UNROLL _Pragma("GCC unroll 16")

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

/* ------------------------------------------------------------------------------------------------------------ */
/* Convolution                                                                                                   */
/* ------------------------------------------------------------------------------------------------------------ */

/* The output columns [ox0, ox1) whose input column ox·sW − padL + kx lies inside the image (the rest read padding). */
static void inside_columns(const Conv *s, int kx, int *ox0, int *ox1) {
  const int lo = s->padL - kx, hi = s->inW - 1 + s->padL - kx; /* need lo ≤ ox·sW ≤ hi */
  int a = lo > 0 ? (lo + s->sW - 1) / s->sW : 0, b = hi < 0 ? 0 : hi / s->sW + 1;
  if (b > s->outW) b = s->outW;
  if (a > b) a = b;
  *ox0 = a;
  *ox1 = b;
}

/* col rows of one image: row (ic, ky, kx) at col + k·ld, its P = outH·outW values contiguous. Branch-free inner
 * loops (the bounds are hoisted per row), so the stride-1 copy and the stride-2 gather vectorise. */
static void im2col(const Conv *s, const float *restrict img, float *restrict col, int ld) {
  const int OW = s->outW;
  float *row = col;
  for (int ic = 0; ic < s->inC; ic++) {
    const float *plane = img + ic * s->inH * s->inW;
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++, row += ld) {
        int ox0, ox1;
        inside_columns(s, kx, &ox0, &ox1);
        for (int oy = 0; oy < s->outH; oy++) {
          float *restrict dst = row + oy * OW;
          const int iy = oy * s->sH - s->padT + ky;
          if (iy < 0 || iy >= s->inH) {
            for (int ox = 0; ox < OW; ox++) dst[ox] = 0.f;
            continue;
          }
          const float *restrict src = plane + iy * s->inW - s->padL + kx;
          for (int ox = 0; ox < ox0; ox++) dst[ox] = 0.f;
          if (s->sW == 1)
            __builtin_memcpy(dst + ox0, src + ox0, (size_t)(ox1 - ox0) * 4);
          else if (s->sW == 2)
            for (int ox = ox0; ox < ox1; ox++) dst[ox] = src[2 * ox];
          else
            for (int ox = ox0; ox < ox1; ox++) dst[ox] = src[ox * s->sW];
          for (int ox = ox1; ox < OW; ox++) dst[ox] = 0.f;
        }
      }
  }
}

/* img += col2im(col): the adjoint of im2col (same row layout and ld). */
static void col2im(const Conv *s, const float *restrict col, float *restrict img, int ld) {
  const int OW = s->outW;
  const float *row = col;
  for (int ic = 0; ic < s->inC; ic++) {
    float *plane = img + ic * s->inH * s->inW;
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++, row += ld) {
        int ox0, ox1;
        inside_columns(s, kx, &ox0, &ox1);
        for (int oy = 0; oy < s->outH; oy++) {
          const int iy = oy * s->sH - s->padT + ky;
          if (iy < 0 || iy >= s->inH) continue;
          const float *restrict src = row + oy * OW;
          float *restrict dst = plane + iy * s->inW - s->padL + kx;
          if (s->sW == 1)
            for (int ox = ox0; ox < ox1; ox++) dst[ox] += src[ox];
          else
            for (int ox = ox0; ox < ox1; ox++) dst[ox * s->sW] += src[ox];
        }
      }
  }
}

/* dst[c·R + r] += src[r·C + c] (dW from dWᵀ) in 64×16 blocks: the block of src (64 lines) stays in L1 while each
 * destination row gets 64 contiguous floats (element by element, the 1 KiB-strided accesses missed). */
static void add_transposed(int R, int C, const float *restrict src, float *restrict dst) {
  for (int r0 = 0; r0 < R; r0 += 64) {
    const int r1 = R - r0 < 64 ? R : r0 + 64;
    for (int c0 = 0; c0 < C; c0 += 16) {
      const int c1 = C - c0 < 16 ? C : c0 + 16;
      for (int c = c0; c < c1; c++)
        for (int r = r0; r < r1; r++) dst[(size_t)c * R + r] += src[(size_t)r * C + c];
    }
  }
}

/* The dx convolution's kernel: wF[ic][oc][ky][kx] = w[oc][ic][kH-1-ky][kW-1-kx], written in order. */
static void flip_kernel(const Conv *s, const float *restrict w, float *restrict wF) {
  const int KK = s->kH * s->kW, OC = s->outC;
  for (int ic = 0; ic < s->inC; ic++)
    for (int oc = 0; oc < OC; oc++)
      for (int kk = 0; kk < KK; kk++) wF[(ic * OC + oc) * KK + kk] = w[(oc * s->inC + ic) * KK + (KK - 1 - kk)];
}

static int col_is_identity(const Conv *s) {
  return s->kH == 1 && s->kW == 1 && s->sH == 1 && s->sW == 1 && s->padT == 0 && s->padL == 0 &&
         s->outH == s->inH && s->outW == s->inW;
}

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
      dtile_rows(OC, K, koff, w, K, padded + j, tmp + j, d.Qr, bias, relu, dtiles_2);
    for (; j < d.Qr; j += VL) dtile_rows(OC, K, koff, w, K, padded + j, tmp + j, d.Qr, bias, relu, dtiles_1);
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

static int use_ilv(const Conv *s);
static size_t ilv_forward_scratch(const Conv *s);
static void conv_forward_ilv(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                             float *scratch, int relu, int acc);

/* The images past the last whole chunk of NB (conv_forward_ilv), or all of them. */
static void tail_conv(const Conv *s, Conv *r) {
  *r = *s;
  r->batch = use_ilv(s) ? s->batch % NB : s->batch;
}

static size_t plain_forward_scratch(const Conv *s) {
  if (col_is_identity(s)) return 0;
  if (use_direct(s)) return conv_forward_direct_scratch(s);
  return batched_forward_scratch(s);
}

/* Floats of scratch NAME(conv2d_forward) asks for. */
size_t NAME(conv2d_forward_scratch)(const Conv *s) {
  Conv r;
  tail_conv(s, &r);
  const size_t a = use_ilv(s) ? ilv_forward_scratch(s) : 0, b = r.batch ? plain_forward_scratch(&r) : 0;
  return a > b ? a : b;
}

static void conv_forward_plain(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                               int relu) {
  if (!col_is_identity(s) && !use_direct(s)) {
    conv_forward_batched(s, inp, w, bias, out, relu);
    return;
  }
  float *scratch = scratch_floats(plain_forward_scratch(s));
  if (use_direct(s)) {
    conv_forward_direct(s, inp, w, bias, out, scratch, relu, 0);
    return;
  }
  /* 1×1 stride 1: the image is its own col matrix, per image */
  const int K = s->inC, P = s->outH * s->outW, outSize = s->outC * P;
  for (int n = 0; n < s->batch; n++) {
    const float *img = inp + (size_t)n * K * P;
    float *o = out + (size_t)n * outSize;
    if (bias)
      for (int oc = 0; oc < s->outC; oc++)
        for (int p = 0; p < P; p++) o[oc * P + p] = bias[oc];
    gemm(s->outC, P, K, w, K, img, P, o, P, bias != 0);
    if (relu)
      for (int i = 0; i < outSize; i++) o[i] = o[i] > 0.f ? o[i] : 0.f;
  }
}

void NAME(conv2d_forward)(const Conv *s, const float *inp, const float *w, const float *bias, float *out, int relu) {
  Conv r;
  tail_conv(s, &r);
  if (use_ilv(s)) conv_forward_ilv(s, inp, w, bias, out, scratch_floats(ilv_forward_scratch(s)), relu, 0);
  if (r.batch) {
    const size_t done = (size_t)(s->batch - r.batch);
    conv_forward_plain(&r, inp + done * s->inC * s->inH * s->inW, w, bias, out + done * s->outC * s->outH * s->outW,
                       relu);
  }
}

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
      gemm(K, OC, L, col, Lr, doutPM, OC, dWT, OC, 1);
    }
    if (dbias) bias_grad(OC, Lr, doutT, dbias);
    if (dinp) {
      gemm(K, Lr, OC, wT, OC, doutT, Lr, col, Lr, 0);
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

typedef struct {
  int Hp, Wp, X, T; /* padded rows and columns, floats of X and of T */
} Ilv;

static void ilv_geometry(const Conv *s, Ilv *g) {
  g->Hp = s->outH + s->kH - 1;
  g->Wp = s->outW + s->kW - 1;
  g->X = s->inC * g->Hp * g->Wp * NB;
  g->T = s->outC * s->outH * s->outW * NB;
}

/* Measured (AVX-512, batch 32, 3×3): forward on ≥ 24×24 maps and shallow inputs (K < 288) is faster per image by
 * the shifted planes; backward gains down to K = 144 and, at 16 lanes, up to 24×24 (AVX2 loses there). */
#define ILV_MIN_K 288
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
      for (int n = 0; n < NB; n++) {
        const float *restrict src = img + (size_t)n * inSize + (ic * s->inH + iy) * s->inW;
        for (int ix = ix0; ix < ix1; ix++) row[ix * NB + n] = src[ix];
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
        dtile_rows(OC, K, koff, w, K, Xr + j, Tr + j, P * NB, bias, relu, dtiles_2);
      for (; j < rowLen; j += VL) dtile_rows(OC, K, koff, w, K, Xr + j, Tr + j, P * NB, bias, relu, dtiles_1);
    }
    /* T is the transpose of the chunk's outputs: row r = oc·P + p holds the NB images' values, and image n's
     * output is the contiguous run out_n[r]. Blocks of 64 rows (4 KiB of T at 16 lanes) keep the strided reads
     * in L1 and give long contiguous writes even on 3×3 maps. */
    const int R = OC * P;
    for (int r0 = 0; r0 < R; r0 += 64) {
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

/* the dW part needs whole vectors of output channels */
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
    ilv_fill(s, &g, inp + (size_t)n0 * inSize, X);
    /* contiguous writes; the OC lines read per image are reused over 16 consecutive pixels from L1 */
    for (int n = 0; n < NB; n++) {
      const float *restrict dn = dout + (size_t)(n0 + n) * outSize;
      for (int p = 0; p < P; p++) {
        float *restrict d = D + ((size_t)p * NB + n) * OC;
        for (int oc = 0; oc < OC; oc++) d[oc] = dn[oc * P + p];
      }
    }
    /* blocks of output rows whose D slice of one channel tile (2·VL channels) stays in L1 while every tap tile
     * passes over it */
    int rb = (ILV_DW_PIXELS) / rowLen;
    if (rb < 1) rb = 1;
    for (int y0 = 0; y0 < s->outH; y0 += rb) {
      const int rows = s->outH - y0 < rb ? s->outH - y0 : rb;
      const float *Xb = X + y0 * g.Wp * NB, *Db = D + (size_t)y0 * rowLen * OC;
      for (int j = 0; j < OC; j += 2 * VL) {
        const wtile_fn *f = OC - j >= 2 * VL ? wtiles_2 : wtiles_1;
        for (int k = 0; k < K; k += MR)
          f[K - k < MR ? K - k : MR](rows, rowLen, g.Wp * NB, koff + k, Xb, Db + j, OC, dWT + k * OC + j);
      }
    }
  }
  add_transposed(K, OC, dWT, dw);
  if (dbias)
    for (int n = 0; n < whole; n++) bias_grad(OC, P, dout + (size_t)n * outSize, dbias);
  if (dinp) {
    flip_kernel(s, w, wF);
    if (use_ilv(&t)) {
      conv_forward_ilv(&t, dout, wF, 0, dinp, rest, 0, 1);
    } else {
      t.batch = whole;
      conv_forward_direct(&t, dout, wF, 0, dinp, rest, 0, 1);
    }
  }
}

/* Floats of scratch NAME(conv2d_backward) asks for. */
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
    conv_forward_direct(&t, dout, wF, 0, dinp, rest, 0, 1);
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

/* ------------------------------------------------------------------------------------------------------------ */
/* Dense                                                                                                         */
/* ------------------------------------------------------------------------------------------------------------ */

#include "dense-impl.h" /* NAME(dense_forward): a GEMM over the batch */

/* Floats of scratch NAME(dense_backward) asks for. */
size_t NAME(dense_backward_scratch)(int B, int O) { return (size_t)O * B; }

void NAME(dense_backward)(int B, int I, int O, const float *inp, const float *w, const float *dout, float *dinp,
                          float *dw, float *dbias) {
  float *doutT = scratch_floats(NAME(dense_backward_scratch)(B, O));
  transpose(B, O, dout, doutT);
  gemm(O, I, B, doutT, B, inp, I, dw, I, 1);
  if (dinp) gemm(B, I, O, dout, O, w, I, dinp, I, 1);
  if (dbias)
    for (int b = 0; b < B; b++)
      for (int o = 0; o < O; o++) dbias[o] += dout[b * O + o];
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Pooling, ReLU (branch-free, so that the compiler vectorises them and random signs cost no mispredictions)       */
/* ------------------------------------------------------------------------------------------------------------ */

typedef float p4 __attribute__((vector_size(16), aligned(4), may_alias));
typedef int i4 __attribute__((vector_size(16), aligned(4), may_alias));
static inline p4 sel4(i4 k, p4 a, p4 b) { return (p4)((k & (i4)a) | (~k & (i4)b)); }
static inline i4 seli4(i4 k, i4 a, i4 b) { return (k & a) | (~k & b); }

/* Four 2×2/2 windows side by side: inputs i0 .. i0+7 of two rows (W apart). Same rule as below, lane-wise. */
STATIC void pool2x2_4(const float *restrict x, int i0, int W, float *restrict y, int *restrict arg) {
  const p4 a = *(const p4 *)(x + i0), b = *(const p4 *)(x + i0 + 4);
  const p4 c = *(const p4 *)(x + i0 + W), d = *(const p4 *)(x + i0 + W + 4);
  const p4 e0 = __builtin_shufflevector(a, b, 0, 2, 4, 6), o0 = __builtin_shufflevector(a, b, 1, 3, 5, 7);
  const p4 e1 = __builtin_shufflevector(c, d, 0, 2, 4, 6), o1 = __builtin_shufflevector(c, d, 1, 3, 5, 7);
  const i4 idx0 = i0 + (i4){0, 2, 4, 6}, idx1 = idx0 + W;
  const p4 ninf = (p4){0} - __builtin_inff();
  p4 m = ninf;
  i4 best = idx0, k;
  k = e0 > m;
  m = sel4(k, e0, m);
  k = o0 > m;
  m = sel4(k, o0, m);
  best = seli4(k, idx0 + 1, best);
  k = e1 > m;
  m = sel4(k, e1, m);
  best = seli4(k, idx1, best);
  k = o1 > m;
  m = sel4(k, o1, m);
  best = seli4(k, idx1 + 1, best);
  /* nothing above −∞ (all NaN or −∞): the first position and its value */
  m = sel4(m == ninf, e0, m);
  *(p4 *)y = m;
  *(i4 *)arg = best;
}

/*
 * Like the reference op: candidates in row-major order from −∞ with a strict >, so ties keep the first position,
 * NaNs are never picked, and a window with nothing above −∞ reports its first position (and that value). argmax
 * indexes the whole input.
 */
void NAME(maxpool_forward)(int N, int C, int H, int W, int pH, int pW, int sH, int sW, int oH, int oW,
                           const float *restrict x, float *restrict y, int *restrict arg) {
  size_t o = 0;
  for (size_t nc = 0; nc < (size_t)N * C; nc++) {
    const int base = (int)(nc * H * W);
    if (pH == 2 && pW == 2 && sH == 2 && sW == 2 && oW >= 4) {
      for (int oy = 0; oy < oH; oy++, o += oW)
        /* 4 outputs at a time; a row tail of 1..3 redoes the row's last 4 (same values) */
        for (int ox = 0; ox < oW; ox += 4) {
          if (ox + 4 > oW) ox = oW - 4;
          pool2x2_4(x, base + 2 * oy * W + 2 * ox, W, y + o + ox, arg + o + ox);
        }
      continue;
    }
    for (int oy = 0; oy < oH; oy++)
      for (int ox = 0; ox < oW; ox++, o++) {
        int best = base + oy * sH * W + ox * sW;
        float m = -__builtin_inff();
        for (int py = 0; py < pH; py++) {
          const int row = base + (oy * sH + py) * W + ox * sW;
          for (int px = 0; px < pW; px++) {
            const int g = x[row + px] > m;
            m = g ? x[row + px] : m;
            best = g ? row + px : best;
          }
        }
        y[o] = x[best];
        arg[o] = best;
      }
  }
}

/* out = max(0, inp), NaN → 0; out may be inp (element-wise, so no restrict). */
void NAME(relu_forward)(int n, const float *x, float *y) {
  for (int i = 0; i < n; i++) y[i] = x[i] > 0.f ? x[i] : 0.f;
}

/* dinp += dout where out > 0. */
void NAME(relu_backward)(int n, const float *restrict y, const float *restrict dy, float *restrict dx) {
  for (int i = 0; i < n; i++) dx[i] += y[i] > 0.f ? dy[i] : 0.f;
}

#include "conv-pool-impl.h" /* NAME(conv2d_relu_maxpool_forward): inference-only conv + ReLU + max pool */
