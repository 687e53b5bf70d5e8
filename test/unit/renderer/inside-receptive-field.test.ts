import { describe, expect, it } from 'vitest';
import type { LayerGeometry } from '../../../app/domain/model-description';
import {
  receptiveFields,
  regionOf,
  type GeometryLayer,
} from '../../../renderer/src/features/inside/receptive-field';

function slide(window: number, stride: number, pad: number): LayerGeometry {
  return {
    window: [window, window],
    stride: [stride, stride],
    padding: { mode: pad > 0 ? 'same' : 'valid', top: pad, bottom: pad, left: pad, right: pad },
  };
}

const conv = (k: number, s: number, p: number): GeometryLayer => ({
  type: 'conv2d',
  geometry: slide(k, s, p),
});
const pool = (k: number, s: number): GeometryLayer => ({ type: 'maxPool2d', geometry: slide(k, s, 0) });
const relu: GeometryLayer = { type: 'relu' };

/** Brute force: the input rows output row y of layer `last` reads, walking the layers back one at a time. */
function rowsSeen(layers: GeometryLayer[], last: number, y: number): [number, number] {
  let lo = y;
  let hi = y;
  for (let i = last; i >= 0; i--) {
    const g = layers[i].geometry;
    if (!g) continue;
    const [k] = g.window;
    const [s] = g.stride;
    const p = g.padding.top;
    lo = lo * s - p;
    hi = hi * s - p + k - 1;
  }
  return [lo, hi];
}

describe('receptive fields', () => {
  const layers = [conv(3, 1, 1), relu, pool(2, 2), conv(3, 1, 1), relu, pool(2, 2), conv(5, 2, 2)];

  it('grows by (k−1)·jump, multiplies the jump by the stride and moves the start by the padding', () => {
    const fields = receptiveFields(layers);
    expect(fields.map((f) => f.size[0])).toEqual([3, 3, 4, 8, 8, 10, 26]);
    expect(fields.map((f) => f.jump[0])).toEqual([1, 1, 2, 2, 2, 4, 8]);
    expect(fields.map((f) => f.start[0])).toEqual([-1, -1, -1, -3, -3, -3, -11]);
    expect(fields.every((f) => !f.whole)).toBe(true);
  });

  it('equals walking the layers back pixel by pixel, for every layer and position', () => {
    const fields = receptiveFields(layers);
    for (let layer = 0; layer < layers.length; layer++) {
      for (let y = 0; y < 6; y++) {
        const [lo, hi] = rowsSeen(layers, layer, y);
        const rf = fields[layer];
        expect(rf.start[0] + y * rf.jump[0], `layer ${layer} y ${y}`).toBe(lo);
        expect(rf.start[0] + y * rf.jump[0] + rf.size[0] - 1, `layer ${layer} y ${y}`).toBe(hi);
      }
    }
  });

  it('clips the region to the image', () => {
    const [first] = receptiveFields([conv(3, 1, 1)]);
    expect(regionOf(first, 0, 0, 28, 28)).toEqual({ x: 0, y: 0, width: 2, height: 2 });
    expect(regionOf(first, 5, 9, 28, 28)).toEqual({ x: 8, y: 4, width: 3, height: 3 });
    expect(regionOf(first, 27, 27, 28, 28)).toEqual({ x: 26, y: 26, width: 2, height: 2 });
  });

  it('keeps different vertical and horizontal geometry apart', () => {
    const rect: GeometryLayer = {
      type: 'conv2d',
      geometry: {
        window: [3, 5],
        stride: [1, 2],
        padding: { mode: 'explicit', top: 1, bottom: 1, left: 2, right: 2 },
      },
    };
    const [rf] = receptiveFields([rect]);
    expect(rf).toEqual({ jump: [1, 2], size: [3, 5], start: [-1, -2], whole: false });
    expect(regionOf(rf, 3, 4, 20, 20)).toEqual({ x: 6, y: 2, width: 5, height: 3 });
  });

  it('sees the whole image after global pooling, flatten or dense, and from then on', () => {
    const fields = receptiveFields([conv(3, 1, 1), { type: 'globalAvgPool' }, { type: 'dense' }]);
    expect(fields.map((f) => f.whole)).toEqual([false, true, true]);
    expect(regionOf(fields[1], 0, 0, 28, 32)).toEqual({ x: 0, y: 0, width: 32, height: 28 });
  });
});
