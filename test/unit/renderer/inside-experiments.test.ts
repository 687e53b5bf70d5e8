import { describe, expect, it } from 'vitest';
import type { LayerGeometry } from '../../../app/domain/model-description';
import type { Inspection, TileAtlas } from '../../../app/domain/inspect';
import { grayOf, tileBytes, toRgba } from '../../../renderer/src/features/inside/atlas';
import {
  CLASSIC_KERNELS,
  formatKernelCell,
  matchKernel,
  parseKernel,
  parseKernelCell,
} from '../../../renderer/src/features/inside/experiments/kernels';
import {
  layerInputAtlas,
  liveliestTile,
  shapeText,
} from '../../../renderer/src/features/inside/experiments/layer-input';
import { poolingWalk } from '../../../renderer/src/features/inside/experiments/pooling-walk';
import {
  defaultShift,
  shiftOffsets,
  stableRange,
} from '../../../renderer/src/features/inside/experiments/shift-offsets';
import {
  outputSize,
  paddedCells,
  windowArithmetic,
  windowAt,
  windowPositions,
} from '../../../renderer/src/features/inside/experiments/window-geometry';

const geometry = (k: number, s: number, pad: number): LayerGeometry => ({
  window: [k, k],
  stride: [s, s],
  padding: { mode: pad ? 'explicit' : 'valid', top: pad, bottom: pad, left: pad, right: pad },
});

describe('stride and padding arithmetic', () => {
  it('out = ⌊(in + pads − k) / s⌋ + 1', () => {
    expect(outputSize(28, 1, 1, 3, 1)).toBe(28); // 'same' 3×3
    expect(outputSize(28, 0, 0, 3, 1)).toBe(26); // 'valid'
    expect(outputSize(28, 0, 0, 2, 2)).toBe(14); // 2×2 pool
    expect(outputSize(7, 0, 0, 3, 2)).toBe(3);
    expect(outputSize(6, 0, 1, 3, 2)).toBe(3); // 'same' with stride 2: the odd pad goes below/right
    expect(outputSize(27, 0, 0, 2, 2)).toBe(13); // floor drops the last row
    expect(outputSize(2, 0, 0, 3, 1)).toBe(0); // does not fit
  });

  it('both axes from a layer geometry, non-square', () => {
    const g: LayerGeometry = {
      window: [3, 5],
      stride: [1, 2],
      padding: { mode: 'explicit', top: 1, bottom: 1, left: 2, right: 2 },
    };
    const { rows, cols } = windowArithmetic(g, 10, 12);
    expect(rows.output).toBe(10);
    expect(cols.output).toBe(6);
  });

  it('window positions walk row-major with the stride, starting in the padding', () => {
    const { rows, cols } = windowArithmetic(geometry(3, 2, 1), 6, 6);
    expect(rows.output).toBe(3);
    const all = windowPositions(rows, cols);
    expect(all).toHaveLength(9);
    expect(all[0]).toEqual({ row: 0, col: 0, top: -1, left: -1 });
    expect(all[1]).toEqual({ row: 0, col: 1, top: -1, left: 1 });
    expect(all[3]).toEqual({ row: 1, col: 0, top: 1, left: -1 });
    expect(all[8]).toEqual({ row: 2, col: 2, top: 3, left: 3 });
    // the last window stays inside the padded input
    expect(all[8].top + rows.window).toBeLessThanOrEqual(rows.input + rows.padAfter);
    expect(windowAt(9, rows, cols)).toEqual(all[0]); // wraps
    expect(windowAt(-1, rows, cols)).toEqual(all[8]);
    expect(paddedCells(all[0], rows, cols)).toBe(5); // corner: 3 + 3 − 1
    expect(paddedCells(all[4], rows, cols)).toBe(0);
  });
});

