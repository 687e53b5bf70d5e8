/*
 * Max pooling and ReLU, forward and backward.
 * Part of kernels-impl.h (included in order; same VL, vf, MADD, MR and NAME).
 */
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
