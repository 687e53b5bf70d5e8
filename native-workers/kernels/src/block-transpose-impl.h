/*
 * VL×VL block transposes in registers (16 lanes; AVX2's 8×8 one at the end, for two forward callers; elsewhere the
 * callers keep their scalar loops). The batch-interleaved convolution moves every activation between image-major
 * and "NB images innermost" layouts; as scalar copies, one element per store into a different cache line, that was
 * a third of the reference CNN's second conv backward (16→32 on 14×14, batch 64). Pure data movement: results are bit for bit the scalar loops'.
 * Part of kernels-impl.h (included before the convolutions; same VL, vf and NAME).
 */
#if VL == 16
#define HAS_BLOCK_TRANSPOSE 1
/* One butterfly stage: rows i and i + H exchange their H-wide column blocks (a = [A0 A1], b = [B0 B1] → [A0 B0],
 * [A1 B1]). Stages H = 8, 4, 2, 1 transpose the 16×16 block. */
#define T_A8 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23
#define T_B8 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31
#define T_A4 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27
#define T_B4 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31
#define T_A2 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29
#define T_B2 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31
#define T_A1 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30
#define T_B1 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31
#define T_STAGE(H)                                                                                                \
  UNROLL for (int i = 0; i < 16; i++) if (!(i & (H))) {                                                           \
    const vf a = r[i], b = r[i + (H)];                                                                            \
    r[i] = __builtin_shufflevector(a, b, T_A##H);                                                                 \
    r[i + (H)] = __builtin_shufflevector(a, b, T_B##H);                                                           \
  }

STATIC void transpose16(vf r[16]) {
  T_STAGE(8)
  T_STAGE(4)
  T_STAGE(2)
  T_STAGE(1)
}

/*
 * dst[j·dstStride + i] (+)= src[i·ld + j] for i < 16 rows, j < cols ≤ 16 columns. Reads 16 whole floats of every
 * row, so the caller must own src[i·ld .. i·ld + 16) (the columns past `cols` are read, never written).
 */
STATIC void transpose_block16(const float *restrict src, size_t ld, float *restrict dst, size_t dstStride, int cols,
                              int acc) {
  vf r[16];
  UNROLL for (int i = 0; i < 16; i++) r[i] = vld(src + i * ld);
  transpose16(r);
  if (acc)
    for (int j = 0; j < cols; j++) vst(dst + j * dstStride, vld(dst + j * dstStride) + r[j]);
  else
    for (int j = 0; j < cols; j++) vst(dst + j * dstStride, r[j]);
}
#else
#define HAS_BLOCK_TRANSPOSE 0
#endif

#if VL == 8
/* 8×8 block transposes for the AVX2 build (HAS_BLOCK_TRANSPOSE stays 0 there: the 16-lane callers keep their
 * scalar loops): the interleaved conv's layout changes both ways (conv-backward8-impl.h, conv_forward_ilv's T back
 * to NCHW) and the dense forward's input, where scalar copies (one store per element into a different line) were
 * a third of the reference CNN's second conv backward and 14 % of the dense 1568→128 forward at batch 64. */
/* One butterfly stage: rows i and i + H exchange their H-wide column blocks (a = [A0 A1], b = [B0 B1] → [A0 B0],
 * [A1 B1]). Stages H = 4, 2, 1 transpose the 8×8 block. */
#define T8_A4 0, 1, 2, 3, 8, 9, 10, 11
#define T8_B4 4, 5, 6, 7, 12, 13, 14, 15
#define T8_A2 0, 1, 8, 9, 4, 5, 12, 13
#define T8_B2 2, 3, 10, 11, 6, 7, 14, 15
#define T8_A1 0, 8, 2, 10, 4, 12, 6, 14
#define T8_B1 1, 9, 3, 11, 5, 13, 7, 15
#define T8_STAGE(H)                                                                                               \
  UNROLL for (int i = 0; i < 8; i++) if (!(i & (H))) {                                                            \
    const vf a = r[i], b = r[i + (H)];                                                                            \
    r[i] = __builtin_shufflevector(a, b, T8_A##H);                                                                \
    r[i + (H)] = __builtin_shufflevector(a, b, T8_B##H);                                                          \
  }

/*
 * dst[j·dstStride + i] (+)= src[i·ld + j] for i < 8 rows, j < cols ≤ 8 columns. Reads 8 whole floats of every
 * row, so the caller must own src[i·ld .. i·ld + 8) (the columns past `cols` are read, never written).
 */
STATIC void transpose_block8(const float *restrict src, size_t ld, float *restrict dst, size_t dstStride, int cols,
                             int acc) {
  vf r[8];
  UNROLL for (int i = 0; i < 8; i++) r[i] = vld(src + i * ld);
  T8_STAGE(4)
  T8_STAGE(2)
  T8_STAGE(1)
  if (acc)
    for (int j = 0; j < cols; j++) vst(dst + j * dstStride, vld(dst + j * dstStride) + r[j]);
  else
    for (int j = 0; j < cols; j++) vst(dst + j * dstStride, r[j]);
}
#endif