describe('pooling walk', () => {
  it('keeps the max of each 2×2 window, first maximum on ties', () => {
    // 4×4 map
    const values = [1, 3, 2, 2, 4, 0, 2, 2, 0, 0, 9, 1, 5, 0, 1, 8];
    const steps = poolingWalk(values, 4, 4, [2, 2], [2, 2]);
    expect(steps.map((s) => s.value)).toEqual([4, 2, 5, 9]);
    expect(steps.map((s) => [s.maxY, s.maxX])).toEqual([
      [1, 0],
      [0, 2],
      [3, 0],
      [2, 2],
    ]);
    expect(steps[3]).toMatchObject({ row: 1, col: 1, top: 2, left: 2 });
  });

  it('odd sizes drop the last row and column; overlapping stride 1', () => {
    expect(poolingWalk(new Array(25).fill(0), 5, 5, [2, 2], [2, 2])).toHaveLength(4);
    const steps = poolingWalk([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 3, [2, 2], [1, 1]);
    expect(steps.map((s) => s.value)).toEqual([5, 6, 8, 9]);
  });
});

describe('shift offsets', () => {
  it('−k…k along one axis, clamped to the 41 the channel takes', () => {
    expect(shiftOffsets(2)).toEqual([
      { dx: -2, dy: 0 },
      { dx: -1, dy: 0 },
      { dx: 0, dy: 0 },
      { dx: 1, dy: 0 },
      { dx: 2, dy: 0 },
    ]);
    expect(shiftOffsets(1, 'vertical').map((o) => o.dy)).toEqual([-1, 0, 1]);
    expect(shiftOffsets(99)).toHaveLength(41);
    expect(shiftOffsets(-3)).toEqual([{ dx: 0, dy: 0 }]);
    expect(defaultShift(28)).toBe(5);
    expect(defaultShift(128)).toBe(20);
    expect(defaultShift(6)).toBe(2);
  });

  it('the range of shifts around 0 where the top class holds', () => {
    const points = [-3, -2, -1, 0, 1, 2, 3].map((shift) => ({
      shift,
      top: Math.abs(shift) <= 1 || shift === 3 ? 'cat' : 'dog',
    }));
    expect(stableRange(points, 'cat')).toEqual([-1, 1]);
    expect(stableRange(points, 'dog')).toBeNull();
    expect(stableRange([{ shift: 0, top: 'cat' }], 'cat')).toEqual([0, 0]);
  });
});

describe('playground kernels', () => {
  it('the article’s Laplacian and the others sum as expected', () => {
    expect(CLASSIC_KERNELS.laplacian).toEqual([0, 1, 0, 1, -4, 1, 0, 1, 0]);
    const sum = (k: readonly number[]) => k.reduce((a, b) => a + b, 0);
    expect(sum(CLASSIC_KERNELS.laplacian)).toBe(0);
    expect(sum(CLASSIC_KERNELS.sobelX)).toBe(0);
    expect(sum(CLASSIC_KERNELS.blur)).toBeCloseTo(1);
    expect(sum(CLASSIC_KERNELS.sharpen)).toBe(1);
  });

  it('parses typed cells (fractions, the minus sign) and rejects the rest', () => {
    expect(parseKernelCell(' -4 ')).toBe(-4);
    expect(parseKernelCell('−1')).toBe(-1);
    expect(parseKernelCell('1/9')).toBeCloseTo(1 / 9);
    expect(parseKernelCell('0.5')).toBe(0.5);
    expect(parseKernelCell('')).toBeNull();
    expect(parseKernelCell('abc')).toBeNull();
    expect(parseKernelCell('101')).toBeNull();
    expect(parseKernel(['1', '2'])).toBeNull();
    expect(parseKernel(CLASSIC_KERNELS.blur.map(formatKernelCell))).toEqual(
      CLASSIC_KERNELS.blur.map(() => 1 / 9),
    );
    expect(formatKernelCell(-4)).toBe('-4');
    expect(formatKernelCell(1 / 9)).toBe('1/9');
    expect(matchKernel([0, 1, 0, 1, -4, 1, 0, 1, 0])).toBe('laplacian');
    expect(matchKernel([0, 0, 0, 0, 1, 0, 0, 0, 0])).toBeNull();
  });
});

describe('atlas pixels', () => {
  it('cuts a tile out of a 2-column atlas with its 1-pixel gap', () => {
    // two 2×2 tiles side by side: width 5, height 2
    const atlas: TileAtlas = {
      tiles: 2,
      columns: 2,
      tileWidth: 2,
      tileHeight: 2,
      width: 5,
      height: 2,
      data: '',
      channels: 1,
      ranges: [
        [0, 1],
        [0, 1],
      ],
    };
    const bytes = Uint8Array.from([1, 2, 0, 5, 6, 3, 4, 0, 7, 8]);
    expect([...tileBytes(atlas, bytes, 0)]).toEqual([1, 2, 3, 4]);
    expect([...tileBytes(atlas, bytes, 1)]).toEqual([5, 6, 7, 8]);
    expect([...toRgba(Uint8Array.from([9]), 1)]).toEqual([9, 9, 9, 255]);
    expect([...toRgba(Uint8Array.from([1, 2, 3]), 3)]).toEqual([1, 2, 3, 255]);
    expect([...grayOf(Uint8Array.from([3, 6, 9]), 3)]).toEqual([6]);
  });
});

describe('layer inputs', () => {
  it('the first layer reads the network input, the others the previous maps; the liveliest tile is the widest range', () => {
    const tile = (ranges: [number, number][]) => ({ ranges }) as TileAtlas;
    const input = tile([[0, 1]]);
    const maps = tile([
      [0, 0],
      [0, 3],
      [-1, 1],
    ]);
    const inspection = {
      input,
      layers: [{ layerIndex: 0, type: 'conv2d', shape: [3, 4, 4], maps, values: null }],
    } as unknown as Inspection;
    expect(layerInputAtlas(inspection, 0)).toBe(input);
    expect(layerInputAtlas(inspection, 1)).toBe(maps);
    expect(layerInputAtlas(inspection, 5)).toBeNull();
    expect(liveliestTile(maps)).toBe(1);
    expect(liveliestTile(tile([[0, 0]]))).toBe(0);
    expect(shapeText([16, 28, 28])).toBe('16×28×28');
  });
});
