/**
 * Grad-CAM and the eval-mode class-score gradient (native-workers/cnn/explain/).
 *
 * The gradient check: the model's analytic ∂logit_c/∂A (float32, eval-mode backward) against central differences
 * of a FLOAT64 re-implementation of the layers above A (the reference ops over float64 copies of the parameters,
 * written here independently of eval-backward.ts), h = 1e-6. Batchnorm has non-trivial running statistics and a
 * stale training-mode batch state, and dropout a high rate, so that a training-mode backward would fail the check.
 */
import { describe, expect, it } from 'vitest';
import type { BatchNormLayerSpec, ModelSpec } from '../../../app/domain/model-spec';
import { classScoreGradient, INPUT_LAYER, softmax } from '../../../native-workers/cnn/explain/class-gradient';
import { convShapeOf, poolShapeOf } from '../../../native-workers/cnn/explain/eval-backward';
import { gradCam, gradCamLayer, normalizedRelu } from '../../../native-workers/cnn/explain/grad-cam';
import { inputSaliency } from '../../../native-workers/cnn/explain/saliency';
import { buildModel, type Model } from '../../../native-workers/cnn/model';
import { avgPool2dForward } from '../../../native-workers/cnn/ops/avg-pool2d';
import { batchNormForwardEval } from '../../../native-workers/cnn/ops/batch-norm';
import { conv2dForward } from '../../../native-workers/cnn/ops/conv2d';
import { denseForward } from '../../../native-workers/cnn/ops/dense';
import { globalAvgPoolForward } from '../../../native-workers/cnn/ops/global-avg-pool';
import { leakyReluForward } from '../../../native-workers/cnn/ops/leaky-relu';
import { maxPool2dForward } from '../../../native-workers/cnn/ops/max-pool2d';
import { reluForward } from '../../../native-workers/cnn/ops/relu';
import { createOptimizer } from '../../../native-workers/cnn/optim/optimizer';
import { sizeOf } from '../../../native-workers/cnn/plan';
import { Rng } from '../../../native-workers/cnn/rng';

