/**
 * Pure helpers of the network explorer: which kind of glyph a layer gets, how big its feature-map tiles are,
 * parameter formulas and ratios. No React, no DOM, so they are unit-tested directly.
 */
import type { ActivationShape, LayerType } from '../../../../app/domain/model-spec';

/** Layers that keep the shape of their input (drawn as a compact row on the line). */
const SHAPE_KEEPING: ReadonlySet<LayerType> = new Set(['relu', 'leakyRelu', 'batchNorm', 'dropout']);

/** True for activations, batch norm and dropout: same shape out as in. */
export function keepsShape(type: LayerType): boolean {
  return SHAPE_KEEPING.has(type);
}

/** A shape is a stack of feature maps when it has a spatial extent, else a plain list of numbers (a vector). */
export function isSpatial(shape: ActivationShape): boolean {
  return shape[1] > 1 || shape[2] > 1;
}

/** The biggest tile side (the input image), the smallest, and how many tiles a stack shows at most. */
export const TILE = { max: 52, min: 5, stack: 5, offset: 5 } as const;

/**
 * Side lengths in CSS pixels of one feature-map tile, proportional to the map's size relative to the input
 * image (the input is TILE.max), never smaller than TILE.min so a 2×2 map stays visible.
 */
export function tileSize(shape: ActivationShape, inputSize: number): { height: number; width: number } {
  const scale = TILE.max / Math.max(1, inputSize);
  const side = (n: number) => Math.max(TILE.min, Math.round(n * scale));
  return { height: side(shape[1]), width: side(shape[2]) };
}

/** How many tiles of a stack are drawn for `channels` maps (a hint of depth, not one per map). */
export function stackCount(channels: number): number {
  return Math.max(1, Math.min(TILE.stack, channels));
}

/** Height in CSS pixels of the bar that stands for a vector of `n` numbers: grows with log10(n). */
export function vectorHeight(n: number): number {
  return Math.round(Math.min(56, Math.max(12, 6 + 11 * Math.log10(Math.max(1, n)))));
}

/** How many times more parameters `dense` is than `shared`: one decimal below 100, whole above. */
export function ratio(dense: number, shared: number): number {
  if (shared <= 0) return 0;
  const r = dense / shared;
  return r < 100 ? Math.round(r * 10) / 10 : Math.round(r);
}
