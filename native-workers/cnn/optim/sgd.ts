/**
 * SGD with momentum, optional Nesterov, and L2 weight decay, with PyTorch's semantics:
 *   g = grad + wd · p;  v = μ · v + g;  g = nesterov ? g + μ · v : v;  p −= lr · g
 */
import type { SgdConfig } from '../../../app/domain/model-spec';
import { restoreBuffer, type Optimizer, type OptimizerState } from './optimizer';

/** Creates an SGD optimizer. */
export function createSgd(config: SgdConfig, paramCount: number, decayMask?: Uint8Array): Optimizer {
  const mu = config.momentum ?? 0;
  const nesterov = config.nesterov ?? false;
  const wd = config.weightDecay ?? 0;
  const velocity = new Float32Array(mu > 0 ? paramCount : 0);
  let stepCount = 0;
  return {
    config,
    get stepCount() {
      return stepCount;
    },
    step(params, grads, lr) {
      for (let i = 0; i < params.length; i++) {
        let g = grads[i];
        if (wd !== 0 && (!decayMask || decayMask[i])) g += wd * params[i];
        if (mu > 0) {
          const v = (velocity[i] = mu * velocity[i] + g);
          g = nesterov ? g + mu * v : v;
        }
        params[i] -= lr * g;
      }
      stepCount++;
    },
    getState(): OptimizerState {
      return { type: 'sgd', step: stepCount, buffers: { velocity: velocity.slice() } };
    },
    setState(state) {
      restoreBuffer(velocity, state.buffers.velocity, 'velocity');
      stepCount = state.step;
    },
  };
}
