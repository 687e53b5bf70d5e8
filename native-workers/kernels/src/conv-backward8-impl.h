/*
 * AVX2 (VL 8, 16 ymm registers) pieces of the conv backward: 8×8 register transposes for the batch-interleaved
 * path's layout changes (conv_backward_ilv), and the dx convolutions (interleaved and shifted planes) with taller
 * register tiles.
 *   - The 16-lane build moves activations between image-major and "NB images innermost" with 16×16 block
 *     transposes (block-transpose-impl.h); at 8 lanes those moves were scalar copies, one element per store into a
 *     different line (a third of the reference CNN's second conv backward under perf). Here they are 8×8 blocks:
 *     pure data movement, bit for bit the scalar loops' results (transpose_block8, in block-transpose-impl.h).
 *   - The dx convolution accumulates 6 channels × 2 vectors (12 of the 16 registers) per tile instead of MR = 4,
 *     enough independent FMA chains to cover the FMA latency at two per cycle; the tile is dtile_gen's, so each
 *     output is the same chain of fused multiply-adds in the same order as before (bit for bit).
 * Own header (not conv_forward_ilv) so that the forward's code paths are untouched.
 * Part of kernels-impl.h, included by conv-ilv-impl.h before conv_backward_ilv (same VL, vf, MADD, MR and NAME).
 */
#if VL == 8
/* ilv_fill with 8×8 blocks: X ← the NB images at img (zero padding); X must be zeroed once. */
static void ilv8_fill(const Conv *s, const Ilv *g, const float *restrict img, float *restrict X) {
  const int inSize = s->inC * s->inH * s->inW;
  const int iy0 = s->padT < 0 ? -s->padT : 0, ix0 = s->padL < 0 ? -s->padL : 0;
  int iy1 = g->Hp - s->padT, ix1 = g->Wp - s->padL;
  if (iy1 > s->inH) iy1 = s->inH;
  if (ix1 > s->inW) ix1 = s->inW;
  for (int ic = 0; ic < s->inC; ic++)
    for (int iy = iy0; iy < iy1; iy++) {
      float *restrict row = X + ((ic * g->Hp + iy + s->padT) * g->Wp + s->padL) * NB;
      /* the NB images' rows as blocks (reading up to 8 floats of each, within its image), then the tail */
      const int at = (ic * s->inH + iy) * s->inW;
      int bx = ix0;
      for (; bx < ix1 && at + bx + VL <= inSize; bx += VL)
        transpose_block8(img + at + bx, (size_t)inSize, row + bx * NB, NB, ix1 - bx < VL ? ix1 - bx : VL, 0);
      for (int n = 0; n < NB; n++) {
        const float *restrict src = img + (size_t)n * inSize + at;
        for (int ix = bx; ix < ix1; ix++) row[ix * NB + n] = src[ix];
      }
    }
}

/* D[(p·NB + n)·OC + oc] ← dout of image n0 + n at (oc, p): 8 channels × 8 pixels per block (OC is a multiple of
 * VL here), reading within the image; the last pixels one by one. */
static void ilv8_fill_d(int OC, int P, const float *restrict dout, float *restrict D) {
  const int outSize = OC * P;
  for (int n = 0; n < NB; n++) {
    const float *restrict dn = dout + (size_t)n * outSize;
    int p8 = 0;
    for (; p8 < P && (OC - 1) * P + p8 + VL <= outSize; p8 += VL)
      for (int oc = 0; oc < OC; oc += VL)
        transpose_block8(dn + (size_t)oc * P + p8, P, D + ((size_t)p8 * NB + n) * OC + oc, (size_t)NB * OC,
                         P - p8 < VL ? P - p8 : VL, 0);
    for (int p = p8; p < P; p++) {
      float *restrict d = D + ((size_t)p * NB + n) * OC;
      for (int oc = 0; oc < OC; oc++) d[oc] = dn[oc * P + p];
    }
  }
}

/* rows of the dx tile: 6 × 2 vectors = 12 accumulators + 2 operands + 1 broadcast of the 16 registers */
#define DX8_MR 6

/* dtile_rows (no bias, no relu) with M rows in tiles of at most 6, as even as possible (16 → 6, 5, 5: no tile left
 * with 8 accumulators or fewer) */
