import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  fitBounds,
  fitView,
  panBy,
  toMap,
  toScreen,
  zoomAbout,
  zoomLimits,
} from '../../../renderer/src/features/dataset/map/view-transform';

describe('dataset map view transform', () => {
  it('fits the unit square centred with padding on the shorter side', () => {
    const view = fitView(800, 400, 20);
    expect(view.scale).toBe(360);
    expect(toScreen(view, 0, 0)).toEqual([220, 20]);
    expect(toScreen(view, 1, 1)).toEqual([580, 380]);
  });

  it('keeps the point under the cursor fixed while zooming', () => {
    const view = fitView(600, 600, 0);
    const before = toMap(view, 150, 420);
    const zoomed = zoomAbout(view, 3, 150, 420, 1, 10_000);
    expect(zoomed.scale).toBe(1800);
    const after = toMap(zoomed, 150, 420);
    expect(after[0]).toBeCloseTo(before[0], 12);
    expect(after[1]).toBeCloseTo(before[1], 12);
    // A point away from the cursor moves away from it.
    expect(toScreen(zoomed, 1, 1)[0]).toBeGreaterThan(600);
  });

  it('clamps the scale to its limits and still keeps the cursor point', () => {
    const fitted = fitView(500, 500, 0);
    const { minScale, maxScale } = zoomLimits(fitted);
    const far = zoomAbout(fitted, 1e6, 100, 100, minScale, maxScale);
    expect(far.scale).toBe(maxScale);
    expect(toMap(far, 100, 100)[0]).toBeCloseTo(toMap(fitted, 100, 100)[0], 12);
    expect(zoomAbout(fitted, 1e-6, 0, 0, minScale, maxScale).scale).toBe(minScale);
  });

  it('pans by screen pixels and round-trips map ↔ screen', () => {
    const view = panBy(fitView(400, 400, 0), 30, -12);
    expect(toScreen(view, 0.5, 0.5)).toEqual([230, 188]);
    const [mx, my] = toMap(view, 123, 321);
    expect(toScreen(view, mx, my)).toEqual([123, 321]);
  });
});

describe('dataset map fit to the points', () => {
  it('fills the canvas with the points’ bounding box, centred, aspect kept', () => {
    const bounds = boundsOf([0.2, 0.8, 0.5], [0.4, 0.6, 0.5]);
    expect(bounds).toEqual({ minX: 0.2, minY: 0.4, maxX: 0.8, maxY: 0.6 });
    const view = fitBounds(800, 400, bounds, 20);
    // Width limits: 760 px for 0.6 units (height would allow 360 / 0.2 = 1800).
    expect(view.scale).toBeCloseTo(760 / 0.6, 9);
    const [left, top] = toScreen(view, 0.2, 0.4);
    const [right, bottom] = toScreen(view, 0.8, 0.6);
    expect(left).toBeCloseTo(20, 9);
    expect(right).toBeCloseTo(780, 9);
    expect((top + bottom) / 2).toBeCloseTo(200, 9);
  });

  it('treats a single point as a unit box at its centre', () => {
    const view = fitBounds(300, 300, boundsOf([0.3], [0.7]), 0);
    expect(toScreen(view, 0.3, 0.7)).toEqual([150, 150]);
  });
});
