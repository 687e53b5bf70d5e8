/**
 * A layer with every default written out (conv stride 1 and padding 'valid', pool stride = size, batch norm
 * momentum 0.1 and epsilon 1e-5, leaky ReLU alpha 0.01), so that two specs that build the same network compare
 * equal however they were written (the presets spell some defaults, the importer others).
 */
import type { LayerSpec } from '../../../app/domain/model-spec';

export function canonicalLayer(layer: LayerSpec): LayerSpec {
  switch (layer.type) {
    case 'conv2d':
      return { ...layer, stride: layer.stride ?? 1, padding: layer.padding ?? 'valid' };
    case 'maxPool2d':
    case 'avgPool2d':
      return { ...layer, stride: layer.stride ?? layer.size };
    case 'batchNorm':
      return { ...layer, momentum: layer.momentum ?? 0.1, epsilon: layer.epsilon ?? 1e-5 };
    case 'leakyRelu':
      return { ...layer, alpha: layer.alpha ?? 0.01 };
    default:
      return { ...layer };
  }
}

/** A flatten right before a dense layer changes nothing (the dense layer flattens its input): left out. */
function withoutNoOps(layers: LayerSpec[]): LayerSpec[] {
  return layers.filter((l, i) => !(l.type === 'flatten' && layers[i + 1]?.type === 'dense'));
}

/**
 * Whether two layer lists build the same network, for training too (a dropout counts); keys are compared sorted,
 * so their order does not matter.
 */
export function sameLayers(x: LayerSpec[], y: LayerSpec[]): boolean {
  const [a, b] = [withoutNoOps(x), withoutNoOps(y)];
  const key = (l: LayerSpec) => {
    const c = canonicalLayer(l) as unknown as Record<string, unknown>;
    return JSON.stringify(
      Object.keys(c)
        .sort()
        .map((k) => [k, c[k]]),
    );
  };
  return a.length === b.length && a.every((l, i) => key(l) === key(b[i]));
}
