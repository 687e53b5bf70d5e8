import { describe, expect, it } from 'vitest';
import {
  discStamp,
  parseColor,
  ringStamp,
  stampPoints,
} from '../../../renderer/src/features/dataset/map/pixel-stamp';

function coverageSum(stamp: { coverage: Uint8Array }): number {
  return stamp.coverage.reduce((sum, c) => sum + c, 0) / 255;
}

describe('dataset map pixel stamps', () => {
  it('covers about the area of the disc or ring', () => {
    expect(coverageSum(discStamp(5))).toBeCloseTo(Math.PI * 25, -0.5);
    expect(coverageSum(ringStamp(6, 2))).toBeCloseTo(Math.PI * (36 - 16), -0.5);
    // A ring has no coverage at its centre; a disc is solid there.
    const ring = ringStamp(6, 2);
    expect([...ring.dx].some((x, i) => x === 0 && ring.dy[i] === 0)).toBe(false);
    const disc = discStamp(6);
    const centre = [...disc.dx].findIndex((x, i) => x === 0 && disc.dy[i] === 0);
    expect(disc.coverage[centre]).toBe(255);
  });

  it('stamps points at their device position in their colour, skipping those off the frame', () => {
    const frame = { data: new Uint8ClampedArray(20 * 10 * 4), width: 20, height: 10 };
    const xs = [0.25, 0.75, 5];
    const ys = [0.25, 0.25, 5]; // at (5, 5), (15, 5) and far off the frame
    stampPoints(frame, xs, ys, [0, 2], 20, 0, 0, discStamp(2), [10, 20, 30]);
    const at = (x: number, y: number) => [...frame.data.slice((y * 20 + x) * 4, (y * 20 + x) * 4 + 4)];
    expect(at(5, 5)).toEqual([10, 20, 30, 255]);
    expect(at(6, 5)).toEqual([10, 20, 30, 255]); // well within the radius of 2
    expect(at(8, 5)).toEqual([0, 0, 0, 0]); // beyond it
    expect(at(15, 5)).toEqual([0, 0, 0, 0]); // point 1 was not asked for
    // Painting over keeps the newest colour where fully covered.
    stampPoints(frame, xs, ys, [0], 20, 0, 0, discStamp(2), [200, 0, 0]);
    expect(at(5, 5)).toEqual([200, 0, 0, 255]);
  });

  it('blends a partly covered edge pixel over what is below', () => {
    const frame = { data: new Uint8ClampedArray(4 * 4 * 4), width: 4, height: 4 };
    const fullStamp = { dx: Int16Array.of(0), dy: Int16Array.of(0), coverage: Uint8Array.of(255) };
    const halfStamp = { dx: Int16Array.of(0), dy: Int16Array.of(0), coverage: Uint8Array.of(128) };
    stampPoints(frame, [1], [1], [0], 1, 0, 0, fullStamp, [0, 0, 255]);
    stampPoints(frame, [1], [1], [0], 1, 0, 0, halfStamp, [255, 0, 0]);
    const [r, g, b, a] = frame.data.slice(20, 24);
    expect(a).toBe(255);
    expect(r).toBeGreaterThan(120);
    expect(b).toBeGreaterThan(120);
    expect(g).toBe(0);
  });

  it('reads hex and rgb() colours', () => {
    expect(parseColor('#3559e0')).toEqual([0x35, 0x59, 0xe0]);
    expect(parseColor('#fff')).toEqual([255, 255, 255]);
    expect(parseColor('rgb(1, 2, 3)')).toEqual([1, 2, 3]);
    expect(parseColor('rgb(53 89 224 / 12%)')).toEqual([53, 89, 224]);
    expect(parseColor('nonsense')).toEqual([128, 128, 128]);
  });
});
