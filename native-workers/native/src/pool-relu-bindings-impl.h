/*
 * The max pool and ReLU bindings (maxPoolForward/Backward, the fused pool + ReLU backward, reluForward/Backward).
 * Part of addon.c's translation unit, included after its argument helpers (Args, typed, int_arg, EXPORT_FN).
 */

/*
 * maxPoolForward(shape [batch, C, H, W, pH, pW, sH, sW, oH, oW], inp, out, argmax). Like the reference op:
 * candidates in row-major order from −∞ with a strict >, so ties keep the first position, NaNs are never picked,
 * and a window with nothing above −∞ reports its first position (and that value). argmax indexes the whole inp.
 */
EXPORT_FN(maxpool_forward) {
  Args a;
  if (!get_args(env, info, &a, 4)) return NULL;
  const int32_t *v = (const int32_t *)typed(&a, 0, napi_int32_array, 10, 0);
  if (!v) return NULL;
  const int N = v[0], C = v[1], H = v[2], W = v[3], pH = v[4], pW = v[5], sH = v[6], sW = v[7], oH = v[8], oW = v[9];
  const int in[4] = {N, C, H, W}, out[4] = {N, C, oH, oW};
  if (!count_of(in, 4) || !count_of(out, 4) || pH < 1 || pW < 1 || sH < 1 || sW < 1 ||
      (size_t)(oH - 1) * sH + pH > (size_t)H || (size_t)(oW - 1) * sW + pW > (size_t)W)
    return FAIL(env, "native kernels: invalid pooling shape");
  const size_t nIn = count_of(in, 4), nOut = count_of(out, 4);
  const float *x = typed(&a, 1, napi_float32_array, nIn, 0);
  float *y = typed(&a, 2, napi_float32_array, nOut, 0);
  int32_t *arg = typed(&a, 3, napi_int32_array, nOut, 0);
  if (a.failed) return NULL;
  current->maxpool_forward(N, C, H, W, pH, pW, sH, sW, oH, oW, x, y, arg);
  return NULL;
}

/* maxPoolBackward(count, dout, argmax, dinp): dinp[argmax[j]] += dout[j] (indices outside dinp are an error). */
EXPORT_FN(maxpool_backward) {
  Args a;
  if (!get_args(env, info, &a, 4)) return NULL;
  const int n = int_arg(&a, 0);
  if (a.failed) return NULL;
  if (n < 0) return FAIL(env, "native kernels: negative count");
  const float *dout = typed(&a, 1, napi_float32_array, n, 0);
  const int32_t *arg = typed(&a, 2, napi_int32_array, n, 0);
  if (a.failed) return NULL;
  size_t len = 0;
  float *dinp = NULL;
  napi_typedarray_type t;
  bool is = false;
  napi_is_typedarray(env, a.argv[3], &is);
  if (!is || napi_get_typedarray_info(env, a.argv[3], &t, &len, (void **)&dinp, NULL, NULL) != napi_ok ||
      t != napi_float32_array) {
    napi_throw_type_error(env, NULL, "native kernels: expected a Float32Array");
    return NULL;
  }
  for (int j = 0; j < n; j++)
    if ((uint32_t)arg[j] >= len) return FAIL(env, "native kernels: argmax index outside dinp");
  for (int j = 0; j < n; j++) dinp[arg[j]] += dout[j];
  return NULL;
}

/* A Float32Array argument of any length (its data and length), or a thrown TypeError. */
static float *f32_any(Args *a, size_t i, size_t *len) {
  if (a->failed) return NULL;
  napi_typedarray_type t;
  bool is = false;
  float *p = NULL;
  napi_is_typedarray(a->env, a->argv[i], &is);
  if (!is || napi_get_typedarray_info(a->env, a->argv[i], &t, len, (void **)&p, NULL, NULL) != napi_ok ||
      t != napi_float32_array) {
    napi_throw_type_error(a->env, NULL, "native kernels: expected a Float32Array");
    a->failed = 1;
    return NULL;
  }
  return p;
}

