/*
 * Inference only: conv2d + ReLU + max pooling in one pass (included at the end of kernels-impl.h; same VL, NAME).
 *
 * Unfused, a conv layer writes its whole output (the reference CNN's first conv: 3.2 MB at batch 64), the pool reads
 * it back from memory and writes its output and the argmax switches that only backward needs. Here each image's
 * conv + ReLU output goes to a scratch buffer that stays in cache (one image: 50 KB), and is pooled from there
 * without switches. The conv is NAME(conv2d_forward) itself, called per image, so results are the same bits.
 *
 * After the ReLU every value is +0 or positive and none is NaN, so a plain max gives the reference pool's value
 * (its first-maximum rule only matters for the switches, which are not written).
 */

/* Floats of scratch NAME(conv2d_relu_maxpool_forward) asks for: the conv's own (for one image), then one image's
 * conv output. */
size_t NAME(conv2d_relu_maxpool_forward_scratch)(const Conv *s) {
  Conv one = *s;
  one.batch = 1;
  return NAME(conv2d_forward_scratch)(&one) + (size_t)s->outC * s->outH * s->outW + 16;
}

static inline float max2(float a, float b) { return a > b ? a : b; }

/* 2×2 windows, stride 2, four outputs at a time from two rows (W apart), as four-lane vectors. */
STATIC void pool2x2_4_values(const float *restrict x, int W, float *restrict y) {
  const p4 a = *(const p4 *)x, b = *(const p4 *)(x + 4), c = *(const p4 *)(x + W), d = *(const p4 *)(x + W + 4);
  const p4 e0 = __builtin_shufflevector(a, b, 0, 2, 4, 6), o0 = __builtin_shufflevector(a, b, 1, 3, 5, 7);
  const p4 e1 = __builtin_shufflevector(c, d, 0, 2, 4, 6), o1 = __builtin_shufflevector(c, d, 1, 3, 5, 7);
  const p4 m0 = sel4(e0 > o0, e0, o0), m1 = sel4(e1 > o1, e1, o1);
  *(p4 *)y = sel4(m0 > m1, m0, m1);
}

/* Max pooling of C planes of H×W (non-negative, no NaN) into C planes of g->oH × g->oW. */
static void pool_planes_max(int C, int H, int W, const PoolGeom *g, const float *restrict x, float *restrict y) {
  for (int c = 0; c < C; c++) {
    const float *plane = x + (size_t)c * H * W;
    float *o = y + (size_t)c * g->oH * g->oW;
    if (g->pH == 2 && g->pW == 2 && g->sH == 2 && g->sW == 2 && g->oW >= 4) {
      for (int oy = 0; oy < g->oH; oy++)
        /* a row tail of 1..3 redoes the row's last 4 (same values) */
        for (int ox = 0; ox < g->oW; ox += 4) {
          if (ox + 4 > g->oW) ox = g->oW - 4;
          pool2x2_4_values(plane + 2 * oy * W + 2 * ox, W, o + oy * g->oW + ox);
        }
      continue;
    }
    for (int oy = 0; oy < g->oH; oy++)
      for (int ox = 0; ox < g->oW; ox++) {
        const float *win = plane + oy * g->sH * W + ox * g->sW;
        float m = win[0];
        for (int py = 0; py < g->pH; py++)
          for (int px = 0; px < g->pW; px++) m = max2(m, win[py * W + px]);
        o[oy * g->oW + ox] = m;
      }
  }
}

void NAME(conv2d_relu_maxpool_forward)(const Conv *s, const PoolGeom *g, const float *inp, const float *w,
                                       const float *bias, float *out) {
  Conv one = *s;
  one.batch = 1;
  const size_t convScratch = NAME(conv2d_forward_scratch)(&one);
  /* one allocation for both: the conv's scratch_floats(convScratch) then returns the same, large enough, buffer */
  float *img = scratch_floats(NAME(conv2d_relu_maxpool_forward_scratch)(s)) + convScratch;
  const size_t inSize = (size_t)s->inC * s->inH * s->inW, outSize = (size_t)s->outC * g->oH * g->oW;
  for (int n = 0; n < s->batch; n++) {
    NAME(conv2d_forward)(&one, inp + n * inSize, w, bias, img, 1);
    pool_planes_max(s->outC, s->outH, s->outW, g, img, out + n * outSize);
  }
}
