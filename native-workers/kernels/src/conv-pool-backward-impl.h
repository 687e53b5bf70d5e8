/*
 * Training backward of a conv + ReLU + 2×2/2 max pool whose input needs no gradient (a network's first conv): the
 * weight and bias gradients straight from the pool's output gradient, its switches and its output. After the pool
 * and the relu, the gradient of the conv's output is non-zero only at each window's switch, where the relu passed
 * (the pooled output > 0), so
 *   dW[oc][c][ky][kx] += Σ_j g[j] · xpad[c][switch_j + (ky, kx)],   dbias[oc] += Σ_j g[j],   g = dout where out > 0
 * over the pooled positions j: a quarter of the dense dW's products, and the conv output's gradient (4× the pool's
 * output: 3.2 MB per batch of 64 for the reference CNN) is never written, zeroed nor read back. The same sums as
 * maxPool2dReluBackward into a zeroed buffer then conv2d_backward, without the zero products, in another order.
 *
 * Vectors run over VL pooled positions of one (image, output channel) plane, in its own order (j = oy·oW + ox). A
 * lane's switch is one of its window's 4 pixels (phase dy, dx); the pixels the taps read are then within the
 * (KH+1)×(KW+1) block at the window's top-left, xpad[2·oy + u][2·ox + v], and each (u, v) is one vector load from
 * "phase planes" laid out like the pooled plane: E[s][a][b][r·oW + c] = xpad[2r + a][2(c + s) + b], so that
 * L(u, v) = E[v/2][u%2][v%2] + (u/2)·oW + j. Then acc[ky][kx] += g · L(ky + dy, kx + dx) with each lane's own
 * (dy, dx): picked by blends on AVX-512 and AVX2 and by bitwise selects on wasm (KH·KW multiply-adds per VL
 * positions), else as 4·KH·KW multiply-adds of g masked to each phase's lanes (pb_taps).
 *
 * Returns 0, having written nothing, when it does not apply (not stride 1, not a 2×2/2 pool that tiles the conv's
 * output, kernels over 7×7), when a switch is outside its window, or when the input has a non-finite value (the
 * dense products would then turn the skipped zeros into NaN): the caller then takes the unfused path.
 * Included after kernels-impl.h by kernels-v4.c, kernels-avx2.c, kernels-avx512.c and kernels-wasm.c.
 */
typedef int vil __attribute__((vector_size(VL * 4), aligned(4), may_alias));

/* The geometry of the phase planes and where each part of the scratch starts (in floats, VL-aligned). */
typedef struct {
  int oH, oW, P, S, R, Hx, Wx, KK;
  size_t plane, xpad, e, woff, acc, total;
} PoolBack;

static size_t pb_round(size_t n) { return (n + VL - 1) / VL * VL; }

static int pb_applies(const Conv *s, const PoolGeom *g) {
  return s->sH == 1 && s->sW == 1 && g->pH == 2 && g->pW == 2 && g->sH == 2 && g->sW == 2 &&
         s->outH == 2 * g->oH && s->outW == 2 * g->oW && s->kH <= 7 && s->kW <= 7;
}

static void pb_geometry(const Conv *s, const PoolGeom *g, PoolBack *b) {
  b->oH = g->oH;
  b->oW = g->oW;
  b->P = g->oH * g->oW;
  b->S = s->kW / 2 + 1;      /* column shifts v/2 for v in [0, KW] */
  b->R = g->oH + s->kH / 2;  /* rows r = oy + u/2 for u in [0, KH] */
  b->Hx = 2 * b->R;
  b->Wx = 2 * ((int)pb_round(g->oW) + b->S); /* the vector split of a row reads up to a whole vector past oW */
  b->KK = s->kH * s->kW;
  b->plane = pb_round((size_t)b->R * b->oW + VL); /* the last vector of a plane reads up to VL − 1 past it */
  b->xpad = 0;
  b->e = pb_round((size_t)b->Hx * b->Wx);
  b->woff = b->e + 4 * b->S * b->plane;
  b->acc = b->woff + pb_round((size_t)b->P + VL);
  b->total = b->acc + ((size_t)s->outC * s->inC * b->KK + s->outC) * VL;
}

size_t NAME(conv2d_relu_maxpool_backward_params_scratch)(const Conv *s, const PoolGeom *g) {
  if (!pb_applies(s, g)) return 0;
  PoolBack b;
  pb_geometry(s, g, &b);
  return b.total;
}

