/* Shared by addon.c and the per-ISA kernel files. */
#ifndef CNN_KERNELS_COMMON_H
#define CNN_KERNELS_COMMON_H
#include <stddef.h>

/* Conv2dShape of native-workers/cnn/kernel-set.ts, in this order (the JS side passes it as an Int32Array). */
typedef struct {
  int batch, inC, inH, inW, outC, kH, kW, sH, sW, padT, padL, outH, outW;
} Conv;

/* The pooling geometry of conv2d_relu_maxpool_forward (conv-pool-impl.h), in this order (an Int32Array of 6). */
typedef struct {
  int pH, pW, sH, sW, oH, oW;
} PoolGeom;

/* A grow-only scratch buffer of this thread (a worker thread gets its own): valid until the next call. */
float *scratch_floats(size_t n);

/* One instruction set's kernels (kernels-impl.h compiled with its vector width). */
typedef struct {
  const char *name;
  /* floats of scratch the op below asks scratch_floats for */
  size_t (*conv2d_forward_scratch)(const Conv *);
  size_t (*conv2d_backward_scratch)(const Conv *);
  size_t (*dense_backward_scratch)(int, int);
  void (*conv2d_forward)(const Conv *, const float *, const float *, const float *, float *, int);
  void (*conv2d_backward)(const Conv *, const float *, const float *, const float *, float *, float *, float *);
  void (*dense_forward)(int, int, int, const float *, const float *, const float *, float *);
  void (*dense_backward)(int, int, int, const float *, const float *, const float *, float *, float *, float *);
  void (*maxpool_forward)(int, int, int, int, int, int, int, int, int, int, const float *, float *, int *);
  void (*relu_forward)(int, const float *, float *);
  void (*relu_backward)(int, const float *, const float *, float *);
  double (*fma_peak_loop)(long); /* peak-impl.h */
  /* batch-norm-impl.h */
  void (*batchnorm_forward_train)(int, int, int, double, double, const float *, const float *, const float *, float *,
                                  float *, float *, float *, float *, int);
  void (*batchnorm_forward_eval)(int, int, int, double, const float *, const float *, const float *, float *,
                                 const float *, const float *, int);
  void (*batchnorm_backward_train)(int, int, int, const float *, const float *, const float *, const float *,
                                   const float *, const float *, float *, float *, float *);
  size_t (*dense_forward_scratch)(int, int, int);
  size_t (*conv2d_relu_maxpool_forward_scratch)(const Conv *, const PoolGeom *);
  void (*conv2d_relu_maxpool_forward)(const Conv *, const PoolGeom *, const float *, const float *, const float *,
                                      float *);
  /* conv-pool-train-impl.h */
  size_t (*conv2d_relu_maxpool_train_scratch)(const Conv *, const PoolGeom *);
  void (*conv2d_relu_maxpool_train)(const Conv *, const PoolGeom *, const float *, const float *, const float *,
                                    float *, int *);
  /* conv-wt-impl.h (pool geometry null: no pool) */
  size_t (*conv2d_relu_forward_wt_scratch)(const Conv *, const PoolGeom *);
  void (*conv2d_relu_forward_wt)(const Conv *, const PoolGeom *, const float *, const float *, const float *,
                                 const float *, float *);
  /* conv-pool-backward-impl.h (native only): 0 = not applicable, the caller takes the unfused path */
  size_t (*conv2d_relu_maxpool_backward_params_scratch)(const Conv *, const PoolGeom *);
  int (*conv2d_relu_maxpool_backward_params)(const Conv *, const PoolGeom *, const float *, const float *,
                                             const int *, const float *, float *, float *);
} Isa;

#define DECLARE_ISA(P)                                                                                            \
  size_t P##conv2d_forward_scratch(const Conv *);                                                                 \
  size_t P##conv2d_backward_scratch(const Conv *);                                                                \
  size_t P##dense_backward_scratch(int, int);                                                                     \
  void P##conv2d_forward(const Conv *, const float *, const float *, const float *, float *, int);                \
  void P##conv2d_backward(const Conv *, const float *, const float *, const float *, float *, float *, float *);   \
  void P##dense_forward(int, int, int, const float *, const float *, const float *, float *);                     \
  void P##dense_backward(int, int, int, const float *, const float *, const float *, float *, float *, float *);   \
  void P##maxpool_forward(int, int, int, int, int, int, int, int, int, int, const float *, float *, int *);       \
  void P##relu_forward(int, const float *, float *);                                                              \
  void P##relu_backward(int, const float *, const float *, float *);                                              \
  double P##fma_peak_loop(long);                                                                                  \
  void P##batchnorm_forward_train(int, int, int, double, double, const float *, const float *, const float *,      \
                                  float *, float *, float *, float *, float *, int);                               \
  void P##batchnorm_forward_eval(int, int, int, double, const float *, const float *, const float *, float *,      \
                                 const float *, const float *, int);                                              \
  void P##batchnorm_backward_train(int, int, int, const float *, const float *, const float *, const float *,     \
                                   const float *, const float *, float *, float *, float *);                      \
  size_t P##dense_forward_scratch(int, int, int);                                                                 \
  size_t P##conv2d_relu_maxpool_forward_scratch(const Conv *, const PoolGeom *);                                  \
  void P##conv2d_relu_maxpool_forward(const Conv *, const PoolGeom *, const float *, const float *, const float *, \
                                      float *);                                                                   \
  size_t P##conv2d_relu_maxpool_train_scratch(const Conv *, const PoolGeom *);                                    \
  void P##conv2d_relu_maxpool_train(const Conv *, const PoolGeom *, const float *, const float *, const float *,   \
                                    float *, int *);                                                              \
  size_t P##conv2d_relu_forward_wt_scratch(const Conv *, const PoolGeom *);                                       \
  void P##conv2d_relu_forward_wt(const Conv *, const PoolGeom *, const float *, const float *, const float *,     \
                                 const float *, float *);                                                         \
  size_t P##conv2d_relu_maxpool_backward_params_scratch(const Conv *, const PoolGeom *);                          \
  int P##conv2d_relu_maxpool_backward_params(const Conv *, const PoolGeom *, const float *, const float *,        \
                                             const int *, const float *, float *, float *);
#endif
