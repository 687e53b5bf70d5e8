/**
 * The optimizer interface and its factory. An optimizer updates the flat parameter buffer from the flat gradient
 * buffer in one loop (llm.c); its state (momentum / moment buffers, step count) is serialisable for checkpoints.
 */
import type { OptimizerConfig } from '../../../app/domain/model-spec';
import { createAdam } from './adam';
import { createSgd } from './sgd';

/** The complete state of an optimizer: a step count and named flat buffers. */
export interface OptimizerState {
  type: OptimizerConfig['type'];
  step: number;
  buffers: Record<string, Float32Array>;
}

/** Updates parameters in place from their gradients. */
export interface Optimizer {
  readonly config: OptimizerConfig;
  /** Number of step() calls so far (Adam's bias correction uses it). */
  readonly stepCount: number;
  /** params −= update(grads) with learning rate lr. Weight decay applies where decayMask is 1 (all if none). */
  step(params: Float32Array, grads: Float32Array, lr: number): void;
  /** A copy of the state. */
  getState(): OptimizerState;
  /** Restores a state from getState() (copied in). */
  setState(state: OptimizerState): void;
}

/** Creates the optimizer for a config, for a parameter buffer of paramCount floats. */
export function createOptimizer(
  config: OptimizerConfig,
  paramCount: number,
  decayMask?: Uint8Array,
): Optimizer {
  if (decayMask && decayMask.length !== paramCount) throw new Error('decayMask length must equal paramCount');
  switch (config.type) {
    case 'sgd':
      return createSgd(config, paramCount, decayMask);
    case 'adam':
    case 'adamw':
      return createAdam(config, paramCount, decayMask);
    default: {
      const never: never = config;
      throw new Error(`unknown optimizer ${JSON.stringify(never)}`);
    }
  }
}

/** Copies a saved buffer into a live one after checking it fits. */
export function restoreBuffer(target: Float32Array, saved: Float32Array | undefined, name: string): void {
  if (!saved || saved.length !== target.length) {
    throw new Error(`optimizer state: buffer ${name} must have length ${target.length}`);
  }
  target.set(saved);
}
