import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OptimizerConfig } from '../../../app/domain/model-spec';
import { clipGradNorm, globalNorm } from '../../../native-workers/cnn/optim/clip';
import { createOptimizer } from '../../../native-workers/cnn/optim/optimizer';
import { learningRateAt } from '../../../native-workers/cnn/optim/schedule';

interface OptimCase {
  name: string;
  config: OptimizerConfig;
  init: number[];
  grads: number[][];
  lrs: number[];
  final: number[];
}
const cases: OptimCase[] = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/torch/optim.json'), 'utf8'),
);

describe('optimizers vs PyTorch (weight decay masked to the first 4 values)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const params = new Float32Array(c.init);
      const mask = new Uint8Array(params.length);
      mask.fill(1, 0, 4);
      const opt = createOptimizer(c.config, params.length, mask);
      c.grads.forEach((g, i) => opt.step(params, new Float32Array(g), c.lrs[i]));
      for (let i = 0; i < params.length; i++) expect(params[i]).toBeCloseTo(c.final[i], 5);
    });
  }

  it('state round trip continues identically', () => {
    const config: OptimizerConfig = { type: 'adamw', weightDecay: 0.1 };
    const a = new Float32Array([1, -2, 3]);
    const g = new Float32Array([0.5, 0.25, -1]);
    const opt = createOptimizer(config, 3);
    opt.step(a, g, 0.1);
    const saved = opt.getState();
    const b = a.slice();
    opt.step(a, g, 0.1);
    const opt2 = createOptimizer(config, 3);
    opt2.setState(saved);
    opt2.step(b, g, 0.1);
    expect(b).toEqual(a);
    expect(opt2.stepCount).toBe(2);
  });
});

describe('learning-rate schedules', () => {
  it('linear warm-up then constant', () => {
    const s = { learningRate: 0.1, warmupSteps: 4 };
    const lrs = [0, 1, 2, 3, 4, 100].map((t) => learningRateAt(s, t, 10, 1000));
    [0.025, 0.05, 0.075, 0.1, 0.1, 0.1].forEach((x, i) => expect(lrs[i]).toBeCloseTo(x, 12));
  });
  it('step decay by epochs', () => {
    const s = { learningRate: 1, schedule: { type: 'step' as const, everyEpochs: 2, gamma: 0.5 } };
    expect([0, 19, 20, 39, 40, 60].map((t) => learningRateAt(s, t, 10, 100))).toEqual([
      1, 1, 0.5, 0.5, 0.25, 0.125,
    ]);
  });
  it('cosine from base towards minLr', () => {
    const s = { learningRate: 1, schedule: { type: 'cosine' as const, minLr: 0.1 } };
    expect(learningRateAt(s, 0, 10, 100)).toBe(1);
    expect(learningRateAt(s, 50, 10, 100)).toBeCloseTo(0.55, 12);
    expect(learningRateAt(s, 99, 10, 100)).toBeGreaterThan(0.1);
    expect(learningRateAt(s, 99, 10, 100)).toBeLessThan(0.101);
  });
});

describe('gradient clipping by global norm', () => {
  it('rescales only when the norm is above the limit', () => {
    const g = new Float32Array([3, 4]);
    expect(clipGradNorm(g, 10)).toBe(5);
    expect(Array.from(g)).toEqual([3, 4]);
    expect(clipGradNorm(g, 1)).toBe(5);
    expect(globalNorm(g)).toBeCloseTo(1, 6);
    expect(g[0] / g[1]).toBeCloseTo(0.75, 6);
  });
});
