/**
 * Adam and AdamW, with PyTorch's semantics:
 *   adam:  g = grad + wd · p (L2 folded into the gradient)
 *   adamw: p −= lr · wd · p  (decoupled decay), g = grad
 *   m = β1 · m + (1 − β1) · g;  v = β2 · v + (1 − β2) · g²
 *   p −= lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 */
import type { AdamConfig } from '../../../app/domain/model-spec';
import { restoreBuffer, type Optimizer, type OptimizerState } from './optimizer';

/** Creates an Adam or AdamW optimizer. */
export function createAdam(config: AdamConfig, paramCount: number, decayMask?: Uint8Array): Optimizer {
  const b1 = config.beta1 ?? 0.9;
  const b2 = config.beta2 ?? 0.999;
  const eps = config.epsilon ?? 1e-8;
  const decoupled = config.type === 'adamw';
  const wd = config.weightDecay ?? (decoupled ? 0.01 : 0);
  const m = new Float32Array(paramCount);
  const v = new Float32Array(paramCount);
  let t = 0;
  return {
    config,
    get stepCount() {
      return t;
    },
    step(params, grads, lr) {
      t++;
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      for (let i = 0; i < params.length; i++) {
        let g = grads[i];
        const decays = wd !== 0 && (!decayMask || decayMask[i] === 1);
        if (decays && decoupled) params[i] -= lr * wd * params[i];
        else if (decays) g += wd * params[i];
        const mi = (m[i] = b1 * m[i] + (1 - b1) * g);
        const vi = (v[i] = b2 * v[i] + (1 - b2) * g * g);
        params[i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
      }
    },
    getState(): OptimizerState {
      return { type: config.type, step: t, buffers: { m: m.slice(), v: v.slice() } };
    },
    setState(state) {
      restoreBuffer(m, state.buffers.m, 'm');
      restoreBuffer(v, state.buffers.v, 'v');
      t = state.step;
    },
  };
}
