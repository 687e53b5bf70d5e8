import { describe, expect, it } from 'vitest';
import { SpatialGrid } from '../../../renderer/src/features/dataset/map/spatial-grid';

function bruteNearest(xs: number[], ys: number[], x: number, y: number, max: number): number {
  let best = -1;
  let bestD = max;
  xs.forEach((px, i) => {
    const d = Math.hypot(px - x, ys[i] - y);
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

describe('dataset map spatial grid', () => {
  it('finds the same nearest point as a full scan, within the distance asked', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 48271) % 2147483647) - 1) / 2147483646;
    const xs = Array.from({ length: 20_000 }, random);
    const ys = Array.from({ length: 20_000 }, () => random() * 0.6 + 0.2);
    const grid = new SpatialGrid(xs, ys);
    for (let q = 0; q < 300; q++) {
      const x = random() * 1.2 - 0.1;
      const y = random() * 1.2 - 0.1;
      const max = [0.002, 0.01, 0.05][q % 3];
      const found = grid.nearest(x, y, max);
      const expected = bruteNearest(xs, ys, x, y, max);
      if (expected < 0) expect(found).toBe(-1);
      else
        expect(Math.hypot(xs[found] - x, ys[found] - y)).toBeCloseTo(
          Math.hypot(xs[expected] - x, ys[expected] - y),
          12,
        );
    }
  });

  it('answers -1 when nothing is near and handles an empty or single-point map', () => {
    const grid = new SpatialGrid([0.5], [0.5]);
    expect(grid.nearest(0.5, 0.5, 0.01)).toBe(0);
    expect(grid.nearest(0.9, 0.9, 0.01)).toBe(-1);
    expect(new SpatialGrid([], []).nearest(0.5, 0.5, 1)).toBe(-1);
  });
});
