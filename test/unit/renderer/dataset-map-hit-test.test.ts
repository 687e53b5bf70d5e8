import { describe, expect, it } from 'vitest';
import {
  pointInPolygon,
  pointsInBox,
  pointsInPolygon,
} from '../../../renderer/src/features/dataset/map/hit-test';
import { boxOutline, enclosedPoints } from '../../../renderer/src/features/dataset/map/map-gestures';
import { fitView } from '../../../renderer/src/features/dataset/map/view-transform';

/** An L-shaped (concave) polygon: the unit square minus its top-right quarter. */
const L_SHAPE = [0, 0, 0.5, 0, 0.5, 0.5, 1, 0.5, 1, 1, 0, 1];

describe('dataset map hit tests', () => {
  it('tells inside from outside for a concave polygon', () => {
    expect(pointInPolygon(0.25, 0.25, L_SHAPE)).toBe(true);
    expect(pointInPolygon(0.75, 0.75, L_SHAPE)).toBe(true);
    expect(pointInPolygon(0.75, 0.25, L_SHAPE)).toBe(false); // the missing quarter
    expect(pointInPolygon(1.5, 0.5, L_SHAPE)).toBe(false);
  });

  it('finds the points inside a lasso and agrees with the single-point test on random points', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const xs = Array.from({ length: 5000 }, random);
    const ys = Array.from({ length: 5000 }, random);
    const found = pointsInPolygon(xs, ys, L_SHAPE);
    const expected = xs.map((_, i) => i).filter((i) => pointInPolygon(xs[i], ys[i], L_SHAPE));
    expect(found).toEqual(expected);
    // About three quarters of uniform points fall in the L.
    expect(found.length / xs.length).toBeGreaterThan(0.7);
    expect(found.length / xs.length).toBeLessThan(0.8);
  });

  it('encloses nothing with fewer than three vertices', () => {
    expect(pointsInPolygon([0.5], [0.5], [0, 0, 1, 1])).toEqual([]);
  });

  it('finds the points in a box given by any two opposite corners', () => {
    const xs = [0.1, 0.5, 0.9, 0.5];
    const ys = [0.1, 0.5, 0.9, 0.95];
    expect(pointsInBox(xs, ys, 0.2, 0.2, 0.95, 0.92)).toEqual([1, 2]);
    expect(pointsInBox(xs, ys, 0.95, 0.92, 0.2, 0.2)).toEqual([1, 2]);
  });

  it('maps a screen lasso or box into map space before testing', () => {
    const view = fitView(200, 200, 0); // 1 map unit = 200 px
    const xs = Float32Array.from([0.1, 0.6, 0.9]);
    const ys = Float32Array.from([0.1, 0.6, 0.9]);
    expect(enclosedPoints('box', boxOutline(100, 100, 150, 150), view, xs, ys)).toEqual([1]);
    expect(enclosedPoints('lasso', [0, 0, 200, 0, 0, 200], view, xs, ys)).toEqual([0]);
  });
});
