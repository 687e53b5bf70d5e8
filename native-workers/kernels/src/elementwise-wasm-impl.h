/*
 * WebAssembly only (included by kernels-wasm.c after kernels-impl.h): element-wise ops that clang does not
 * vectorise for wasm32 from the shared scalar loops (pool-relu-impl.h's relu_backward compiles to one float at a
 * time: 3× the native op's time on the reference CNN's 802,816 values).
 */

/* dinp += dout where out > 0, 2 vectors at a time; elsewhere dinp keeps its value (also −0), like the reference. */
static void wasm_relu_backward(int n, const float *restrict y, const float *restrict dy, float *restrict dx) {
  int i = 0;
  for (; i + 2 * VL <= n; i += 2 * VL)
    UNROLL for (int v = 0; v < 2; v++) {
      const vf d = vld(dx + i + VL * v);
      const vi m = vld(y + i + VL * v) > 0.f;
      vst(dx + i + VL * v, (vf)(((vi)(d + vld(dy + i + VL * v)) & m) | ((vi)d & ~m)));
    }
  for (; i < n; i++)
    if (y[i] > 0.f) dx[i] += dy[i];
}