/* dinp[arg[j]] += dout[j] where out[j] > 0 (indices already checked) */
static void pool_relu_scatter(size_t n, const float *dout, const int32_t *arg, const float *out, float *dinp) {
  /* a bitwise select, not a branch (which GCC makes of a ?: here): the relu's sign is a coin flip per element */
  for (size_t j = 0; j < n; j++) {
    const float d = dinp[arg[j]], sum = d + dout[j];
    uint32_t db, sb;
    memcpy(&db, &d, 4);
    memcpy(&sb, &sum, 4);
    const uint32_t keep = -(uint32_t)(out[j] > 0.f);
    const uint32_t r = (sb & keep) | (db & ~keep);
    memcpy(dinp + arg[j], &r, 4);
  }
}

/*
 * maxPoolReluBackward(count, dout, argmax, out, dinp): the max pool's backward and the backward of the relu before
 * it in one pass: dinp[argmax[j]] += dout[j] where out[j] > 0. out is the pool's output, the relu's output at the
 * argmax, so it says where the relu passes the gradient, read in order instead of gathered from the relu's (4×
 * larger) output. Into a zeroed dinp that is maxPoolBackward into a zeroed buffer then reluBackward.
 */
EXPORT_FN(maxpool_relu_backward) {
  Args a;
  if (!get_args(env, info, &a, 5)) return NULL;
  const int n = int_arg(&a, 0);
  if (a.failed) return NULL;
  if (n < 0) return FAIL(env, "native kernels: negative count");
  const float *dout = typed(&a, 1, napi_float32_array, n, 0);
  const int32_t *arg = typed(&a, 2, napi_int32_array, n, 0);
  const float *out = typed(&a, 3, napi_float32_array, n, 0);
  size_t len = 0;
  float *dinp = f32_any(&a, 4, &len);
  if (a.failed) return NULL;
  for (int j = 0; j < n; j++)
    if ((uint32_t)arg[j] >= len) return FAIL(env, "native kernels: argmax index outside dinp");
  pool_relu_scatter(n, dout, arg, out, dinp);
  return NULL;
}

/*
 * maxPoolReluBackward2x2(shape [batch, C, H, W, 2, 2, 2, 2, oH, oW], dout, argmax, out, dinp): for 2×2, stride 2
 * windows that tile the input (H = 2·oH, W = 2·oW, oW ≥ 4), WRITES dinp[0 .. batch·C·H·W) with what
 * maxPoolReluBackward adds into a zeroed buffer (pool-relu-write-impl.h); the rest of dinp is left alone. An
 * argmax outside its window is still routed (zero-fill, then the scatter); one outside dinp throws, with the live
 * part of dinp overwritten.
 */
EXPORT_FN(maxpool_relu_backward_2x2) {
  Args a;
  if (!get_args(env, info, &a, 5)) return NULL;
  const int32_t *v = (const int32_t *)typed(&a, 0, napi_int32_array, 10, 0);
  if (!v) return NULL;
  const int N = v[0], C = v[1], H = v[2], W = v[3], oH = v[8], oW = v[9];
  const int in[4] = {N, C, H, W}, outDims[4] = {N, C, oH, oW};
  if (!count_of(in, 4) || !count_of(outDims, 4) || v[4] != 2 || v[5] != 2 || v[6] != 2 || v[7] != 2 ||
      H != 2 * oH || W != 2 * oW || oW < 4)
    return FAIL(env, "native kernels: maxPoolReluBackward2x2 needs 2x2 windows, stride 2, tiling, oW >= 4");
  const size_t nIn = count_of(in, 4), nOut = count_of(outDims, 4);
  const float *dout = typed(&a, 1, napi_float32_array, nOut, 0);
  const int32_t *arg = typed(&a, 2, napi_int32_array, nOut, 0);
  const float *out = typed(&a, 3, napi_float32_array, nOut, 0);
  float *dinp = typed(&a, 4, napi_float32_array, nIn, 0);
  if (a.failed) return NULL;
  if (maxpool2x2_relu_backward_write((size_t)N * C, oH, oW, dout, arg, out, dinp)) return NULL;
  for (size_t j = 0; j < nOut; j++)
    if ((uint32_t)arg[j] >= nIn) return FAIL(env, "native kernels: argmax index outside dinp");
  memset(dinp, 0, nIn * sizeof *dinp);
  pool_relu_scatter(nOut, dout, arg, out, dinp);
  return NULL;
}

