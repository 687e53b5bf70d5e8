/*
 * CNN Studio fast kernels: WebAssembly SIMD (simd128), built by scripts/build-kernels.mjs with Debian's clang:
 *   clang --target=wasm32 -O3 -msimd128 -mbulk-memory -nostdlib -Wl,--no-entry -Wl,--export-dynamic
 *
 * Memory model: the JS side (native-workers/kernels/wasm-kernels.ts) owns the layout of this module's linear
 * memory. Per call it copies the inputs above __heap_base, passes byte offsets here and copies the outputs back.
 * Every tensor is a flat float32 NCHW array (see native-workers/cnn/kernel-set.ts). Backward functions ACCUMULATE
 * (+=) into the gradient buffers, exactly like the reference ops. No libc: bulk-memory gives memory.fill/copy.
 *
 * The heart is one register-tiled GEMM, C[M×N] (+)= A[M×K]·B[K×N] (row-major, leading dimensions given), that
 * vectorises over N with 4-wide f32 lanes and keeps a 4×8 tile of C in registers (8 accumulators: V8 gives wasm
 * 16 xmm registers, and larger tiles such as 4×16 or 6×8 spill; measured 30 against 21–25 GFLOP/s per CPU-second). Convolutions use
 * im2col so that all three convolution GEMMs (forward, dW, dcol) go through it.
 */
#include <wasm_simd128.h>

typedef __SIZE_TYPE__ size_t;

#define EXPORT __attribute__((visibility("default")))
#define INLINE static inline __attribute__((always_inline))

/*
 * MADD(a, b, c) = a·b + c. Built twice (scripts/build-kernels.mjs): with relaxed SIMD it is one fused multiply-add
 * (f32x4.relaxed_madd, an FMA instruction on x64/arm64 CPUs that have one: about 1.5× the GEMM throughput here);
 * without, a multiply and an add. Relaxed SIMD is on by default in Electron 40 and Node ≥ 22; Node 20 needs
 * --experimental-wasm-relaxed-simd, and otherwise gets the plain module.
 */
#ifdef __wasm_relaxed_simd__
#define MADD(a, b, c) wasm_f32x4_relaxed_madd(a, b, c)
#else
#define MADD(a, b, c) wasm_f32x4_add(c, wasm_f32x4_mul(a, b))
#endif

/* ------------------------------------------------------------------------------------------------------------ */
/* GEMM                                                                                                          */
/* ------------------------------------------------------------------------------------------------------------ */

/* Register tile: MR rows of A times NV vectors (4 floats each) of B. acc = 0 → C = A·B, acc = 1 → C += A·B. */
#define TILE(MR, NV)                                                                                              \
  static void tile_##MR##x##NV(int K, const float *restrict A, int lda, const float *restrict B, int ldb,         \
                               float *restrict C, int ldc, int acc) {                                            \
    v128_t c[MR][NV];                                                                                             \
    for (int i = 0; i < MR; i++)                                                                                  \
      for (int v = 0; v < NV; v++) c[i][v] = acc ? wasm_v128_load(C + i * ldc + 4 * v) : wasm_f32x4_splat(0.f);  \
    for (int k = 0; k < K; k++) {                                                                                 \
      v128_t b[NV];                                                                                               \
      for (int v = 0; v < NV; v++) b[v] = wasm_v128_load(B + k * ldb + 4 * v);                                    \
      for (int i = 0; i < MR; i++) {                                                                              \
        v128_t a = wasm_v128_load32_splat(A + i * lda + k);                                                       \
        for (int v = 0; v < NV; v++) c[i][v] = MADD(a, b[v], c[i][v]);                  \
      }                                                                                                           \
    }                                                                                                             \
    for (int i = 0; i < MR; i++)                                                                                  \
      for (int v = 0; v < NV; v++) wasm_v128_store(C + i * ldc + 4 * v, c[i][v]);                                 \
  }

TILE(4, 2)
TILE(3, 2)
TILE(2, 2)
TILE(1, 2)
TILE(4, 1)
TILE(3, 1)
TILE(2, 1)
TILE(1, 1)

typedef void (*tile_fn)(int, const float *, int, const float *, int, float *, int, int);

/* Scalar edge: the last N % 4 columns. */
static void tile_scalar(int M, int NC, int K, const float *restrict A, int lda, const float *restrict B, int ldb,
                        float *restrict C, int ldc, int acc) {
  for (int i = 0; i < M; i++)
    for (int j = 0; j < NC; j++) {
      float s = acc ? C[i * ldc + j] : 0.f;
      for (int k = 0; k < K; k++) s += A[i * lda + k] * B[k * ldb + j];
      C[i * ldc + j] = s;
    }
}

static void tiles_rows(int M, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, int acc,
                       tile_fn f4, tile_fn f3, tile_fn f2, tile_fn f1) {
  int i = 0;
  for (; i + 4 <= M; i += 4) f4(K, A + i * lda, lda, B, ldb, C + i * ldc, ldc, acc);
  int r = M - i;
  if (r == 3) f3(K, A + i * lda, lda, B, ldb, C + i * ldc, ldc, acc);
  else if (r == 2) f2(K, A + i * lda, lda, B, ldb, C + i * ldc, ldc, acc);
  else if (r == 1) f1(K, A + i * lda, lda, B, ldb, C + i * ldc, ldc, acc);
}

