/**
 * A finite-difference check of the whole model's flat gradient (every layer type wired together, including
 * dropout with its mask replayed from a saved generator state). The model computes in float32, so the check
 * uses a larger step and looser tolerance than the float64 op checks; the ops themselves are checked exactly there.
 */
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { buildModel } from '../../../native-workers/cnn/model';
import { Rng } from '../../../native-workers/cnn/rng';

const spec: ModelSpec = {
  input: { height: 7, width: 6, channels: 2 },
  layers: [
    { type: 'conv2d', filters: 3, kernelSize: [3, 2], stride: [2, 1], padding: 'same' },
    { type: 'batchNorm' },
    { type: 'leakyRelu', alpha: 0.1 },
    { type: 'avgPool2d', size: 2, stride: 1 },
    { type: 'conv2d', filters: 4, kernelSize: 2, padding: 1 },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 },
    { type: 'dropout', rate: 0.25 },
    { type: 'globalAvgPool' },
    { type: 'dense', units: 5 },
    { type: 'relu' },
    { type: 'dense', units: 3 },
  ],
  numClasses: 3,
};

describe('whole-model gradient (float32 finite differences)', () => {
  it('matches the analytic flat gradient for every layer type', () => {
    const model = buildModel(spec, { seed: 3, batchSize: 4 });
    const rng = new Rng(8);
    const x = new Float32Array(4 * model.inputSize).map(() => rng.normal());
    const labels = [0, 2, 1, 2];
    const dropoutState = model.rng.getState();
    const loss = () => {
      model.rng.setState(dropoutState); // the same dropout mask every time
      model.forward(x, { training: true });
      return model.loss(labels);
    };
    model.zeroGrads();
    loss();
    model.backward(labels);
    const analytic = model.grads.slice();
    const h = 1e-2;
    let checked = 0;
    for (let i = 0; i < model.params.length; i++) {
      const orig = model.params[i];
      model.params[i] = orig + h;
      const lp = loss();
      model.params[i] = orig - h;
      const lm = loss();
      model.params[i] = orig;
      const numeric = (lp - lm) / (2 * h);
      // Float32 rounding and the O(h²) term (or a ReLU kink crossed by a step this large) stay below this.
      expect(Math.abs(numeric - analytic[i]), `param ${i}`).toBeLessThan(1e-3 + 0.02 * Math.abs(analytic[i]));
      checked++;
    }
    expect(checked).toBe(model.params.length);
    expect(analytic.some((g) => g !== 0)).toBe(true);
  });
});