/* One input channel of one image into the zero-padded xpad (its border stays zero) and its phase planes; returns
 * nonzero if a pixel the conv reads is not finite. */
static int pb_phase_planes(const Conv *s, const PoolBack *b, const float *x, float *restrict xpad, float *restrict e) {
  const int rows = s->inH < b->Hx - s->padT ? s->inH : b->Hx - s->padT;
  const int cols = s->inW < b->Wx - s->padL ? s->inW : b->Wx - s->padL;
  vi bad = (vi){0};
  int badTail = 0;
  for (int y = 0; y < rows; y++) {
    const float *src = x + (size_t)y * s->inW;
    float *dst = xpad + (size_t)(y + s->padT) * b->Wx + s->padL;
    int c = 0;
    for (; c < cols && cols >= VL; c += VL) {
      if (c + VL > cols) c = cols - VL; /* a row's tail: its last vector again */
      const vf v = vld(src + c), z = v * 0.f; /* NaN exactly where v is not finite */
      bad |= z != z;
      vst(dst + c, v);
    }
    for (; c < cols; c++) { /* rows narrower than a vector */
      const float z = src[c] * 0.f;
      badTail |= z != z;
      dst[c] = src[c];
    }
  }
  for (int l = 0; l < VL; l++) badTail |= bad[l];
  const int n = (int)pb_round(b->oW);
  for (int sh = 0; sh < b->S; sh++)
    for (int a = 0; a < 2; a++) {
      float *even = e + (size_t)((sh * 2 + a) * 2) * b->plane, *odd = even + b->plane;
      /* rows in order: a row's split writes past oW into the next row, which then overwrites it */
      for (int r = 0; r < b->R; r++)
        split_even_odd(even + r * b->oW, odd + r * b->oW, xpad + (size_t)(2 * r + a) * b->Wx + 2 * sh, n);
    }
  return badTail;
}

#if VL == 16 && defined(__AVX512F__)
#include <immintrin.h>
/*
 * acc[ky][kx] += g · L(ky + dy, kx + dx) with each lane's own phase: per row u of the block, the lanes' column
 * picked by a blend (right: dx = 1), then per tap the row (down: dy = 1): KW·(KH+1) + KH·KW blends and KH·KW
 * multiply-adds per VL positions instead of 4·KH·KW multiply-adds (blends issue on more ports than FMAs).
 */
STATIC void pb_taps(const int KH, const int KW, const float *row0, size_t plane, int oW, vf g, vi at, int W,
                    vf *restrict a) {
  const __mmask16 right = _mm512_test_epi32_mask((__m512i)at, _mm512_set1_epi32(1));
  const __mmask16 down = _mm512_cmpge_epi32_mask((__m512i)at, _mm512_set1_epi32(W));
  __m512 prev[7], cur[7];
  UNROLL for (int u = 0; u <= KH; u++) {
    const float *row = row0 + (size_t)((u & 1) * 2) * plane + (u >> 1) * oW;
    __m512 L[8];
    UNROLL for (int v = 0; v <= KW; v++) L[v] = _mm512_loadu_ps(row + (size_t)((v >> 1) * 4 + (v & 1)) * plane);
    UNROLL for (int kx = 0; kx < KW; kx++) cur[kx] = _mm512_mask_blend_ps(right, L[kx], L[kx + 1]);
    if (u > 0)
      UNROLL for (int kx = 0; kx < KW; kx++) {
        const __m512 x = _mm512_mask_blend_ps(down, prev[kx], cur[kx]);
        a[(u - 1) * KW + kx] = (vf)_mm512_fmadd_ps((__m512)g, x, (__m512)a[(u - 1) * KW + kx]);
      }
    UNROLL for (int kx = 0; kx < KW; kx++) prev[kx] = cur[kx];
  }
}
#elif VL == 8 && defined(__AVX2__)
#include <immintrin.h>
/* AVX2: the AVX-512 variant's picks with vblendvps (one instruction per pick; the lane masks' sign bits select) */
STATIC void pb_taps(const int KH, const int KW, const float *row0, size_t plane, int oW, vf g, vi at, int W,
                    vf *restrict a) {
  const __m256 right = (__m256)((at & 1) != 0), down = (__m256)(at >= W);
  __m256 prev[7], cur[7];
  UNROLL for (int u = 0; u <= KH; u++) {
    const float *row = row0 + (size_t)((u & 1) * 2) * plane + (u >> 1) * oW;
    __m256 L[8];
    UNROLL for (int v = 0; v <= KW; v++) L[v] = _mm256_loadu_ps(row + (size_t)((v >> 1) * 4 + (v & 1)) * plane);
    UNROLL for (int kx = 0; kx < KW; kx++) cur[kx] = _mm256_blendv_ps(L[kx], L[kx + 1], right);
    if (u > 0)
      UNROLL for (int kx = 0; kx < KW; kx++) {
        const __m256 x = _mm256_blendv_ps(prev[kx], cur[kx], down);
        a[(u - 1) * KW + kx] = (vf)_mm256_fmadd_ps((__m256)g, x, (__m256)a[(u - 1) * KW + kx]);
      }
    UNROLL for (int kx = 0; kx < KW; kx++) prev[kx] = cur[kx];
  }
}
#elif defined(__wasm_simd128__)
/* wasm: the AVX-512 variant's picks as bitwise selects (v128.bitselect): KW·(KH+1) + KH·KW selects and KH·KW
 * multiply-adds per VL positions instead of 4·KH·KW (a multiply and an add each in the plain module) */