#define KC 256

/* C[M×N] (+)= A[M×K] · B[K×N]; row-major with leading dimensions. */
EXPORT void gemm(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, int acc) {
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = K - k0 < KC ? K - k0 : KC;
    int a = acc || k0 > 0;
    const float *Ak = A + k0;
    const float *Bk = B + k0 * ldb;
    int j = 0;
    for (; j + 8 <= N; j += 8) tiles_rows(M, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a, tile_4x2, tile_3x2, tile_2x2, tile_1x2);
    if (j + 4 <= N) {
      tiles_rows(M, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a, tile_4x1, tile_3x1, tile_2x1, tile_1x1);
      j += 4;
    }
    if (j < N) tile_scalar(M, N - j, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a);
  }
}

/*
 * C[M×N] (+)= A[M×K] · B[N×K]ᵀ: every C element is a dot product of two contiguous rows. Used where the inner
 * dimension is long and both operands are row-major along it (conv dW over the output pixels, dense forward over
 * the input features), so no transpose is needed. Tile: MR rows of A × NR rows of B, 4-lane partial sums.
 */
#define NT_TILE(MR, NR)                                                                                           \
  static void nt_##MR##x##NR(int K, const float *restrict A, int lda, const float *restrict B, int ldb,          \
                             float *restrict C, int ldc, int acc) {                                              \
    v128_t s[MR][NR];                                                                                             \
    for (int i = 0; i < MR; i++)                                                                                  \
      for (int j = 0; j < NR; j++) s[i][j] = wasm_f32x4_splat(0.f);                                               \
    int k = 0;                                                                                                    \
    for (; k + 4 <= K; k += 4) {                                                                                  \
      v128_t b[NR];                                                                                               \
      for (int j = 0; j < NR; j++) b[j] = wasm_v128_load(B + j * ldb + k);                                        \
      for (int i = 0; i < MR; i++) {                                                                              \
        v128_t a = wasm_v128_load(A + i * lda + k);                                                               \
        for (int j = 0; j < NR; j++) s[i][j] = MADD(a, b[j], s[i][j]);                  \
      }                                                                                                           \
    }                                                                                                             \
    for (int i = 0; i < MR; i++)                                                                                  \
      for (int j = 0; j < NR; j++) {                                                                              \
        v128_t v = s[i][j];                                                                                       \
        float t = wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) +                                 \
                  wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3);                                  \
        for (int kk = k; kk < K; kk++) t += A[i * lda + kk] * B[j * ldb + kk];                                    \
        C[i * ldc + j] = acc ? C[i * ldc + j] + t : t;                                                            \
      }                                                                                                           \
  }

NT_TILE(4, 2)
NT_TILE(3, 2)
NT_TILE(2, 2)
NT_TILE(1, 2)
NT_TILE(4, 1)
NT_TILE(3, 1)
NT_TILE(2, 1)
NT_TILE(1, 1)

static void nt_rows(int M, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, int acc,
                    tile_fn f4, tile_fn f3, tile_fn f2, tile_fn f1) {
  int i = 0;
  for (; i + 4 <= M; i += 4) f4(K, A + i * lda, lda, B, ldb, C + i * ldc, ldc, acc);
  int r = M - i;
  if (r == 3) f3(K, A + i * lda, lda, B, ldb, C + i * ldc, ldc, acc);
  else if (r == 2) f2(K, A + i * lda, lda, B, ldb, C + i * ldc, ldc, acc);
  else if (r == 1) f1(K, A + i * lda, lda, B, ldb, C + i * ldc, ldc, acc);
}

#define KC_NT 1024

EXPORT void gemm_nt(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc,
                    int acc) {
  for (int k0 = 0; k0 < K; k0 += KC_NT) {
    int kc = K - k0 < KC_NT ? K - k0 : KC_NT;
    int a = acc || k0 > 0;
    int j = 0;
    for (; j + 2 <= N; j += 2) nt_rows(M, kc, A + k0, lda, B + j * ldb + k0, ldb, C + j, ldc, a, nt_4x2, nt_3x2, nt_2x2, nt_1x2);
    if (j < N) nt_rows(M, kc, A + k0, lda, B + j * ldb + k0, ldb, C + j, ldc, a, nt_4x1, nt_3x1, nt_2x1, nt_1x1);
  }
}

