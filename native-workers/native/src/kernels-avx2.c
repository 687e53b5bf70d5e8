/* 8-lane vectors with fused multiply-add: compiled with -mavx2 -mfma (binding.gyp), called only on CPUs that have
 * both (addon.c). 16 ymm registers: a 4×16 tile keeps 8 accumulators (6×16 spilled with GCC 12). */
#define VL 8
#define MR 4
#define NAME(x) avx2_##x
#include "common.h"
#include "kernels-impl.h"
#include "batch-norm-impl.h"
#include "conv-pool-backward-impl.h"
#include "peak-impl.h"
