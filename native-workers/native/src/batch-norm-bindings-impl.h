/*
 * The batch-norm bindings (batchNormForwardTrain, batchNormForwardEval, batchNormBackwardTrain). Part of addon.c's
 * translation unit, included after its argument helpers (Args, typed, count_of, EXPORT_FN).
 */

/* A finite number argument (batch-norm epsilon and momentum). */
static double finite_arg(Args *a, size_t i) {
  double v = 0;
  if (!a->failed && (napi_get_value_double(a->env, a->argv[i], &v) != napi_ok || !__builtin_isfinite(v)))
    fail(a, "native kernels: expected a finite number");
  return v;
}

/* Reads and checks a batch-norm shape [batch, channels, spatial]; *count = batch·channels·spatial. */
static int batchnorm_shape(Args *a, size_t i, int d[3], size_t *count) {
  const int32_t *v = (const int32_t *)typed(a, i, napi_int32_array, 3, 0);
  if (!v) return 0;
  memcpy(d, v, 3 * sizeof *d);
  *count = count_of(d, 3);
  if (!*count) {
    fail(a, "native kernels: invalid batch-norm shape");
    return 0;
  }
  return 1;
}

/* batchNormForwardTrain(shape, epsilon, momentum, inp, gamma, beta, out, mean, invStd, runningMean, runningVar,
 * relu): with relu 1, out = max(0, batchnorm(inp)). */
EXPORT_FN(batchnorm_forward_train) {
  Args a;
  int d[3];
  size_t n;
  if (!get_args(env, info, &a, 12) || !batchnorm_shape(&a, 0, d, &n)) return NULL;
  const int C = d[1];
  const double eps = finite_arg(&a, 1), momentum = finite_arg(&a, 2);
  const float *x = typed(&a, 3, napi_float32_array, n, 0);
  const float *gamma = typed(&a, 4, napi_float32_array, C, 0);
  const float *beta = typed(&a, 5, napi_float32_array, C, 0);
  float *y = typed(&a, 6, napi_float32_array, n, 0);
  float *mean = typed(&a, 7, napi_float32_array, C, 0);
  float *invStd = typed(&a, 8, napi_float32_array, C, 0);
  float *rm = typed(&a, 9, napi_float32_array, C, 0);
  float *rv = typed(&a, 10, napi_float32_array, C, 0);
  const int relu = int_arg(&a, 11);
  if (a.failed) return NULL;
  current->batchnorm_forward_train(d[0], C, d[2], eps, momentum, x, gamma, beta, y, mean, invStd, rm, rv, relu);
  return NULL;
}

/* batchNormForwardEval(shape, epsilon, inp, gamma, beta, out, runningMean, runningVar, relu) */
EXPORT_FN(batchnorm_forward_eval) {
  Args a;
  int d[3];
  size_t n;
  if (!get_args(env, info, &a, 9) || !batchnorm_shape(&a, 0, d, &n)) return NULL;
  const int C = d[1];
  const double eps = finite_arg(&a, 1);
  const float *x = typed(&a, 2, napi_float32_array, n, 0);
  const float *gamma = typed(&a, 3, napi_float32_array, C, 0);
  const float *beta = typed(&a, 4, napi_float32_array, C, 0);
  float *y = typed(&a, 5, napi_float32_array, n, 0);
  const float *rm = typed(&a, 6, napi_float32_array, C, 0);
  const float *rv = typed(&a, 7, napi_float32_array, C, 0);
  const int relu = int_arg(&a, 8);
  if (a.failed) return NULL;
  current->batchnorm_forward_eval(d[0], C, d[2], eps, x, gamma, beta, y, rm, rv, relu);
  return NULL;
}

/* batchNormBackwardTrain(shape, inp, gamma, mean, invStd, reluOut | null, dout, dinp | null, dgamma, dbeta): with
 * reluOut (the output of a relu after this layer), dout is the relu's output gradient, counted where reluOut > 0. */
EXPORT_FN(batchnorm_backward_train) {
  Args a;
  int d[3];
  size_t n;
  if (!get_args(env, info, &a, 10) || !batchnorm_shape(&a, 0, d, &n)) return NULL;
  const int C = d[1];
  const float *x = typed(&a, 1, napi_float32_array, n, 0);
  const float *gamma = typed(&a, 2, napi_float32_array, C, 0);
  const float *mean = typed(&a, 3, napi_float32_array, C, 0);
  const float *invStd = typed(&a, 4, napi_float32_array, C, 0);
  const float *relu = typed(&a, 5, napi_float32_array, n, 1);
  const float *dy = typed(&a, 6, napi_float32_array, n, 0);
  float *dx = typed(&a, 7, napi_float32_array, n, 1);
  float *dgamma = typed(&a, 8, napi_float32_array, C, 0);
  float *dbeta = typed(&a, 9, napi_float32_array, C, 0);
  if (a.failed) return NULL;
  current->batchnorm_backward_train(d[0], C, d[2], x, gamma, mean, invStd, relu, dy, dx, dgamma, dbeta);
  return NULL;
}
