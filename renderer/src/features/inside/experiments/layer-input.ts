/** Which atlas holds a layer's input and output on the inspected image. Pure. */
import type { Inspection, LayerActivations, TileAtlas } from '../../../../../app/domain/inspect';

/** The activations of layer `index` (its output), if the inspection has maps for it. */
export function layerOutput(inspection: Inspection, index: number): LayerActivations | undefined {
  return inspection.layers.find((l) => l.layerIndex === index);
}

/** The maps layer `index` reads: the network input for the first layer, else the previous layer's maps. */
export function layerInputAtlas(inspection: Inspection, index: number): TileAtlas | null {
  if (index === 0) return inspection.input;
  return layerOutput(inspection, index - 1)?.maps ?? null;
}

/** C×H×W as the layer table writes it. */
export function shapeText(shape: readonly number[]): string {
  return shape.join('×');
}

/** The tile with the widest value range (the most to see: after a ReLU many maps are nearly all zero). */
export function liveliestTile(atlas: Pick<TileAtlas, 'ranges'>): number {
  let best = 0;
  atlas.ranges.forEach(([lo, hi], k) => {
    const [blo, bhi] = atlas.ranges[best];
    if (hi - lo > bhi - blo) best = k;
  });
  return best;
}
