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
 * vectorises over N with 4-wide f32 lanes and keeps a 4×16 (or smaller) tile of C in registers. Convolutions use
 * im2col so that all three convolution GEMMs (forward, dW, dcol) go through it.
 */
#include <wasm_simd128.h>

typedef __SIZE_TYPE__ size_t;

#define EXPORT __attribute__((visibility("default")))
#define INLINE static inline __attribute__((always_inline))

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
        for (int v = 0; v < NV; v++) c[i][v] = wasm_f32x4_add(c[i][v], wasm_f32x4_mul(a, b[v]));                  \
      }                                                                                                           \
    }                                                                                                             \
    for (int i = 0; i < MR; i++)                                                                                  \
      for (int v = 0; v < NV; v++) wasm_v128_store(C + i * ldc + 4 * v, c[i][v]);                                 \
  }

TILE(4, 4)
TILE(3, 4)
TILE(2, 4)
TILE(1, 4)
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
    for (; j + 16 <= N; j += 16) tiles_rows(M, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a, tile_4x4, tile_3x4, tile_2x4, tile_1x4);
    if (j + 8 <= N) {
      tiles_rows(M, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a, tile_4x2, tile_3x2, tile_2x2, tile_1x2);
      j += 8;
    }
    if (j + 4 <= N) {
      tiles_rows(M, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a, tile_4x1, tile_3x1, tile_2x1, tile_1x1);
      j += 4;
    }
    if (j < N) tile_scalar(M, N - j, kc, Ak, lda, Bk + j, ldb, C + j, ldc, a);
  }
}

/* dst[C×R] = srcᵀ, src is R×C. If acc, dst += srcᵀ. */
static void transpose(int R, int Cn, const float *restrict src, float *restrict dst, int acc) {
  if (acc) {
    for (int r = 0; r < R; r++)
      for (int c = 0; c < Cn; c++) dst[c * R + r] += src[r * Cn + c];
  } else {
    for (int r = 0; r < R; r++)
      for (int c = 0; c < Cn; c++) dst[c * R + r] = src[r * Cn + c];
  }
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Convolution                                                                                                   */
/* ------------------------------------------------------------------------------------------------------------ */

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

/* out[n] = W[outC×K] · col + bias. col: scratch of K·P floats. */
EXPORT void conv2d_forward(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                           float *col) {
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
  }
}

/*
 * Accumulates dW, dbias and (unless dinp == 0) dinp.
 * Scratch (floats): col K·P, doutT P·outC, dwT K·outC, wT K·outC, dcol K·P.
 *   dWᵀ[K×outC] += col[K×P] · dout_nᵀ[P×outC]    (vectorises over outC, inner dimension P)
 *   dcol[K×P]    = Wᵀ[K×outC] · dout_n[outC×P]    (then col2im into dinp)
 */
EXPORT void conv2d_backward(const Conv *s, const float *inp, const float *w, const float *dout, float *dinp,
                            float *dw, float *dbias, float *col, float *doutT, float *dwT, float *wT,
                            float *dcol) {
  const int K = s->inC * s->kH * s->kW, P = s->outH * s->outW, OC = s->outC;
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
    transpose(OC, P, d, doutT, 0);
    gemm(K, OC, P, B, P, doutT, OC, dwT, OC, n > 0);
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
  if (s->batch > 0) transpose(K, OC, dwT, dw, 1);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Dense                                                                                                         */
/* ------------------------------------------------------------------------------------------------------------ */

/* out[B×O] = inp[B×I] · Wᵀ + bias; wT: scratch I·O floats. */
EXPORT void dense_forward(int B, int I, int O, const float *inp, const float *w, const float *bias, float *out,
                          float *wT) {
  transpose(O, I, w, wT, 0);
  if (bias) {
    for (int b = 0; b < B; b++)
      for (int o = 0; o < O; o++) out[b * O + o] = bias[o];
  }
  gemm(B, O, I, inp, I, wT, O, out, O, bias != 0);
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

/* argmax holds the flat index into the whole inp tensor; ties keep the first (row-major) position. */
EXPORT void maxpool_forward(int batch, int C, int H, int W, int pH, int pW, int sH, int sW, int oH, int oW,
                            const float *inp, float *out, int *argmax) {
  int o = 0;
  for (int nc = 0; nc < batch * C; nc++) {
    const int base = nc * H * W;
    if (pH == 2 && pW == 2 && sH == 2 && sW == 2) {
      for (int oy = 0; oy < oH; oy++) {
        const int r0 = base + (2 * oy) * W, r1 = r0 + W;
        for (int ox = 0; ox < oW; ox++, o++) {
          int i0 = r0 + 2 * ox;
          int best = i0;
          float m = inp[i0];
          if (inp[i0 + 1] > m) { m = inp[i0 + 1]; best = i0 + 1; }
          int i1 = r1 + 2 * ox;
          if (inp[i1] > m) { m = inp[i1]; best = i1; }
          if (inp[i1 + 1] > m) { m = inp[i1 + 1]; best = i1 + 1; }
          out[o] = m;
          argmax[o] = best;
        }
      }
      continue;
    }
    for (int oy = 0; oy < oH; oy++)
      for (int ox = 0; ox < oW; ox++, o++) {
        int best = base + (oy * sH) * W + ox * sW;
        float m = inp[best];
        for (int py = 0; py < pH; py++)
          for (int px = 0; px < pW; px++) {
            int idx = base + (oy * sH + py) * W + ox * sW + px;
            if (inp[idx] > m) { m = inp[idx]; best = idx; }
          }
        out[o] = m;
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
