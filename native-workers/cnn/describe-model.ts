/**
 * A per-layer summary of a model for the UI: output shapes, parameter counts, cost, and how many parameters
 * the convolutions would need as fully connected layers (what parameter sharing saves).
 */
import type { ModelDescription, ModelSpec } from '../../app/domain/model-spec';
import { planModel, sizeOf } from './plan';
import { SpecError } from './spec-error';

/** Describes a spec; throws SpecError (naming the layer) when it is invalid. */
export function describeModel(spec: ModelSpec): ModelDescription {
  const plans = planModel(spec);
  const layers = plans.map((p) => {
    const params = p.params.reduce((n, t) => n + sizeOf(t.shape), 0);
    return {
      index: p.index,
      type: p.spec.type,
      label: p.label,
      outputShape: p.outShape,
      params,
      fullyConnectedParams: p.spec.type === 'conv2d' ? p.fullyConnectedParams : params,
      macs: p.macs,
    };
  });
  return {
    input: [spec.input.channels, spec.input.height, spec.input.width],
    layers,
    totalParams: layers.reduce((n, l) => n + l.params, 0),
    totalFullyConnectedParams: layers.reduce((n, l) => n + l.fullyConnectedParams, 0),
    totalMacs: layers.reduce((n, l) => n + l.macs, 0),
  };
}

/** Validates a spec without throwing: null when it is valid, else the layer at fault (null: input) and message. */
export function checkModelSpec(spec: ModelSpec): { layerIndex: number | null; message: string } | null {
  try {
    planModel(spec);
    return null;
  } catch (e) {
    if (e instanceof SpecError) return { layerIndex: e.layerIndex, message: e.message };
    return { layerIndex: null, message: e instanceof Error ? e.message : String(e) };
  }
}
