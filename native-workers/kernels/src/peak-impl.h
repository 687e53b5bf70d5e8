/*
 * The machine's multiply-add peak for one thread at this build's vector width (`npm run bench` prints every
 * figure as a percentage of it, so that figures from different machines compare). Included by the native
 * kernel files after kernels-impl.h (it uses VL and NAME); not part of the WebAssembly build.
 *
 * Independent accumulator chains: enough to cover the FMA latency (4–5 cycles) on two FMA pipes, few enough to
 * stay in registers with the two constants (16 of AVX-512's 32 registers; 12 of the 16 that AVX2 and SSE have,
 * where 16 chains spill and measured 70 instead of 118 GFLOP/s). With -mfma and -ffp-contract=fast each `a * m + c`
 * is one fused multiply-add; the 4-lane baseline (no FMA) measures its multiply + add pair instead.
 */
typedef float peak_vec __attribute__((vector_size(VL * 4)));

#define PEAK_CHAINS (VL == 16 ? 16 : 12)

/* Runs `iterations` rounds of PEAK_CHAINS vector multiply-adds; returns the floating-point operations done. */
double NAME(fma_peak_loop)(long iterations) {
  peak_vec a[PEAK_CHAINS];
  const peak_vec m = (peak_vec){0} + 0.999999f, c = (peak_vec){0} + 1e-6f;
  for (int k = 0; k < PEAK_CHAINS; k++) a[k] = (peak_vec){0} + (float)k;
  for (long i = 0; i < iterations; i++) {
#pragma GCC unroll 16
    for (int k = 0; k < PEAK_CHAINS; k++) a[k] = a[k] * m + c;
  }
  float sink = 0;
  for (int k = 0; k < PEAK_CHAINS; k++)
    for (int l = 0; l < VL; l++) sink += a[k][l];
  volatile float keep = sink; /* the result is used: the loop is not dead code */
  (void)keep;
  return (double)iterations * PEAK_CHAINS * VL * 2;
}