/*
 * conv2dReluMaxPoolBackwardParams(shape, pool, inp, weight, dout, argmax, out, dweight, dbias | null): the weight and
 * bias gradients of a conv trained as conv + ReLU + max pool (conv2dReluMaxPoolTrain), whose input needs no
 * gradient, from the gradient of the pool's output (dout), its switches (argmax, into the conv output) and its
 * output (out, where > 0 the relu passed). conv-pool-backward-impl.h where it applies; otherwise the unfused path:
 * the conv output's gradient into a buffer (as maxPoolReluBackward into zeros), then conv2d_backward.
 */
EXPORT_FN(conv2d_relu_maxpool_backward_params) {
  Args a;
  Conv s;
  PoolGeom g;
  if (!get_args(env, info, &a, 9) || !conv_shape(&a, 0, &s) || !pool_geom(&a, 1, s.outH, s.outW, &g)) return NULL;
  const size_t K = (size_t)s.inC * s.kH * s.kW, nOut = (size_t)s.batch * s.outC * g.oH * g.oW;
  const size_t nConv = (size_t)s.batch * s.outC * s.outH * s.outW;
  if (nConv > 0x7fffffff) return FAIL(env, "native kernels: too large for int32 switches");
  const float *inp = typed(&a, 2, napi_float32_array, (size_t)s.batch * s.inC * s.inH * s.inW, 0);
  const float *w = typed(&a, 3, napi_float32_array, s.outC * K, 0);
  const float *dout = typed(&a, 4, napi_float32_array, nOut, 0);
  const int32_t *arg = typed(&a, 5, napi_int32_array, nOut, 0);
  const float *out = typed(&a, 6, napi_float32_array, nOut, 0);
  float *dw = typed(&a, 7, napi_float32_array, s.outC * K, 0);
  float *db = typed(&a, 8, napi_float32_array, s.outC, 1);
  if (a.failed || !reserve_scratch(&a, current->conv2d_relu_maxpool_backward_params_scratch(&s, &g))) return NULL;
  if (current->conv2d_relu_maxpool_backward_params(&s, &g, inp, dout, arg, out, dw, db)) return NULL;
  for (size_t j = 0; j < nOut; j++)
    if ((uint32_t)arg[j] >= nConv) return FAIL(env, "native kernels: argmax index outside the conv output");
  float *dconv = (float *)malloc(nConv * sizeof *dconv);
  if (!dconv) return FAIL(env, "native kernels: out of memory");
  const int tiles = g.pH == 2 && g.pW == 2 && g.sH == 2 && g.sW == 2 && s.outH == 2 * g.oH && s.outW == 2 * g.oW &&
                    g.oW >= 4;
  if (!tiles || !maxpool2x2_relu_backward_write((size_t)s.batch * s.outC, g.oH, g.oW, dout, arg, out, dconv)) {
    memset(dconv, 0, nConv * sizeof *dconv);
    pool_relu_scatter(nOut, dout, arg, out, dconv);
  }
  if (reserve_scratch(&a, current->conv2d_backward_scratch(&s)))
    current->conv2d_backward(&s, inp, w, dconv, NULL, dw, db);
  free(dconv);
  return NULL;
}

/* reluForward(count, inp, out): out = max(0, inp) (NaN → 0, like the reference); out may be inp. */
EXPORT_FN(relu_forward) {
  Args a;
  if (!get_args(env, info, &a, 3)) return NULL;
  const int n = int_arg(&a, 0);
  const float *x = typed(&a, 1, napi_float32_array, n < 0 ? 0 : n, 0);
  float *y = typed(&a, 2, napi_float32_array, n < 0 ? 0 : n, 0);
  if (a.failed) return NULL;
  current->relu_forward(n, x, y);
  return NULL;
}

/* reluBackward(count, out, dout, dinp): dinp += dout where out > 0. */
EXPORT_FN(relu_backward) {
  Args a;
  if (!get_args(env, info, &a, 4)) return NULL;
  const int n = int_arg(&a, 0);
  const size_t m = n < 0 ? 0 : (size_t)n;
  const float *y = typed(&a, 1, napi_float32_array, m, 0);
  const float *dy = typed(&a, 2, napi_float32_array, m, 0);
  float *dx = typed(&a, 3, napi_float32_array, m, 0);
  if (a.failed) return NULL;
  current->relu_backward(n, y, dy, dx);
  return NULL;
}