/* dst[C×R] = srcᵀ, src is R×C. If acc, dst += srcᵀ. */
static void transpose(int R, int Cn, const float *restrict src, float *restrict dst, int acc) {
  if (!acc) {
    /* 4×4 blocks with SIMD shuffles, scalar edges */
    int r = 0;
    for (; r + 4 <= R; r += 4) {
      int c = 0;
      for (; c + 4 <= Cn; c += 4) {
        v128_t r0 = wasm_v128_load(src + (r + 0) * Cn + c), r1 = wasm_v128_load(src + (r + 1) * Cn + c);
        v128_t r2 = wasm_v128_load(src + (r + 2) * Cn + c), r3 = wasm_v128_load(src + (r + 3) * Cn + c);
        v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
        v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
        wasm_v128_store(dst + (c + 0) * R + r, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
        wasm_v128_store(dst + (c + 1) * R + r, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
        wasm_v128_store(dst + (c + 2) * R + r, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
        wasm_v128_store(dst + (c + 3) * R + r, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
      }
      for (; c < Cn; c++)
        for (int rr = r; rr < r + 4; rr++) dst[c * R + rr] = src[rr * Cn + c];
    }
    for (; r < R; r++)
      for (int c = 0; c < Cn; c++) dst[c * R + r] = src[r * Cn + c];
    return;
  }
  {
    for (int r = 0; r < R; r++)
      for (int c = 0; c < Cn; c++) dst[c * R + r] += src[r * Cn + c];
  }
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Convolution                                                                                                   */
/* ------------------------------------------------------------------------------------------------------------ */

EXPORT void relu_forward(int n, const float *inp, float *out);

typedef struct {
  int batch, inC, inH, inW, outC, kH, kW, sH, sW, padT, padL, outH, outW;
} Conv;

/* col[K×P], K = inC·kH·kW, P = outH·outW, from one image [inC, inH, inW]. */
static void im2col(const Conv *s, const float *restrict img, float *restrict col) {
  const int P = s->outH * s->outW;
  float *row = col;
  for (int ic = 0; ic < s->inC; ic++) {
    const float *plane = img + ic * s->inH * s->inW;
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++, row += P) {
        /* output columns whose input column is inside the image: ox in [ox0, ox1) */
        int ox0 = 0, ox1 = s->outW;
        /* ix = ox*sW - padL + kx >= 0  →  ox >= ceil((padL - kx) / sW) */
        int t = s->padL - kx;
        if (t > 0) ox0 = (t + s->sW - 1) / s->sW;
        /* ix < inW  →  ox*sW < inW + padL - kx  →  ox < ceil((inW + padL - kx) / sW) */
        int u = s->inW + s->padL - kx;
        int lim = u <= 0 ? 0 : (u + s->sW - 1) / s->sW;
        if (lim < ox1) ox1 = lim;
        if (ox0 > ox1) ox0 = ox1;
        for (int oy = 0; oy < s->outH; oy++) {
          float *dst = row + oy * s->outW;
          int iy = oy * s->sH - s->padT + ky;
          if (iy < 0 || iy >= s->inH) {
            for (int ox = 0; ox < s->outW; ox++) dst[ox] = 0.f;
            continue;
          }
          const float *src = plane + iy * s->inW - s->padL + kx;
          for (int ox = 0; ox < ox0; ox++) dst[ox] = 0.f;
          if (s->sW == 1) {
            for (int ox = ox0; ox < ox1; ox++) dst[ox] = src[ox];
          } else {
            for (int ox = ox0; ox < ox1; ox++) dst[ox] = src[ox * s->sW];
          }
          for (int ox = ox1; ox < s->outW; ox++) dst[ox] = 0.f;
        }
      }
  }
}

/* img[inC, inH, inW] += col2im(col[K×P]). */
static void col2im(const Conv *s, const float *restrict col, float *restrict img) {
  const int P = s->outH * s->outW;
  const float *row = col;
  for (int ic = 0; ic < s->inC; ic++) {
    float *plane = img + ic * s->inH * s->inW;
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++, row += P) {
        int ox0 = 0, ox1 = s->outW;
        int t = s->padL - kx;
        if (t > 0) ox0 = (t + s->sW - 1) / s->sW;
        int u = s->inW + s->padL - kx;
        int lim = u <= 0 ? 0 : (u + s->sW - 1) / s->sW;
        if (lim < ox1) ox1 = lim;
        for (int oy = 0; oy < s->outH; oy++) {
          int iy = oy * s->sH - s->padT + ky;
          if (iy < 0 || iy >= s->inH) continue;
          const float *src = row + oy * s->outW;
          float *dst = plane + iy * s->inW - s->padL + kx;
          if (s->sW == 1) {
            for (int ox = ox0; ox < ox1; ox++) dst[ox] += src[ox];
          } else {
            for (int ox = ox0; ox < ox1; ox++) dst[ox * s->sW] += src[ox];
          }
        }
      }
  }
}

/* True when col == the image itself (1×1 kernel, stride 1, no padding). */
static int col_is_identity(const Conv *s) {
  return s->kH == 1 && s->kW == 1 && s->sH == 1 && s->sW == 1 && s->padT == 0 && s->padL == 0 &&
         s->outH == s->inH && s->outW == s->inW;
}

/*
 * Stride-1 forward without im2col ("shifted planes"): copy the image into a zero-padded buffer of Hp = outH+kH-1
 * rows by Wp = outW+kW-1 columns per channel, and compute the output over Wp columns per row (the last kW-1 of
 * each row are garbage, dropped when copying out). Then output pixel q = oy·Wp + ox reads, for tap (ic, ky, kx),
 * padded[ic·Hp·Wp + ky·Wp + kx + q]: every row of the implicit col matrix is the padded image shifted by a
 * constant, so the GEMM reads its B operand straight from the padded image (koff[k] = that shift).
 * Accumulators start at the bias; `relu` applies max(0, ·) before the store (fused epilogue).
 */
#define DTILE(MR, NV)                                                                                             \
  static void dtile_##MR##x##NV(int K, const int *restrict koff, const float *restrict A, int lda,                \
                                const float *restrict B, float *restrict C, int ldc, const float *bias, int relu) { \
    v128_t c[MR][NV];                                                                                             \
    for (int i = 0; i < MR; i++)                                                                                  \
      for (int v = 0; v < NV; v++) c[i][v] = wasm_f32x4_splat(bias ? bias[i] : 0.f);                             \
    for (int k = 0; k < K; k++) {                                                                                 \
      const float *Bk = B + koff[k];                                                                              \
      v128_t b[NV];                                                                                               \
      for (int v = 0; v < NV; v++) b[v] = wasm_v128_load(Bk + 4 * v);                                             \
      for (int i = 0; i < MR; i++) {                                                                              \
        v128_t a = wasm_v128_load32_splat(A + i * lda + k);                                                       \
        for (int v = 0; v < NV; v++) c[i][v] = MADD(a, b[v], c[i][v]);                  \
      }                                                                                                           \
    }                                                                                                             \
    if (relu) {                                                                                                   \
      const v128_t z = wasm_f32x4_splat(0.f);                                                                     \
      for (int i = 0; i < MR; i++)                                                                                \
        for (int v = 0; v < NV; v++) c[i][v] = wasm_f32x4_pmax(z, c[i][v]);                                       \
    }                                                                                                             \
    for (int i = 0; i < MR; i++)                                                                                  \
      for (int v = 0; v < NV; v++) wasm_v128_store(C + i * ldc + 4 * v, c[i][v]);                                 \
  }

DTILE(4, 2)
DTILE(3, 2)
DTILE(2, 2)
DTILE(1, 2)
DTILE(4, 1)
DTILE(3, 1)
DTILE(2, 1)
DTILE(1, 1)

typedef void (*dtile_fn)(int, const int *, const float *, int, const float *, float *, int, const float *, int);

static void dtiles_rows(int M, int K, const int *koff, const float *A, int lda, const float *B, float *C, int ldc,
                        const float *bias, int relu, dtile_fn f4, dtile_fn f3, dtile_fn f2, dtile_fn f1) {
  int i = 0;
  for (; i + 4 <= M; i += 4) f4(K, koff, A + i * lda, lda, B, C + i * ldc, ldc, bias ? bias + i : 0, relu);
  int r = M - i;
  const float *bi = bias ? bias + i : 0;
  if (r == 3) f3(K, koff, A + i * lda, lda, B, C + i * ldc, ldc, bi, relu);
  else if (r == 2) f2(K, koff, A + i * lda, lda, B, C + i * ldc, ldc, bi, relu);
  else if (r == 1) f1(K, koff, A + i * lda, lda, B, C + i * ldc, ldc, bi, relu);
}

/* Geometry of the shifted-planes path. */
typedef struct {
  int Hp, Wp, Q, Qr, padded, tmp;
} Direct;

static void direct_geometry(const Conv *s, Direct *d) {
  d->Hp = s->outH + s->kH - 1;
  d->Wp = s->outW + s->kW - 1;
  d->Q = s->outH * d->Wp;
  d->Qr = (d->Q + 3) & ~3;
  /* the last tap of the last column block reads up to Hp·Wp + (Qr - Q) + kW - 2 past a plane's start */
  d->padded = (s->inC * d->Hp * d->Wp + (d->Qr - d->Q) + s->kW + 3) & ~3;
  d->tmp = s->outC * d->Qr;
}

/* Stride 1 and not too many garbage columns (Wp ≤ 2·outW); 1×1 identity convs use the plain GEMM. */
static int use_direct(const Conv *s) {
  return s->sH == 1 && s->sW == 1 && !col_is_identity(s) && s->outW + s->kW - 1 <= 2 * s->outW;
}

/* Floats of scratch conv2d_forward needs (the caller allocates them; 64-byte aligned). */
EXPORT int conv2d_forward_scratch(const Conv *s) {
  const int K = s->inC * s->kH * s->kW;
  if (col_is_identity(s)) return 0;
  if (use_direct(s)) {
    Direct d;
    direct_geometry(s, &d);
    return d.padded + d.tmp + K;
  }
  return K * s->outH * s->outW;
}

/* koff[k] for tap k = (ic, ky, kx): its shift in the padded image. */
static void direct_offsets(const Conv *s, const Direct *d, int *koff) {
  const int plane = d->Hp * d->Wp;
  for (int ic = 0, k = 0; ic < s->inC; ic++)
    for (int ky = 0; ky < s->kH; ky++)
      for (int kx = 0; kx < s->kW; kx++, k++) koff[k] = ic * plane + ky * d->Wp + kx;
}

/* Copies one image into the interior of the padded buffer (whose borders the caller zeroed once). */
static void pad_image(const Conv *s, const Direct *d, const float *restrict img, float *restrict padded) {
  const int plane = d->Hp * d->Wp;
  /* input rows iy map to padded rows iy + padT (kept if < Hp), columns ix to ix + padL (kept if < Wp) */
  const int iy0 = s->padT < 0 ? -s->padT : 0, ix0 = s->padL < 0 ? -s->padL : 0;
  int iy1 = d->Hp - s->padT, ix1 = d->Wp - s->padL;
  if (iy1 > s->inH) iy1 = s->inH;
  if (ix1 > s->inW) ix1 = s->inW;
  for (int ic = 0; ic < s->inC; ic++)
    for (int iy = iy0; iy < iy1; iy++) {
      const float *src = img + (ic * s->inH + iy) * s->inW;
      float *dst = padded + ic * plane + (iy + s->padT) * d->Wp + s->padL;
      int ix = ix0;
      for (; ix + 4 <= ix1; ix += 4) wasm_v128_store(dst + ix, wasm_v128_load(src + ix));
      for (; ix < ix1; ix++) dst[ix] = src[ix];
    }
}

/* acc = 1: out += conv (used for dinp in backward); bias and relu then must be off. */
static void conv2d_forward_direct(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                                  float *scratch, int relu, int acc) {
  Direct d;
  direct_geometry(s, &d);
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW, OC = s->outC;
  const int inSize = s->inC * s->inH * s->inW, outSize = OC * P;
  float *padded = scratch, *tmp = scratch + d.padded;
  int *koff = (int *)(tmp + d.tmp);
  direct_offsets(s, &d, koff);
  /* zero once: the borders stay zero, each image overwrites the same interior */
  for (int i = 0; i < d.padded; i++) padded[i] = 0.f;
  for (int n = 0; n < s->batch; n++) {
    pad_image(s, &d, inp + n * inSize, padded);
    int j = 0;
    for (; j + 8 <= d.Qr; j += 8)
      dtiles_rows(OC, K, koff, w, K, padded + j, tmp + j, d.Qr, bias, relu, dtile_4x2, dtile_3x2, dtile_2x2,
                  dtile_1x2);
    if (j < d.Qr)
      dtiles_rows(OC, K, koff, w, K, padded + j, tmp + j, d.Qr, bias, relu, dtile_4x1, dtile_3x1, dtile_2x1,
                  dtile_1x1);
    /* drop the garbage columns */
    float *o = out + n * outSize;
    for (int oc = 0; oc < OC; oc++)
      for (int oy = 0; oy < s->outH; oy++) {
        const float *src = tmp + oc * d.Qr + oy * d.Wp;
        float *dst = o + (oc * s->outH + oy) * s->outW;
        int ox = 0;
        if (acc) {
          for (; ox + 4 <= s->outW; ox += 4)
            wasm_v128_store(dst + ox, wasm_f32x4_add(wasm_v128_load(dst + ox), wasm_v128_load(src + ox)));
          for (; ox < s->outW; ox++) dst[ox] += src[ox];
        } else {
          for (; ox + 4 <= s->outW; ox += 4) wasm_v128_store(dst + ox, wasm_v128_load(src + ox));
          for (; ox < s->outW; ox++) dst[ox] = src[ox];
        }
      }
  }
}

/* out[n] = W[outC×K] · col + bias (then max(0, ·) if relu). col: conv2d_forward_scratch(s) floats. */
EXPORT void conv2d_forward(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                           float *col, int relu) {
  if (use_direct(s)) {
    conv2d_forward_direct(s, inp, w, bias, out, col, relu, 0);
    return;
  }
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW;
  const int inSize = s->inC * s->inH * s->inW, outSize = s->outC * P;
  const int ident = col_is_identity(s);
  for (int n = 0; n < s->batch; n++) {
    const float *img = inp + n * inSize;
    float *o = out + n * outSize;
    const float *B = img;
    if (!ident) {
      im2col(s, img, col);
      B = col;
    }
    if (bias) {
      for (int oc = 0; oc < s->outC; oc++) {
        v128_t b = wasm_f32x4_splat(bias[oc]);
        float *r = o + oc * P;
        int p = 0;
        for (; p + 4 <= P; p += 4) wasm_v128_store(r + p, b);
        for (; p < P; p++) r[p] = bias[oc];
      }
    }
    gemm(s->outC, P, K, w, K, B, P, o, P, bias != 0);
    if (relu) relu_forward(outSize, o, o);
  }
}

/*
 * dW by shifted planes: dW[oc][k] += Σ_q doutP[oc][q] · padded[koff[k] + q], where doutP is the image's dout laid
 * out with the padded row length Wp and ZEROS in the garbage columns (so they add nothing). Tile: MR rows of
 * doutP × NR taps, 4-lane partial sums along q (like gemm_nt), accumulating into C.
 */
#define NTD_TILE(MR, NR)                                                                                          \
  static void ntd_##MR##x##NR(int Q, const float *restrict A, int lda, const float *restrict B,                   \
                              const int *restrict koff, float *restrict C, int ldc) {                            \
    const float *Bj[NR];                                                                                          \
    for (int j = 0; j < NR; j++) Bj[j] = B + koff[j];                                                             \
    v128_t s[MR][NR];                                                                                             \
    for (int i = 0; i < MR; i++)                                                                                  \
      for (int j = 0; j < NR; j++) s[i][j] = wasm_f32x4_splat(0.f);                                               \
    for (int q = 0; q < Q; q += 4) {                                                                              \
      v128_t b[NR];                                                                                               \
      for (int j = 0; j < NR; j++) b[j] = wasm_v128_load(Bj[j] + q);                                             \
      for (int i = 0; i < MR; i++) {                                                                              \
        v128_t a = wasm_v128_load(A + i * lda + q);                                                               \
        for (int j = 0; j < NR; j++) s[i][j] = MADD(a, b[j], s[i][j]);                  \
      }                                                                                                           \
    }                                                                                                             \
    for (int i = 0; i < MR; i++)                                                                                  \
      for (int j = 0; j < NR; j++) {                                                                              \
        v128_t v = s[i][j];                                                                                       \
        C[i * ldc + j] += wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) +                         \
                          wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3);                          \
      }                                                                                                           \
  }

