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

static void im2col(const Conv *s, const float *restrict img, float *restrict col) {
  const int P = s->outH * s->outW;
  float *row = col;
  for (int ic = 0; ic < s->inC; ic++) {
    const float *plane = img + ic * s->inH * s->inW;
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++, row += P)
        for (int oy = 0; oy < s->outH; oy++) {
          float *dst = row + oy * s->outW;
          const int iy = oy * s->sH - s->padT + ky;
          for (int ox = 0; ox < s->outW; ox++) {
            const int ix = ox * s->sW - s->padL + kx;
            dst[ox] = iy >= 0 && iy < s->inH && ix >= 0 && ix < s->inW ? plane[iy * s->inW + ix] : 0.f;
          }
        }
  }
}

static void col2im(const Conv *s, const float *restrict col, float *restrict img) {
  const int P = s->outH * s->outW;
  const float *row = col;
  for (int ic = 0; ic < s->inC; ic++) {
    float *plane = img + ic * s->inH * s->inW;
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++, row += P)
        for (int oy = 0; oy < s->outH; oy++) {
          const int iy = oy * s->sH - s->padT + ky;
          if (iy < 0 || iy >= s->inH) continue;
          for (int ox = 0; ox < s->outW; ox++) {
            const int ix = ox * s->sW - s->padL + kx;
            if (ix >= 0 && ix < s->inW) plane[iy * s->inW + ix] += row[oy * s->outW + ox];
          }
        }
  }
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
 * Wp ≤ 2·outW (use_direct); otherwise, and for strides > 1, im2col + gemm.
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

typedef struct {
  int Hp, Wp, Q, Qr, padded, tmp;
} Direct;

static void direct_geometry(const Conv *s, Direct *d) {
  d->Hp = s->outH + s->kH - 1;
  d->Wp = s->outW + s->kW - 1;
  d->Q = s->outH * d->Wp;
  d->Qr = (d->Q + VL - 1) / VL * VL;
  /* the last tap of the last column block reads up to Hp·Wp + (Qr − Q) + kW − 2 past a plane's start */
  d->padded = (s->inC * d->Hp * d->Wp + (d->Qr - d->Q) + s->kW + VL + 15) & ~15;
  d->tmp = s->outC * d->Qr;
}

static int use_direct(const Conv *s) {
  return s->sH == 1 && s->sW == 1 && !col_is_identity(s) && s->outW + s->kW - 1 <= 2 * s->outW;
}

static void direct_offsets(const Conv *s, const Direct *d, int *koff) {
  const int plane = d->Hp * d->Wp;
  for (int ic = 0, k = 0; ic < s->inC; ic++)
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++, k++) koff[k] = ic * plane + ky * d->Wp + kx;
}