const spec: ModelSpec = {
  input: { height: 9, width: 8, channels: 2 },
  layers: [
    { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' }, // 0
    { type: 'batchNorm' }, // 1
    { type: 'relu' }, // 2
    { type: 'maxPool2d', size: 2 }, // 3: 4×4
    { type: 'conv2d', filters: 4, kernelSize: [2, 3], stride: 1, padding: 1 }, // 4
    { type: 'batchNorm', epsilon: 1e-3 }, // 5
    { type: 'leakyRelu', alpha: 0.1 }, // 6: the default target
    { type: 'maxPool2d', size: 2 }, // 7
    { type: 'dropout', rate: 0.5 }, // 8
    { type: 'flatten' }, // 9
    { type: 'dense', units: 6 }, // 10
    { type: 'relu' }, // 11
    { type: 'dropout', rate: 0.5 }, // 12
    { type: 'dense', units: 4 }, // 13
  ],
  numClasses: 4,
};

/** A model with random parameters, non-trivial batchnorm running statistics and a stale training state. */
function randomModel(s: ModelSpec, seed: number): { model: Model; image: Float32Array } {
  const model = buildModel(s, { seed, batchSize: 2 });
  const rng = new Rng(seed + 100);
  model.plans.forEach((p, i) => {
    if (p.spec.type !== 'batchNorm') return;
    const C = p.inShape[0];
    const o = model.layout.stateOffsets[i];
    for (let c = 0; c < C; c++) {
      model.state[o + c] = 0.3 * rng.normal();
      model.state[o + C + c] = 0.5 + rng.uniform() * 1.5;
    }
    model.param(i, 'gamma').forEach((_, c, a) => (a[c] = 0.5 + rng.uniform()));
    model.param(i, 'beta').forEach((_, c, a) => (a[c] = 0.2 * rng.normal()));
  });
  // a training forward leaves batch statistics (and dropout masks) behind that eval mode must ignore
  model.forward(
    new Float32Array(2 * model.inputSize).map(() => rng.normal()),
    { training: true },
  );
  const image = new Float32Array(model.inputSize).map(() => rng.uniform());
  return { model, image };
}

/** Eval-mode forward of layers from + 1 .. end in float64, from the output `a` of layer `from`. */
function headForward64(model: Model, from: number, a: Float64Array): Float64Array {
  let x = a;
  for (let i = from + 1; i < model.layers.length; i++) {
    const p = model.plans[i];
    const l = p.spec;
    const out = new Float64Array(sizeOf(p.outShape));
    const param = (kind: 'weight' | 'bias' | 'gamma' | 'beta') => Float64Array.from(model.param(i, kind));
    const [C, H, W] = p.inShape;
    switch (l.type) {
      case 'conv2d':
        conv2dForward(convShapeOf(p), x, param('weight'), param('bias'), out);
        break;
      case 'dense':
        denseForward(
          { batch: 1, inFeatures: C * H * W, outFeatures: p.outShape[0] },
          x,
          param('weight'),
          param('bias'),
          out,
        );
        break;
      case 'batchNorm': {
        const o = model.layout.stateOffsets[i];
        const mean = Float64Array.from(model.state.subarray(o, o + C));
        const variance = Float64Array.from(model.state.subarray(o + C, o + 2 * C));
        const s = {
          batch: 1,
          channels: C,
          spatial: H * W,
          epsilon: (l as BatchNormLayerSpec).epsilon ?? 1e-5,
          momentum: 0,
        };
        batchNormForwardEval(s, x, param('gamma'), param('beta'), out, mean, variance);
        break;
      }
      case 'relu':
        reluForward(x, out);
        break;
      case 'leakyRelu':
        leakyReluForward(x, out, l.alpha ?? 0.01);
        break;
      case 'maxPool2d':
        maxPool2dForward(poolShapeOf(p), x, out, new Int32Array(out.length));
        break;
      case 'avgPool2d':
        avgPool2dForward(poolShapeOf(p), x, out);
        break;
      case 'globalAvgPool':
        globalAvgPoolForward({ batch: 1, channels: C, spatial: H * W }, x, out);
        break;
      case 'dropout':
      case 'flatten':
        out.set(x);
        break;
    }
    x = out;
  }
  return x;
}

/** Max error of the analytic class gradient at `layerIndex` against float64 central differences. */
function gradientError(model: Model, image: Float32Array, layerIndex: number, classIndex: number): number {
  const g = classScoreGradient(model, image, layerIndex, classIndex);
  const a = Float64Array.from(g.activations);
  const h = 1e-6;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const orig = a[i];
    a[i] = orig + h;
    const lp = headForward64(model, layerIndex, a)[classIndex];
    a[i] = orig - h;
    const lm = headForward64(model, layerIndex, a)[classIndex];
    a[i] = orig;
    const numeric = (lp - lm) / (2 * h);
    worst = Math.max(worst, Math.abs(numeric - g.gradient[i]) / Math.max(1, Math.abs(numeric)));
  }
  expect(g.gradient.some((v) => v !== 0)).toBe(true);
  return worst;
}

describe('class-score gradient (eval mode, float64 finite differences)', () => {
  const { model, image } = randomModel(spec, 5);

  it('the float64 re-implementation reproduces the model’s logits', () => {
    const logits = classScoreGradient(model, image, INPUT_LAYER).logits;
    const ref = headForward64(model, INPUT_LAYER, Float64Array.from(image));
    for (let k = 0; k < 4; k++) expect(Math.abs(logits[k] - ref[k])).toBeLessThan(1e-5);
  });

  it('the default target is the last conv block after its activation, before its pooling', () => {
    expect(gradCamLayer(model)).toBe(6);
  });

  for (const [name, layer] of [
    ['at the Grad-CAM target (maxpool, dropout, flatten, dense, relu above it)', 6],
    ['at the first block (also conv, batchnorm, leaky relu below)', 2],
    ['at the input (every layer)', INPUT_LAYER],
  ] as const) {
    it(name, () => {
      // float32 analytic against float64 numeric: float32 rounding (~1e-7 relative per op) dominates
      for (let c = 0; c < 4; c++)
        expect(gradientError(model, image, layer, c), `class ${c}`).toBeLessThan(2e-5);
    });
  }
});