NTD_TILE(4, 2)
NTD_TILE(3, 2)
NTD_TILE(2, 2)
NTD_TILE(1, 2)
NTD_TILE(4, 1)
NTD_TILE(3, 1)
NTD_TILE(2, 1)
NTD_TILE(1, 1)

typedef void (*ntd_fn)(int, const float *, int, const float *, const int *, float *, int);

static void ntd_rows(int M, int Q, const float *A, int lda, const float *B, const int *koff, float *C, int ldc,
                     ntd_fn f4, ntd_fn f3, ntd_fn f2, ntd_fn f1) {
  int i = 0;
  for (; i + 4 <= M; i += 4) f4(Q, A + i * lda, lda, B, koff, C + i * ldc, ldc);
  int r = M - i;
  if (r == 3) f3(Q, A + i * lda, lda, B, koff, C + i * ldc, ldc);
  else if (r == 2) f2(Q, A + i * lda, lda, B, koff, C + i * ldc, ldc);
  else if (r == 1) f1(Q, A + i * lda, lda, B, koff, C + i * ldc, ldc);
}

/*
 * The stride-1 convolution that computes dinp from dout: a "full" correlation of dout with the flipped kernel,
 * input channels = outC, output = [inC, inH, inW], padding kH-1-padT / kW-1-padL.
 */