static void pad_image(const Conv *s, const Direct *d, const float *restrict img, float *restrict padded) {
  const int plane = d->Hp * d->Wp;
  const int iy0 = s->padT < 0 ? -s->padT : 0, ix0 = s->padL < 0 ? -s->padL : 0;
  int iy1 = d->Hp - s->padT, ix1 = d->Wp - s->padL;
  if (iy1 > s->inH) iy1 = s->inH;
  if (ix1 > s->inW) ix1 = s->inW;
  if (ix1 <= ix0) return;
  for (int ic = 0; ic < s->inC; ic++)
    for (int iy = iy0; iy < iy1; iy++)
      __builtin_memcpy(padded + ic * plane + (iy + s->padT) * d->Wp + s->padL + ix0, img + (ic * s->inH + iy) * s->inW + ix0,
             (size_t)(ix1 - ix0) * 4);
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

/* Floats of scratch NAME(conv2d_forward) asks for. */
size_t NAME(conv2d_forward_scratch)(const Conv *s) {
  if (col_is_identity(s)) return 0;
  if (use_direct(s)) return conv_forward_direct_scratch(s);
  return (size_t)s->inC * s->kH * s->kW * s->outH * s->outW;
}

void NAME(conv2d_forward)(const Conv *s, const float *inp, const float *w, const float *bias, float *out, int relu) {
  float *scratch = scratch_floats(NAME(conv2d_forward_scratch)(s));
  if (use_direct(s)) {
    conv_forward_direct(s, inp, w, bias, out, scratch, relu, 0);
    return;
  }
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW;
  const int inSize = s->inC * s->inH * s->inW, outSize = s->outC * P;
  const int ident = col_is_identity(s);
  for (int n = 0; n < s->batch; n++) {
    const float *img = inp + (size_t)n * inSize;
    float *o = out + (size_t)n * outSize;
    const float *B = img;
    if (!ident) {
      im2col(s, img, scratch);
      B = scratch;
    }
    if (bias)
      for (int oc = 0; oc < s->outC; oc++)
        for (int p = 0; p < P; p++) o[oc * P + p] = bias[oc];
    gemm(s->outC, P, K, w, K, B, P, o, P, bias != 0);
    if (relu)
      for (int i = 0; i < outSize; i++) o[i] = o[i] > 0.f ? o[i] : 0.f;
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
  return use_direct(s) && use_direct(&t);
}

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

/* Floats of scratch NAME(conv2d_backward) asks for. */
size_t NAME(conv2d_backward_scratch)(const Conv *s) {
  const size_t K = (size_t)s->inC * s->kH * s->kW, KP = K * s->outH * s->outW;
  if (!use_direct_backward(s)) return 2 * KP + K * s->outC + 32;
  Conv t;
  dinp_conv(s, &t);
  return direct_backward_own_scratch(s) + conv_forward_direct_scratch(&t);
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
  float *padded = scratch_floats(own + conv_forward_direct_scratch(&t));
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
    for (; j + 3 <= K; j += 3) ntd_rows(OC, d.Qr, doutP, d.Qr, padded, koff + j, dw + j, K, ntds_3);
    if (K - j == 2) ntd_rows(OC, d.Qr, doutP, d.Qr, padded, koff + j, dw + j, K, ntds_2);
    if (K - j == 1) ntd_rows(OC, d.Qr, doutP, d.Qr, padded, koff + j, dw + j, K, ntds_1);
    if (dbias) bias_grad(OC, P, dn, dbias);
  }
  if (dinp) {
    /* flipped, transposed kernel: wF[ic][oc][ky][kx] = w[oc][ic][kH-1-ky][kW-1-kx] */
    const int KK = s->kH * s->kW;
    for (int oc = 0; oc < OC; oc++)
      for (int ic = 0; ic < s->inC; ic++)
        for (int kk = 0; kk < KK; kk++) wF[(ic * OC + oc) * KK + kk] = w[(oc * s->inC + ic) * KK + (KK - 1 - kk)];
    conv_forward_direct(&t, dout, wF, 0, dinp, rest, 0, 1);
  }
}

void NAME(conv2d_backward)(const Conv *s, const float *inp, const float *w, const float *dout, float *dinp, float *dw,
                           float *dbias) {
  if (use_direct_backward(s)) {
    conv_backward_direct(s, inp, w, dout, dinp, dw, dbias);
    return;
  }
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW, OC = s->outC;
  const size_t KP = (size_t)K * P;
  float *col = scratch_floats(NAME(conv2d_backward_scratch)(s));
  float *dcol = col + KP + 16, *wT = dcol + KP + 16;
  const int inSize = s->inC * s->inH * s->inW, outSize = OC * P;
  const int ident = col_is_identity(s);
  if (dinp) transpose(OC, K, w, wT);
  for (int n = 0; n < s->batch; n++) {
    const float *img = inp + (size_t)n * inSize;
    const float *dn = dout + (size_t)n * outSize;
    const float *B = img;
    if (!ident) {
      im2col(s, img, col);
      B = col;
    }
    gemm_nt(OC, K, P, dn, P, B, P, dw, K, 1);
    if (dbias) bias_grad(OC, P, dn, dbias);
    if (dinp) {
      float *di = dinp + (size_t)n * inSize;
      if (ident) {
        gemm(K, P, OC, wT, OC, dn, P, di, P, 1);
      } else {
        gemm(K, P, OC, wT, OC, dn, P, dcol, P, 0);
        col2im(s, dcol, di);
      }
    }
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
