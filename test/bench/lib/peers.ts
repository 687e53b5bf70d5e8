/**
 * The peers of the benchmark, run in the same process on the same data: TensorFlow.js 4.22 with the wasm backend
 * (plus the Conv2DBackpropFilter shim it needs to train a conv net at all) and convnetjs 0.3.0 (plus Adam, which
 * its npm release lacks). Adapted from /work/shared/bench/peers (tfjs_model.js, bench_convnetjs.js).
 */
import { dirname } from 'node:path';
import { type Split, fillBatch } from './fashion-mnist';
import { FWD_FLOPS, TRAIN_FLOPS, median, round } from './common';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */

export interface PeerResult {
  library: string;
  version: string;
  backend: string;
  trainImagesPerSecond: number;
  inferImagesPerSecond: number;
  trainGflops: number;
  inferGflops: number;
  trainWindows: number[];
  inferWindows: number[];
  params?: number;
  notes?: string;
}

export interface WindowPlan {
  warmup: number;
  windows: number;
  batches: number;
  inferBatches: number;
}

function buildTfModel(tf: any): any {
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 16,
      kernelSize: 3,
      strides: 1,
      padding: 'same',
      activation: 'relu',
    }),
  );
  m.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return m;
}

/**
 * tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter and tfjs does not fall back per kernel, so training
 * throws without this shim: dW of a stride-1 NHWC conv as ONE forward conv2d over transposed tensors
 * (the wasm backend's own Pad / Transpose / Conv2D kernels). Copied from the peers' tfjs_model.js.
 */
function registerConvBackpropFilterShim(tf: any, backendName = 'wasm'): void {
  if (tf.getKernel('Conv2DBackpropFilter', backendName))
    tf.unregisterKernel('Conv2DBackpropFilter', backendName);
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, attrs }: any) => {
      const { x, dy } = inputs;
      const { strides, pad, dataFormat, filterShape, dilations } = attrs;
      const st = Array.isArray(strides) ? strides : [strides, strides];
      if (st[0] !== 1 || st[1] !== 1) throw new Error('shim: only stride 1');
      if (dataFormat && dataFormat !== 'NHWC') throw new Error('shim: only NHWC');
      if (dilations && [].concat(dilations).some((d: number) => d !== 1))
        throw new Error('shim: no dilation');
      const [kh, kw] = filterShape;
      const [, h, w] = x.shape;
      const [, oh, ow] = dy.shape;
      let pt = 0,
        pb = 0,
        pl = 0,
        pr = 0;
      if (pad === 'same') {
        const ph = Math.max(0, oh - 1 + kh - h),
          pw = Math.max(0, ow - 1 + kw - w);
        pt = Math.floor(ph / 2);
        pb = ph - pt;
        pl = Math.floor(pw / 2);
        pr = pw - pl;
      } else if (pad !== 'valid' && pad !== 0) throw new Error('shim: pad ' + pad);
      return tf.tidy(() => {
        const xp =
          pt || pb || pl || pr
            ? tf.pad(x, [
                [0, 0],
                [pt, pb],
                [pl, pr],
                [0, 0],
              ])
            : x;
        const xt = tf.transpose(xp, [3, 1, 2, 0]);
        const ft = tf.transpose(dy, [1, 2, 0, 3]);
        const r = tf.conv2d(xt, ft, 1, 'valid'); // [ci, kh, kw, co]
        return tf.transpose(r, [1, 2, 0, 3]);
      });
    },
  });
}

export async function benchTfjsWasm(
  train: Split,
  test: Split,
  idx: Uint32Array,
  plan: WindowPlan,
  log: (s: string) => void,
): Promise<PeerResult> {
  const tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
  const ok = await tf.setBackend('wasm');
  await tf.ready();
  if (!ok || tf.getBackend() !== 'wasm') throw new Error('tfjs wasm backend failed to initialise');
  registerConvBackpropFilterShim(tf);
  const model = buildTfModel(tf);
  const BS = 64;
  const xb = new Float32Array(BS * 784);
  const yb = new Int32Array(BS);
  let pos = 0;
  const step = async () => {
    fillBatch(train, idx, pos, BS, xb, yb);
    pos += BS;
    const xs = tf.tensor4d(xb, [BS, 28, 28, 1]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(yb, 'int32'), 10).toFloat());
    await model.trainOnBatch(xs, ys);
    xs.dispose();
    ys.dispose();
  };
  for (let i = 0; i < plan.warmup; i++) await step();
  const trainWindows: number[] = [];
  for (let w = 0; w < plan.windows; w++) {
    const t0 = performance.now();
    for (let i = 0; i < plan.batches; i++) await step();
    trainWindows.push((plan.batches * BS) / ((performance.now() - t0) / 1000));
    log(`  tfjs-wasm train window ${w + 1}: ${round(trainWindows[w])} img/s`);
  }
  const xin = tf.tensor4d(test.x.subarray(0, 64 * 784), [64, 28, 28, 1]);
  const pred = async () => {
    const y = model.predict(xin);
    await y.data();
    y.dispose();
  };
  for (let i = 0; i < 5; i++) await pred();
  const inferWindows: number[] = [];
  for (let w = 0; w < Math.max(3, plan.windows); w++) {
    const t0 = performance.now();
    for (let i = 0; i < plan.inferBatches; i++) await pred();
    inferWindows.push((plan.inferBatches * 64) / ((performance.now() - t0) / 1000));
  }
  xin.dispose();
  const params = model.countParams();
  model.dispose();
  const tr = median(trainWindows);
  const inf = median(inferWindows);
  return {
    library: '@tensorflow/tfjs',
    version: tf.version.tfjs,
    backend: 'wasm (XNNPACK, SIMD, 1 thread) + Conv2DBackpropFilter shim',
    trainImagesPerSecond: round(tr),
    inferImagesPerSecond: round(inf),
    trainGflops: round((tr * TRAIN_FLOPS) / 1e9, 3),
    inferGflops: round((inf * FWD_FLOPS) / 1e9, 3),
    trainWindows: trainWindows.map((v) => round(v)),
    inferWindows: inferWindows.map((v) => round(v)),
    params,
  };
}