static void dinp_conv(const Conv *s, Conv *t) {
  t->batch = s->batch;
  t->inC = s->outC;
  t->inH = s->outH;
  t->inW = s->outW;
  t->outC = s->inC;
  t->kH = s->kH;
  t->kW = s->kW;
  t->sH = 1;
  t->sW = 1;
  t->padT = s->kH - 1 - s->padT;
  t->padL = s->kW - 1 - s->padL;
  t->outH = s->inH;
  t->outW = s->inW;
}

#define ALIGN16(n) (((n) + 15) & ~15)

static int use_direct_backward(const Conv *s) {
  Conv t;
  dinp_conv(s, &t);
  return use_direct(s) && use_direct(&t);
}

/* Floats of scratch conv2d_backward needs (the caller allocates them). */
EXPORT int conv2d_backward_scratch(const Conv *s) {
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW, OC = s->outC;
  if (use_direct_backward(s)) {
    Direct d;
    Conv t;
    direct_geometry(s, &d);
    dinp_conv(s, &t);
    return ALIGN16(d.padded) + ALIGN16(OC * d.Qr) + ALIGN16(K) + ALIGN16(K * OC) + conv2d_forward_scratch(&t);
  }
  return ALIGN16(K * P) + ALIGN16(K * OC) + K * P;
}