describe('Grad-CAM', () => {
  it('is ReLU(Σ α_k A_k) normalised, with α_k the spatial mean of the gradient', () => {
    const { model, image } = randomModel(spec, 9);
    const g = classScoreGradient(model, image, 6, 2);
    const [K, H, W] = g.shape;
    const raw = new Float64Array(H * W);
    for (let k = 0; k < K; k++) {
      let alpha = 0;
      for (let i = 0; i < H * W; i++) alpha += g.gradient[k * H * W + i] / (H * W);
      for (let i = 0; i < H * W; i++) raw[i] += alpha * g.activations[k * H * W + i];
    }
    const cam = gradCam(model, image, { classIndex: 2 });
    expect([cam.width, cam.height, cam.layerIndex, cam.classIndex]).toEqual([W, H, 6, 2]);
    const max = Math.max(...raw);
    for (let i = 0; i < H * W; i++) expect(cam.values[i]).toBeCloseTo(Math.max(0, raw[i]) / max, 5);
    expect(Math.max(...cam.values)).toBe(1);
    expect(cam.probabilities).toEqual(softmax(cam.logits));
  });

  it('defaults to the predicted class and accepts an explicit layer', () => {
    const { model, image } = randomModel(spec, 11);
    const probs = model.predict(image).slice();
    const cam = gradCam(model, image);
    expect(cam.classIndex).toBe(probs.indexOf(Math.max(...probs)));
    for (let k = 0; k < 4; k++) expect(cam.probabilities[k]).toBeCloseTo(probs[k], 6);
    const early = gradCam(model, image, { layerIndex: 2 });
    expect([early.width, early.height]).toEqual([8, 9]);
    expect(() => gradCam(model, image, { layerIndex: 10 })).toThrow(/not spatial/);
    expect(() => gradCam(model, image, { classIndex: 4 })).toThrow(/classIndex/);
  });

  it('a map with nothing positive (or a zero gradient) stays all zeros, never NaN', () => {
    const { model, image } = randomModel(spec, 12);
    model.param(13, 'weight').fill(0);
    const cam = gradCam(model, image);
    expect(cam.values.every((v) => v === 0)).toBe(true);
    expect(Array.from(normalizedRelu([-1, -2, 0]))).toEqual([0, 0, 0]);
    expect(Array.from(normalizedRelu([1, NaN]))).toEqual([0, 0]);
    expect(Array.from(normalizedRelu([0.5, 2, -1]))).toEqual([0.25, 1, 0]);
    const sal = inputSaliency(model, image);
    expect(sal.values.every((v) => v === 0)).toBe(true);
  });

  it('on a GlobalAveragePool → Dense head equals plain CAM (weights = the dense row)', () => {
    const gapSpec: ModelSpec = {
      input: { height: 10, width: 10, channels: 3 },
      layers: [
        { type: 'conv2d', filters: 5, kernelSize: 3, padding: 'same' },
        { type: 'relu' },
        { type: 'maxPool2d', size: 2 },
        { type: 'conv2d', filters: 6, kernelSize: 3, padding: 'same' },
        { type: 'batchNorm' },
        { type: 'relu' },
        { type: 'globalAvgPool' },
        { type: 'dropout', rate: 0.4 },
        { type: 'dense', units: 3 },
      ],
      numClasses: 3,
    };
    const { model, image } = randomModel(gapSpec, 21);
    expect(gradCamLayer(model)).toBe(5);
    const A = model.featureMaps(image)[5].data;
    const w = model.param(8, 'weight');
    for (let c = 0; c < 3; c++) {
      const cam = new Float64Array(25);
      for (let k = 0; k < 6; k++) for (let i = 0; i < 25; i++) cam[i] += w[c * 6 + k] * A[k * 25 + i];
      const expected = normalizedRelu(cam);
      const got = gradCam(model, image, { classIndex: c });
      for (let i = 0; i < 25; i++) expect(got.values[i]).toBeCloseTo(expected[i], 5);
    }
  });

  it('input saliency is max over channels of |∂y_c/∂x|, normalised', () => {
    const { model, image } = randomModel(spec, 17);
    const g = classScoreGradient(model, image, INPUT_LAYER, 3);
    const S = 9 * 8;
    const raw = Array.from({ length: S }, (_, i) =>
      Math.max(Math.abs(g.gradient[i]), Math.abs(g.gradient[S + i])),
    );
    const max = Math.max(...raw);
    const sal = inputSaliency(model, image, 3);
    expect([sal.width, sal.height, sal.classIndex]).toEqual([8, 9, 3]);
    raw.forEach((v, i) => expect(sal.values[i]).toBeCloseTo(v / max, 6));
  });

  it('a model with no spatial layer falls back to the input', () => {
    const flat: ModelSpec = {
      input: { height: 4, width: 4, channels: 1 },
      layers: [{ type: 'flatten' }, { type: 'dense', units: 2 }],
      numClasses: 2,
    };
    const { model, image } = randomModel(flat, 3);
    expect(gradCamLayer(model)).toBe(INPUT_LAYER);
    const cam = gradCam(model, image);
    expect([cam.width, cam.height, cam.layerIndex]).toEqual([4, 4, -1]);
  });
});

