/**
 * FLOPs of a network, counted from its planned layer shapes (native-workers/cnn/plan.ts), for the benchmark's
 * GFLOP/s and % of peak. The convention, the usual one for CNN benchmarks:
 *   - only convolutions and dense layers count (their multiply-adds are nearly all of the work); batch norm,
 *     ReLU, pooling, dropout and the loss are left out;
 *   - forward = 2 · MACs (a multiply-add is two FLOPs);
 *   - backward = the weight gradient (2 · MACs) + the input gradient (2 · MACs), except that the first layer
 *     computes no input gradient (nothing upstream needs it), so it counts 2 · MACs;
 *   - a training step = forward + backward (≈ 3 × forward); the optimizer update is left out.
 * The reference CNN: forward 2.436 MFLOP per image, training 7.082 MFLOP (3 × 2.436 − 2 · 112,896 for conv1's dx).
 */
import type { ModelSpec } from '../../../app/domain/model-spec';
import { planModel } from '../../../native-workers/cnn/plan';

export interface LayerFlops {
  index: number;
  type: string;
  label: string;
  /** FLOPs per image. */
  forward: number;
  backward: number;
}

export interface ModelFlops {
  layers: LayerFlops[];
  /** Per image. */
  forward: number;
  training: number;
}

/** Counts the FLOPs per image of every layer of `spec`, by the convention above. */
export function countFlops(spec: ModelSpec): ModelFlops {
  const layers = planModel(spec).map((p): LayerFlops => {
    const forward = 2 * p.macs;
    const inputGradient = p.index === 0 ? 0 : 2 * p.macs;
    return {
      index: p.index,
      type: p.spec.type,
      label: p.label,
      forward,
      backward: 2 * p.macs + inputGradient,
    };
  });
  const forward = layers.reduce((a, l) => a + l.forward, 0);
  return { layers, forward, training: forward + layers.reduce((a, l) => a + l.backward, 0) };
}