static void conv2d_backward_direct(const Conv *s, const float *inp, const float *w, const float *dout, float *dinp,
                                   float *dw, float *dbias, float *scratch) {
  Direct d;
  direct_geometry(s, &d);
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW, OC = s->outC;
  const int inSize = s->inC * s->inH * s->inW, outSize = OC * P;
  float *padded = scratch;
  float *doutP = padded + ALIGN16(d.padded);
  int *koff = (int *)(doutP + ALIGN16(OC * d.Qr));
  float *wF = (float *)koff + ALIGN16(K);
  float *rest = wF + ALIGN16(K * OC);
  direct_offsets(s, &d, koff);
  for (int i = 0; i < d.padded; i++) padded[i] = 0.f;
  for (int i = 0; i < OC * d.Qr; i++) doutP[i] = 0.f;
  for (int n = 0; n < s->batch; n++) {
    const float *dn = dout + n * outSize;
    pad_image(s, &d, inp + n * inSize, padded);
    for (int oc = 0; oc < OC; oc++)
      for (int oy = 0; oy < s->outH; oy++) {
        const float *src = dn + (oc * s->outH + oy) * s->outW;
        float *dst = doutP + oc * d.Qr + oy * d.Wp;
        int ox = 0;
        for (; ox + 4 <= s->outW; ox += 4) wasm_v128_store(dst + ox, wasm_v128_load(src + ox));
        for (; ox < s->outW; ox++) dst[ox] = src[ox];
      }
    int j = 0;
    for (; j + 2 <= K; j += 2)
      ntd_rows(OC, d.Qr, doutP, d.Qr, padded, koff + j, dw + j, K, ntd_4x2, ntd_3x2, ntd_2x2, ntd_1x2);
    if (j < K) ntd_rows(OC, d.Qr, doutP, d.Qr, padded, koff + j, dw + j, K, ntd_4x1, ntd_3x1, ntd_2x1, ntd_1x1);
    if (dbias) {
      for (int oc = 0; oc < OC; oc++) {
        const float *r = dn + oc * P;
        v128_t acc = wasm_f32x4_splat(0.f);
        int p = 0;
        for (; p + 4 <= P; p += 4) acc = wasm_f32x4_add(acc, wasm_v128_load(r + p));
        float sum = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) +
                    wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
        for (; p < P; p++) sum += r[p];
        dbias[oc] += sum;
      }
    }
  }
  if (dinp) {
    /* flipped, transposed kernel: wF[ic][oc][ky][kx] = w[oc][ic][kH-1-ky][kW-1-kx] */
    const int KK = s->kH * s->kW;
    for (int oc = 0; oc < OC; oc++)
      for (int ic = 0; ic < s->inC; ic++)
        for (int kk = 0; kk < KK; kk++) wF[(ic * OC + oc) * KK + kk] = w[(oc * s->inC + ic) * KK + (KK - 1 - kk)];
    Conv t;
    dinp_conv(s, &t);
    conv2d_forward_direct(&t, dout, wF, 0, dinp, rest, 0, 1);
  }
}

