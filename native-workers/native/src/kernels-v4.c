/* 4-lane vectors: SSE2 on x86-64, NEON on arm64 (the baseline of both, so this build runs on every CPU). */
#define VL 4
#define MR 4
#define NAME(x) v4_##x
#include "common.h"
#include "kernels-impl.h"
#include "batch-norm-impl.h"
#include "conv-pool-backward-impl.h"
#include "peak-impl.h"
