/* 16-lane vectors with fused multiply-add: compiled with -mavx512f -mfma (binding.gyp), called only on CPUs that
 * have AVX-512F (addon.c). 32 zmm registers: an 8×32 tile keeps 16 accumulators. */
#define VL 16
#define MR 8
#define NAME(x) avx512_##x
#include "common.h"
#include "kernels-impl.h"
#include "batch-norm-impl.h"
#include "conv-pool-backward-impl.h"
#include "peak-impl.h"