/*
 * Accumulates dW, dbias and (unless dinp == 0) dinp. Scratch: conv2d_backward_scratch(s) floats; im2col path:
 * col K·P, wT K·outC, dcol K·P.
 *   dW[outC×K]  += dout_n[outC×P] · col[K×P]ᵀ   (gemm_nt: dot products along the output pixels)
 *   dcol[K×P]    = Wᵀ[K×outC] · dout_n[outC×P]  (then col2im into dinp)
 */
EXPORT void conv2d_backward(const Conv *s, const float *inp, const float *w, const float *dout, float *dinp,
                            float *dw, float *dbias, float *scratch) {
  if (use_direct_backward(s)) {
    conv2d_backward_direct(s, inp, w, dout, dinp, dw, dbias, scratch);
    return;
  }
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW, OC = s->outC;
  float *col = scratch, *wT = col + ALIGN16(K * P), *dcol = wT + ALIGN16(K * OC);
  const int inSize = s->inC * s->inH * s->inW, outSize = OC * P;
  const int ident = col_is_identity(s);
  if (dinp) transpose(OC, K, w, wT, 0);
  for (int n = 0; n < s->batch; n++) {
    const float *img = inp + n * inSize;
    const float *d = dout + n * outSize;
    const float *B = img;
    if (!ident) {
      im2col(s, img, col);
      B = col;
    }
    gemm_nt(OC, K, P, d, P, B, P, dw, K, 1);
    if (dbias) {
      for (int oc = 0; oc < OC; oc++) {
        const float *r = d + oc * P;
        v128_t acc = wasm_f32x4_splat(0.f);
        int p = 0;
        for (; p + 4 <= P; p += 4) acc = wasm_f32x4_add(acc, wasm_v128_load(r + p));
        float sum = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) +
                    wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
        for (; p < P; p++) sum += r[p];
        dbias[oc] += sum;
      }
    }
    if (dinp) {
      float *di = dinp + n * inSize;
      if (ident) {
        gemm(K, P, OC, wT, OC, d, P, di, P, 1);
      } else {
        gemm(K, P, OC, wT, OC, d, P, dcol, P, 0);
        col2im(s, dcol, di);
      }
    }
  }
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Dense                                                                                                         */
/* ------------------------------------------------------------------------------------------------------------ */

/* out[B×O] = inp[B×I] · Wᵀ + bias (gemm_nt: dot products along the input features, no transpose). */
EXPORT void dense_forward(int B, int I, int O, const float *inp, const float *w, const float *bias, float *out) {
  if (bias) {
    for (int b = 0; b < B; b++)
      for (int o = 0; o < O; o++) out[b * O + o] = bias[o];
  }
  gemm_nt(B, O, I, inp, I, w, I, out, O, bias != 0);
}

