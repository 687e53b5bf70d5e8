/*
 * The backward of a 2×2, stride 2 max pool and of the relu before it, writing the gradient of the relu's input
 * instead of adding to it: dinp[0 .. N·C·H·W) = 0, then dinp[argmax[j]] += dout[j] where out[j] > 0, with
 * H = 2·oH, W = 2·oW (the windows tile the input, so each input position is in exactly one window). Every
 * position is stored once, in order, from its window's switch: no zero-fill pass before it and no scattered
 * read-modify-write. Included by addon.c (baseline instruction set: 4-lane vectors) and kernels-wasm.c (simd128).
 */
#include <stdint.h>

typedef float pw4 __attribute__((vector_size(16), aligned(4), may_alias));
typedef int32_t iw4 __attribute__((vector_size(16), aligned(4), may_alias));

/*
 * Needs oW ≥ 4 (a row tail of 1..3 windows redoes the row's last 4, which stores the same values again). The
 * routed value is 0 + dout (so −0 becomes +0, NaN stays NaN) and every other position +0: bit for bit what adding
 * into a zeroed buffer gives. Returns 0, having written garbage, if some argmax[j] is not in window j (then the
 * caller zero-fills and scatters instead).
 */
static int maxpool2x2_relu_backward_write(size_t planes, int oH, int oW, const float *restrict dout,
                                          const int32_t *restrict arg, const float *restrict out,
                                          float *restrict dinp) {
  const int W = 2 * oW;
  iw4 inWindow = (iw4){0} - 1;
  for (size_t p = 0; p < planes; p++) {
    for (int oy = 0; oy < oH; oy++) {
      const size_t j0 = (p * oH + oy) * oW;
      const int64_t row0 = ((int64_t)p * 2 * oH + 2 * oy) * W; /* the first input row of this row of windows */
      for (int ox = 0; ox < oW; ox += 4) {
        if (ox + 4 > oW) ox = oW - 4;
        const pw4 d = *(const pw4 *)(dout + j0 + ox), o = *(const pw4 *)(out + j0 + ox);
        const iw4 a = *(const iw4 *)(arg + j0 + ox);
        const iw4 g = (iw4)(d + 0.f) & (o > 0.f); /* 0 + dout where the relu passes it, else +0 */
        iw4 hit = (iw4){0};
        for (int py = 0; py < 2; py++) {
          const int64_t r = row0 + (int64_t)py * W + 2 * ox;
          const iw4 even = (int32_t)r + (iw4){0, 2, 4, 6}, odd = even + 1;
          const iw4 me = a == even, mo = a == odd;
          hit |= me | mo;
          const pw4 ve = (pw4)(g & me), vo = (pw4)(g & mo);
          *(pw4 *)(dinp + r) = __builtin_shufflevector(ve, vo, 0, 4, 1, 5);
          *(pw4 *)(dinp + r + 4) = __builtin_shufflevector(ve, vo, 2, 6, 3, 7);
        }
        inWindow &= hit;
      }
    }
  }
  return (inWindow[0] & inWindow[1] & inWindow[2] & inWindow[3]) == -1;
}