STATIC void pb_taps(const int KH, const int KW, const float *row0, size_t plane, int oW, vf g, vi at, int W,
                    vf *restrict a) {
  const vi right = (at & 1) != 0, down = at >= W; /* W = 2·oW is even: the odd switches are the right column */
  vf prev[7], cur[7];
  UNROLL for (int u = 0; u <= KH; u++) {
    const float *row = row0 + (size_t)((u & 1) * 2) * plane + (u >> 1) * oW;
    vf L[8];
    UNROLL for (int v = 0; v <= KW; v++) L[v] = vld(row + (size_t)((v >> 1) * 4 + (v & 1)) * plane);
    UNROLL for (int kx = 0; kx < KW; kx++) cur[kx] = (vf)(((vi)L[kx + 1] & right) | ((vi)L[kx] & ~right));
    if (u > 0)
      UNROLL for (int kx = 0; kx < KW; kx++) {
        const vf x = (vf)(((vi)cur[kx] & down) | ((vi)prev[kx] & ~down));
        a[(u - 1) * KW + kx] = MADD(g, x, a[(u - 1) * KW + kx]);
      }
    UNROLL for (int kx = 0; kx < KW; kx++) prev[kx] = cur[kx];
  }
}
#else
/* acc[ky][kx] += g(dy, dx) · L(ky + dy, kx + dx), g(dy, dx) = g in the lanes of that phase, else 0 */
STATIC void pb_taps(const int KH, const int KW, const float *row0, size_t plane, int oW, vf g, vi at, int W,
                    vf *restrict a) {
  const vi gb = (vi)g;
  const vf gp[2][2] = {{(vf)(gb & (at == 0)), (vf)(gb & (at == 1))}, {(vf)(gb & (at == W)), (vf)(gb & (at == W + 1))}};
  UNROLL for (int u = 0; u <= KH; u++) UNROLL for (int v = 0; v <= KW; v++) {
    const vf L = vld(row0 + (size_t)(((v >> 1) * 2 + (u & 1)) * 2 + (v & 1)) * plane + (u >> 1) * oW);
    UNROLL for (int dy = 0; dy < 2; dy++) UNROLL for (int dx = 0; dx < 2; dx++) {
      const int ky = u - dy, kx = v - dx;
      if (ky >= 0 && ky < KH && kx >= 0 && kx < KW) a[ky * KW + kx] = MADD(gp[dy][dx], L, a[ky * KW + kx]);
    }
  }
}
#endif

/*
 * The sums of one (image, output channel, input channel) into acc[KK] (and accb unless null): dout, arg, out are
 * the plane's pooled gradient, switches and output; base is the plane's first index in the conv output; woff[j] the
 * offset of window j's top-left pixel in it. Returns a vector, nonzero in the lanes of switches outside their window.
 */