/* dW[O×I] += doutᵀ · inp; dinp[B×I] += dout · W; dbias += Σ_b dout. doutT: scratch O·B floats. */
EXPORT void dense_backward(int B, int I, int O, const float *inp, const float *w, const float *dout, float *dinp,
                           float *dw, float *dbias, float *doutT) {
  transpose(B, O, dout, doutT, 0);
  gemm(O, I, B, doutT, B, inp, I, dw, I, 1);
  if (dinp) gemm(B, I, O, dout, O, w, I, dinp, I, 1);
  if (dbias)
    for (int b = 0; b < B; b++)
      for (int o = 0; o < O; o++) dbias[o] += dout[b * O + o];
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Pooling, ReLU                                                                                                 */
/* ------------------------------------------------------------------------------------------------------------ */

/*
 * argmax holds the flat index into the whole inp tensor. Like the reference: candidates are visited row-major
 * from −∞ with a strict >, so ties keep the first position, NaNs are never picked, and a window with no value
 * above −∞ (all NaN or −∞) reports its first position and value.
 */
INLINE void pool_pick(float v, int i, float *m, int *best) {
  if (v > *m) {
    *m = v;
    *best = i;
  }
}

EXPORT void maxpool_forward(int batch, int C, int H, int W, int pH, int pW, int sH, int sW, int oH, int oW,
                            const float *inp, float *out, int *argmax) {
  const float NEG_INF = -__builtin_inff();
  int o = 0;
  for (int nc = 0; nc < batch * C; nc++) {
    const int base = nc * H * W;
    if (pH == 2 && pW == 2 && sH == 2 && sW == 2) {
      const v128_t ninf = wasm_f32x4_splat(NEG_INF);
      const v128_t lane2 = wasm_i32x4_make(0, 2, 4, 6);
      for (int oy = 0; oy < oH; oy++) {
        const int r0 = base + (2 * oy) * W, r1 = r0 + W;
        const int orow = o;
        int ox = 0;
        /* 4 outputs at a time; a row tail of 1..3 outputs redoes the last 4 of the row (same values) when oW ≥ 4 */
        for (; ox < oW && oW >= 4; ox += 4, o += 4) {
          if (ox + 4 > oW) {
            ox = oW - 4;
            o = orow + ox;
          }
          const int i0 = r0 + 2 * ox, i1 = r1 + 2 * ox;
          v128_t a = wasm_v128_load(inp + i0), b = wasm_v128_load(inp + i0 + 4);
          v128_t c = wasm_v128_load(inp + i1), d = wasm_v128_load(inp + i1 + 4);
          v128_t e0 = wasm_i32x4_shuffle(a, b, 0, 2, 4, 6), o0 = wasm_i32x4_shuffle(a, b, 1, 3, 5, 7);
          v128_t e1 = wasm_i32x4_shuffle(c, d, 0, 2, 4, 6), o1 = wasm_i32x4_shuffle(c, d, 1, 3, 5, 7);
          v128_t idx0 = wasm_i32x4_add(wasm_i32x4_splat(i0), lane2);
          v128_t idx1 = wasm_i32x4_add(wasm_i32x4_splat(i1), lane2);
          v128_t one = wasm_i32x4_splat(1);
          v128_t m = ninf, best = idx0, k;
          k = wasm_f32x4_gt(e0, m);
          m = wasm_v128_bitselect(e0, m, k);
          k = wasm_f32x4_gt(o0, m);
          m = wasm_v128_bitselect(o0, m, k);
          best = wasm_v128_bitselect(wasm_i32x4_add(idx0, one), best, k);
          k = wasm_f32x4_gt(e1, m);
          m = wasm_v128_bitselect(e1, m, k);
          best = wasm_v128_bitselect(idx1, best, k);
          k = wasm_f32x4_gt(o1, m);
          m = wasm_v128_bitselect(o1, m, k);
          best = wasm_v128_bitselect(wasm_i32x4_add(idx1, one), best, k);
          m = wasm_v128_bitselect(e0, m, wasm_f32x4_eq(m, ninf));
          wasm_v128_store(out + o, m);
          wasm_v128_store(argmax + o, best);
        }
        for (; ox < oW; ox++, o++) {
          const int i0 = r0 + 2 * ox, i1 = r1 + 2 * ox;
          float m = NEG_INF;
          int best = i0;
          pool_pick(inp[i0], i0, &m, &best);
          pool_pick(inp[i0 + 1], i0 + 1, &m, &best);
          pool_pick(inp[i1], i1, &m, &best);
          pool_pick(inp[i1 + 1], i1 + 1, &m, &best);
          out[o] = inp[best];
          argmax[o] = best;
        }
      }
      continue;
    }
    for (int oy = 0; oy < oH; oy++)
      for (int ox = 0; ox < oW; ox++, o++) {
        int best = base + (oy * sH) * W + ox * sW;
        float m = NEG_INF;
        for (int py = 0; py < pH; py++)
          for (int px = 0; px < pW; px++) {
            int idx = base + (oy * sH + py) * W + ox * sW + px;
            pool_pick(inp[idx], idx, &m, &best);
          }
        out[o] = inp[best];
        argmax[o] = best;
      }
  }
}

EXPORT void maxpool_backward(int n, const float *dout, const int *argmax, float *dinp) {
  for (int i = 0; i < n; i++) dinp[argmax[i]] += dout[i];
}

EXPORT void relu_forward(int n, const float *inp, float *out) {
  const v128_t z = wasm_f32x4_splat(0.f);
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, wasm_f32x4_pmax(z, wasm_v128_load(inp + i)));
  for (; i < n; i++) out[i] = inp[i] > 0.f ? inp[i] : 0.f;
}

EXPORT void relu_backward(int n, const float *out, const float *dout, float *dinp) {
  const v128_t z = wasm_f32x4_splat(0.f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t m = wasm_f32x4_gt(wasm_v128_load(out + i), z);
    v128_t d = wasm_v128_and(wasm_v128_load(dout + i), m);
    wasm_v128_store(dinp + i, wasm_f32x4_add(wasm_v128_load(dinp + i), d));
  }
  for (; i < n; i++)
    if (out[i] > 0.f) dinp[i] += dout[i];
}