static void dtile_rows_tall8(int M, int K, const int *koff, const float *A, const float *B, float *C, int ldc,
                             const dtile_fn *f) {
  const int tiles = (M + DX8_MR - 1) / DX8_MR;
  for (int t = 0, i = 0; t < tiles; t++) {
    const int r = (M - i) / (tiles - t) + ((M - i) % (tiles - t) != 0);
    f[r](K, koff, A + i * K, K, B, C + i * ldc, ldc, 0, 0);
    i += r;
  }
}

/* dinp += the stride-1 convolution t (dinp_conv) of the first t->batch/NB·NB images of dout with the flipped
 * kernel wF: conv_forward_ilv(t, …, acc = 1) with 6-row tiles and block-transposed stores. Scratch:
 * ilv_forward_scratch(t). */
static void ilv8_dx(const Conv *t, const float *dout, const float *wF, float *dinp, float *scratch) {
  Ilv g;
  ilv_geometry(t, &g);
  const int K = t->inC * t->kH * t->kW, P = t->outH * t->outW, OC = t->outC, rowLen = t->outW * NB;
  const int inSize = t->inC * t->inH * t->inW, outSize = OC * P;
  float *X = scratch, *T = X + g.X + 16;
  int *koff = (int *)(T + g.T + 16);
  ilv_offsets(t, &g, koff);
  __builtin_memset(X, 0, (size_t)g.X * 4);
  for (int n0 = 0; n0 + NB <= t->batch; n0 += NB) {
    ilv8_fill(t, &g, dout + (size_t)n0 * inSize, X);
    for (int oy = 0; oy < t->outH; oy++) {
      const float *Xr = X + oy * g.Wp * NB;
      float *Tr = T + oy * rowLen;
      int j = 0;
      for (; j + 2 * VL <= rowLen; j += 2 * VL) dtile_rows_tall8(OC, K, koff, wF, Xr + j, Tr + j, P * NB, dtiles_2);
      for (; j < rowLen; j += VL) dtile_rows_tall8(OC, K, koff, wF, Xr + j, Tr + j, P * NB, dtiles_1);
    }
    /* T row r = oc·P + p holds the NB images' values: 8 rows at a time are image n's 8 consecutive outputs */
    const int R = OC * P;
    int r8 = 0;
    for (; r8 + VL <= R; r8 += VL)
      transpose_block8(T + (size_t)r8 * NB, NB, dinp + (size_t)n0 * outSize + r8, (size_t)outSize, NB, 1);
    for (int n = 0; n < NB; n++)
      for (int r = r8; r < R; r++) dinp[(size_t)(n0 + n) * outSize + r] += T[(size_t)r * NB + n];
  }
}

/* dinp += the stride-1 convolution t (dinp_conv) of dout with the flipped kernel wF by shifted planes:
 * conv_forward_direct(t, …, acc = 1) with 6-row tiles. Scratch: conv_forward_direct_scratch(t). */
static void direct8_dx(const Conv *t, const float *dout, const float *wF, float *dinp, float *scratch) {
  Direct d;
  direct_geometry(t, &d);
  const int K = t->inC * t->kH * t->kW, OC = t->outC;
  const int inSize = t->inC * t->inH * t->inW, outSize = OC * t->outH * t->outW;
  float *padded = scratch, *tmp = scratch + d.padded;
  int *koff = (int *)(tmp + d.tmp);
  direct_offsets(t, &d, koff);
  __builtin_memset(padded, 0, (size_t)d.padded * 4);
  for (int n = 0; n < t->batch; n++) {
    pad_image(t, &d, dout + (size_t)n * inSize, padded);
    int j = 0;
    for (; j + 2 * VL <= d.Qr; j += 2 * VL) dtile_rows_tall8(OC, K, koff, wF, padded + j, tmp + j, d.Qr, dtiles_2);
    for (; j < d.Qr; j += VL) dtile_rows_tall8(OC, K, koff, wF, padded + j, tmp + j, d.Qr, dtiles_1);
    float *o = dinp + (size_t)n * outSize;
    for (int oc = 0; oc < OC; oc++)
      for (int oy = 0; oy < t->outH; oy++) {
        const float *src = tmp + oc * d.Qr + oy * d.Wp;
        float *dst = o + (oc * t->outH + oy) * t->outW;
        for (int ox = 0; ox < t->outW; ox++) dst[ox] += src[ox];
      }
  }
}
#endif
