/*
 * Convolution helpers: im2col / col2im and the flipped kernel of the dx convolution.
 * Part of kernels-impl.h (included in order; same VL, vf, MADD, MR and NAME).
 */
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
