/*
 * NAME(conv2d_forward): whole chunks of NB images interleaved (conv-ilv-impl.h), the rest shifted planes or im2col.
 * Part of kernels-impl.h (included in order; same VL, vf, MADD, MR and NAME).
 */
static int use_ilv(const Conv *s);
static size_t ilv_forward_scratch(const Conv *s);
static void conv_forward_ilv(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                             float *scratch, int relu, int acc);

/* The images past the last whole chunk of NB (conv_forward_ilv), or all of them. */
static void tail_conv(const Conv *s, Conv *r) {
  *r = *s;
  r->batch = use_ilv(s) ? s->batch % NB : s->batch;
}

static size_t plain_forward_scratch(const Conv *s) {
  if (col_is_identity(s)) return 0;
  if (use_direct(s)) return conv_forward_direct_scratch(s);
  return batched_forward_scratch(s);
}

/* Floats of scratch NAME(conv2d_forward) asks for. */
size_t NAME(conv2d_forward_scratch)(const Conv *s) {
  Conv r;
  tail_conv(s, &r);
  const size_t a = use_ilv(s) ? ilv_forward_scratch(s) : 0, b = r.batch ? plain_forward_scratch(&r) : 0;
  return a > b ? a : b;
}

static void conv_forward_plain(const Conv *s, const float *inp, const float *w, const float *bias, float *out,
                               int relu) {
  if (!col_is_identity(s) && !use_direct(s)) {
    conv_forward_batched(s, inp, w, bias, out, relu);
    return;
  }
  float *scratch = scratch_floats(plain_forward_scratch(s));
  if (use_direct(s)) {
    conv_forward_direct(s, inp, w, bias, out, scratch, relu, 0);
    return;
  }
  /* 1×1 stride 1: the image is its own col matrix, per image */
  const int K = s->inC, P = s->outH * s->outW, outSize = s->outC * P;
  for (int n = 0; n < s->batch; n++) {
    const float *img = inp + (size_t)n * K * P;
    float *o = out + (size_t)n * outSize;
    if (bias)
      for (int oc = 0; oc < s->outC; oc++)
        for (int p = 0; p < P; p++) o[oc * P + p] = bias[oc];
    gemm(s->outC, P, K, w, K, img, P, o, P, bias != 0);
    if (relu)
      for (int i = 0; i < outSize; i++) o[i] = o[i] > 0.f ? o[i] : 0.f;
  }
}

void NAME(conv2d_forward)(const Conv *s, const float *inp, const float *w, const float *bias, float *out, int relu) {
  Conv r;
  tail_conv(s, &r);
  if (use_ilv(s)) conv_forward_ilv(s, inp, w, bias, out, scratch_floats(ilv_forward_scratch(s)), relu, 0);
  if (r.batch) {
    const size_t done = (size_t)(s->batch - r.batch);
    conv_forward_plain(&r, inp + done * s->inC * s->inH * s->inW, w, bias, out + done * s->outC * s->outH * s->outW,
                       relu);
  }
}