describe('Grad-CAM on a briefly trained model', () => {
  // Class 1: a bright 3×3 square somewhere on noise; class 0: noise only. Only the square carries the signal.
  const size = 16;
  const sample = (rng: Rng, withSquare: boolean) => {
    const img = new Float32Array(size * size).map(() => 0.3 * rng.uniform());
    const y = rng.int(size - 3);
    const x = rng.int(size - 3);
    if (withSquare)
      for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) img[(y + dy) * size + x + dx] = 1;
    return { img, y, x };
  };
  const trainedSpec: ModelSpec = {
    input: { height: size, width: size, channels: 1 },
    layers: [
      { type: 'conv2d', filters: 6, kernelSize: 3, padding: 'same' },
      { type: 'relu' },
      { type: 'maxPool2d', size: 2 },
      { type: 'conv2d', filters: 8, kernelSize: 3, padding: 'same' },
      { type: 'relu' },
      { type: 'maxPool2d', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 2 },
    ],
    numClasses: 2,
  };

  function train(): Model {
    const batch = 16;
    const model = buildModel(trainedSpec, { seed: 4, batchSize: batch });
    const opt = createOptimizer({ type: 'adam' }, model.params.length);
    const rng = new Rng(77);
    const x = new Float32Array(batch * size * size);
    const labels = new Int32Array(batch);
    for (let step = 0; step < 150; step++) {
      for (let n = 0; n < batch; n++) {
        labels[n] = n % 2;
        x.set(sample(rng, labels[n] === 1).img, n * size * size);
      }
      model.computeGradients(x, labels);
      opt.step(model.params, model.grads, 0.01);
    }
    return model;
  }

  it('puts the maximum of the class map on the square', () => {
    const model = train();
    const layer = gradCamLayer(model);
    expect(layer).toBe(4); // 8×8, before the last pooling
    const rng = new Rng(2027);
    let hits = 0;
    let correct = 0;
    const trials = 20;
    for (let t = 0; t < trials; t++) {
      const { img, y, x } = sample(rng, true);
      const cam = gradCam(model, img, { classIndex: 1 });
      if (cam.probabilities[1] > 0.5) correct++;
      const best = cam.values.indexOf(1);
      // map cell (cy, cx) covers input pixels [2cy, 2cy + 2) × [2cx, 2cx + 2); the square is [y, y + 3) × [x, x + 3)
      const cy = Math.floor(best / cam.width);
      const cx = best % cam.width;
      const overlaps = 2 * cy < y + 3 + 1 && 2 * cy + 2 > y - 1 && 2 * cx < x + 3 + 1 && 2 * cx + 2 > x - 1;
      if (overlaps) hits++;
    }
    expect(correct).toBeGreaterThanOrEqual(trials - 1);
    expect(hits, `${hits} of ${trials}`).toBeGreaterThanOrEqual(trials - 2);
  });
});

describe('explaining leaves the model as it was', () => {
  it('later predictions, parameters, state and gradients are unchanged', () => {
    const { model, image } = randomModel(spec, 31);
    const other = new Float32Array(2 * model.inputSize).map((_, i) => Math.sin(i));
    const before = model.predict(other).slice();
    const params = model.params.slice();
    const state = model.state.slice();
    model.grads.fill(0.25);
    gradCam(model, image);
    inputSaliency(model, image, 1);
    expect(model.predict(other)).toEqual(before);
    expect(model.params).toEqual(params);
    expect(model.state).toEqual(state);
    expect(model.grads.every((g) => g === 0.25)).toBe(true);
  });

  it('a training run with explanations between its steps is bit for bit the one without', () => {
    const run = (explain: boolean) => {
      const { model, image } = randomModel(spec, 41);
      const opt = createOptimizer({ type: 'sgd', momentum: 0.9 }, model.params.length);
      const rng = new Rng(5);
      for (let step = 0; step < 4; step++) {
        const x = new Float32Array(2 * model.inputSize).map(() => rng.normal());
        model.computeGradients(x, [step % 4, (step + 1) % 4]);
        opt.step(model.params, model.grads, 0.05);
        if (explain) gradCam(model, image);
      }
      return { params: model.params.slice(), state: model.state.slice(), rng: model.rng.getState() };
    };
    expect(run(true)).toEqual(run(false));
  });
});