export async function benchConvnetjs(
  train: Split,
  test: Split,
  idx: Uint32Array,
  plan: WindowPlan,
  log: (s: string) => void,
): Promise<PeerResult> {
  const convnetjs = require('convnetjs');
  // Float32 weights (the peers measured no difference against the default Float64Array)
  convnetjs.zeros = (n: number) => (typeof n === 'undefined' || isNaN(n) ? [] : new Float32Array(n));
  const net = new convnetjs.Net();
  net.makeLayers([
    { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
    { type: 'conv', sx: 3, filters: 16, stride: 1, pad: 1, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 3, filters: 32, stride: 1, pad: 1, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'fc', num_neurons: 128, activation: 'relu' },
    { type: 'softmax', num_classes: 10 },
  ]);
  const BS = 64;
  // npm convnetjs 0.3.0 has no Adam: per-sample forward/backward accumulate grads, textbook Adam every 64 samples
  const lr = 1e-3,
    b1 = 0.9,
    b2 = 0.999,
    eps = 1e-8;
  let k = 0,
    t = 0;
  let m: Float64Array[] | null = null,
    v: Float64Array[] | null = null;
  const toVol = (d: Split, i: number) => {
    const vol = new convnetjs.Vol(28, 28, 1, 0.0);
    vol.w.set(d.x.subarray(i * 784, i * 784 + 784));
    return vol;
  };
  let pos = 0;
  const trainOne = () => {
    const i = idx[pos++ % idx.length];
    net.forward(toVol(train, i), true);
    net.backward(train.y[i]);
    if (++k % BS === 0) {
      const pg = net.getParamsAndGrads();
      if (!m || !v) {
        m = pg.map((q: any) => new Float64Array(q.params.length));
        v = pg.map((q: any) => new Float64Array(q.params.length));
      }
      t++;
      const c1 = 1 - Math.pow(b1, t),
        c2 = 1 - Math.pow(b2, t);
      for (let a = 0; a < pg.length; a++) {
        const p = pg[a].params,
          g = pg[a].grads,
          ma = m![a],
          va = v![a];
        for (let j = 0; j < p.length; j++) {
          const gj = g[j] / BS;
          ma[j] = b1 * ma[j] + (1 - b1) * gj;
          va[j] = b2 * va[j] + (1 - b2) * gj * gj;
          p[j] -= (lr * (ma[j] / c1)) / (Math.sqrt(va[j] / c2) + eps);
          g[j] = 0;
        }
      }
    }
  };
  for (let i = 0; i < plan.warmup * BS; i++) trainOne();
  const trainWindows: number[] = [];
  for (let w = 0; w < plan.windows; w++) {
    const t0 = performance.now();
    for (let i = 0; i < plan.batches * BS; i++) trainOne();
    trainWindows.push((plan.batches * BS) / ((performance.now() - t0) / 1000));
    log(`  convnetjs train window ${w + 1}: ${round(trainWindows[w])} img/s`);
  }
  const vols: unknown[] = [];
  for (let i = 0; i < 64; i++) vols.push(toVol(test, i));
  for (let i = 0; i < 64; i++) net.forward(vols[i], false);
  const inferWindows: number[] = [];
  for (let w = 0; w < Math.max(3, plan.windows); w++) {
    const t0 = performance.now();
    for (let b = 0; b < plan.inferBatches; b++) for (let i = 0; i < 64; i++) net.forward(vols[i], false);
    inferWindows.push((plan.inferBatches * 64) / ((performance.now() - t0) / 1000));
  }
  const tr = median(trainWindows);
  const inf = median(inferWindows);
  return {
    library: 'convnetjs',
    version: require('convnetjs/package.json').version,
    backend: 'pure JS, Float32Array, + Adam (per-sample forward/backward)',
    trainImagesPerSecond: round(tr),
    inferImagesPerSecond: round(inf),
    trainGflops: round((tr * TRAIN_FLOPS) / 1e9, 3),
    inferGflops: round((inf * FWD_FLOPS) / 1e9, 3),
    trainWindows: trainWindows.map((x) => round(x)),
    inferWindows: inferWindows.map((x) => round(x)),
    params: net.getParamsAndGrads().reduce((a: number, q: any) => a + q.params.length, 0),
  };
}