STATIC vi pb_plane(const int KH, const int KW, const PoolBack *b, const float *restrict e, const float *dout,
                   const int *arg, const float *out, const int *woff, int base, int W, vf *restrict acc,
                   vf *restrict accb) {
  vf a[49];
  UNROLL for (int k = 0; k < KH * KW; k++) a[k] = acc[k];
  vf ab = accb ? *accb : (vf){0};
  vi bad = (vi){0}, lanes;
  UNROLL for (int l = 0; l < VL; l++) lanes[l] = l;
  for (int j0 = 0; j0 < b->P; j0 += VL) {
    int j = j0;
    vf d, o;
    vi at, live = (vi){0} - 1; /* all lanes */
    if (j0 + VL <= b->P || b->P >= VL) {
      /* the last vector of a plane ends at its end, its lanes before j0 (done already) left out */
      if (j0 + VL > b->P) {
        j = b->P - VL;
        live = lanes >= j0 - j;
      }
      d = vld(dout + j);
      o = vld(out + j);
      at = (vi)(*(const vil *)(arg + j) - base - *(const vil *)(woff + j));
    } else { /* a plane smaller than a vector: the lanes past it route nothing from a valid switch */
      d = o = (vf){0};
      at = (vi){0};
      for (int l = 0; l < b->P; l++) {
        d[l] = dout[l];
        o[l] = out[l];
        at[l] = arg[l] - base - woff[l];
      }
    }
    const vf g = (vf)((vi)d & (o > 0.f) & live);
    bad |= (at != 0) & (at != 1) & (at != W) & (at != W + 1);
    ab += g;
    pb_taps(KH, KW, e + j, b->plane, b->oW, g, at, W, a);
  }
  UNROLL for (int k = 0; k < KH * KW; k++) acc[k] = a[k];
  if (accb) *accb = ab;
  return bad;
}

typedef vi (*pb_plane_fn)(int, int, const PoolBack *, const float *, const float *, const int *, const float *,
                          const int *, int, int, vf *, vf *);
/* 3×3 with the taps unrolled (the accumulators in registers); other sizes through the same code at run time */
static vi pb_plane3x3(int KH, int KW, const PoolBack *b, const float *e, const float *dout, const int *arg,
                      const float *out, const int *woff, int base, int W, vf *acc, vf *accb) {
  (void)KH, (void)KW;
  return pb_plane(3, 3, b, e, dout, arg, out, woff, base, W, acc, accb);
}
static vi pb_plane_any(int KH, int KW, const PoolBack *b, const float *e, const float *dout, const int *arg,
                       const float *out, const int *woff, int base, int W, vf *acc, vf *accb) {
  return pb_plane(KH, KW, b, e, dout, arg, out, woff, base, W, acc, accb);
}

int NAME(conv2d_relu_maxpool_backward_params)(const Conv *s, const PoolGeom *g, const float *inp, const float *dout,
                                              const int *arg, const float *out, float *dw, float *db) {
  if (!pb_applies(s, g)) return 0;
  PoolBack b;
  pb_geometry(s, g, &b);
  float *sc = scratch_floats(b.total);
  float *xpad = sc + b.xpad, *e = sc + b.e;
  int *woff = (int *)(sc + b.woff);
  vf *acc = (vf *)(sc + b.acc);
  for (size_t i = 0; i < b.woff; i++) sc[i] = 0.f; /* borders and the planes' tails stay zero */
  for (int j = 0; j < b.P + VL; j++) woff[j] = j < b.P ? 2 * (j / b.oW) * s->outW + 2 * (j % b.oW) : 0;
  const size_t nAcc = (size_t)s->outC * s->inC * b.KK + s->outC;
  for (size_t i = 0; i < nAcc; i++) acc[i] = (vf){0};
  vf *accb = acc + (size_t)s->outC * s->inC * b.KK;
  const pb_plane_fn plane = s->kH == 3 && s->kW == 3 ? pb_plane3x3 : pb_plane_any;
  const int inSize = s->inH * s->inW, convPlane = s->outH * s->outW, OC = s->outC, C = s->inC;
  vi bad = (vi){0};
  for (int n = 0; n < s->batch; n++)
    for (int c = 0; c < C; c++) {
      if (pb_phase_planes(s, &b, inp + (size_t)(n * C + c) * inSize, xpad, e)) return 0;
      for (int oc = 0; oc < OC; oc++) {
        const size_t at = (size_t)(n * OC + oc) * b.P;
        bad |= plane(s->kH, s->kW, &b, e, dout + at, arg + at, out + at, woff, (n * OC + oc) * convPlane, s->outW,
                     acc + (size_t)(oc * C + c) * b.KK, c == 0 ? accb + oc : 0);
      }
    }
  for (int l = 0; l < VL; l++)
    if (bad[l]) return 0;
  for (size_t i = 0; i < (size_t)OC * C * b.KK; i++) dw[i] += vsum(acc[i]);
  if (db)
    for (int oc = 0; oc < OC; oc++) db[oc] += vsum(accb[oc]);
  return 1;
}
