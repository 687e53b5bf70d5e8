import { describe, expect, it } from 'vitest';
import {
  TILE,
  isSpatial,
  keepsShape,
  ratio,
  stackCount,
  tileSize,
  vectorHeight,
} from '../../../renderer/src/features/train/network-format';

describe('network explorer helpers', () => {
  it('sizes feature-map tiles in proportion to the input, with a floor', () => {
    expect(tileSize([1, 28, 28], 28)).toEqual({ height: TILE.max, width: TILE.max });
    expect(tileSize([16, 14, 14], 28)).toEqual({ height: TILE.max / 2, width: TILE.max / 2 });
    expect(tileSize([32, 7, 7], 28)).toEqual({ height: 13, width: 13 });
    expect(tileSize([256, 2, 2], 128)).toEqual({ height: TILE.min, width: TILE.min });
    expect(tileSize([8, 32, 16], 32)).toEqual({ height: TILE.max, width: TILE.max / 2 });
  });

  it('tells feature maps from vectors and shape-keeping layers from the rest', () => {
    expect(isSpatial([16, 28, 28])).toBe(true);
    expect(isSpatial([1568, 1, 1])).toBe(false);
    expect(['relu', 'batchNorm', 'dropout', 'leakyRelu'].every((t) => keepsShape(t as never))).toBe(true);
    expect(['conv2d', 'maxPool2d', 'dense', 'flatten'].some((t) => keepsShape(t as never))).toBe(false);
  });

  it('draws at most a few tiles and grows vector bars slowly', () => {
    expect([1, 3, 16, 256].map(stackCount)).toEqual([1, 3, TILE.stack, TILE.stack]);
    expect(vectorHeight(10)).toBeLessThan(vectorHeight(128));
    expect(vectorHeight(128)).toBeLessThan(vectorHeight(1568));
    expect(vectorHeight(1e9)).toBe(56);
    expect(vectorHeight(1)).toBe(12);
  });

  it('rounds parameter ratios: one decimal below 100, whole above', () => {
    expect(ratio(9_847_040, 160)).toBe(61_544);
    expect(ratio(2_656_512, 295_168)).toBe(9);
    expect(ratio(29_724_426, 206_922)).toBe(144);
    expect(ratio(1000, 300)).toBe(3.3);
    expect(ratio(5, 0)).toBe(0);
  });
});
