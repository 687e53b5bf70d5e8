import { describe, expect, it } from 'vitest';
import type { TileAtlas } from '../../../app/domain/inspect';
import {
  atlasPixels,
  atlasRows,
  base64ToBytes,
  fitScale,
  tileAt,
  tilePixels,
  tileRect,
} from '../../../renderer/src/features/inside/atlas';

function atlasOf(bytes: number[], fields: Omit<TileAtlas, 'data' | 'ranges'>): TileAtlas {
  return {
    ...fields,
    data: Buffer.from(bytes).toString('base64'),
    ranges: Array.from({ length: fields.tiles }, () => [0, 1] as [number, number]),
  };
}

/** Three 2×2 gray tiles in 2 columns: width 2·3−1 = 5, height 2·3−1 = 5; tile k has the value 10·(k+1). */
function grayAtlas(): TileAtlas {
  const width = 5;
  const height = 5;
  const bytes = new Array<number>(width * height).fill(0);
  for (let k = 0; k < 3; k++) {
    const x0 = (k % 2) * 3;
    const y0 = Math.floor(k / 2) * 3;
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < 2; x++) bytes[(y0 + y) * width + x0 + x] = 10 * (k + 1) + y * 2 + x;
  }
  return atlasOf(bytes, { tiles: 3, columns: 2, tileWidth: 2, tileHeight: 2, width, height, channels: 1 });
}

describe('tile atlas', () => {
  it('decodes base64 to bytes', () => {
    expect([...base64ToBytes(Buffer.from([0, 1, 254, 255]).toString('base64'))]).toEqual([0, 1, 254, 255]);
    expect(base64ToBytes('')).toHaveLength(0);
  });

  it('places tiles by column and row with a 1-pixel gap', () => {
    const atlas = grayAtlas();
    expect(atlasRows(atlas)).toBe(2);
    expect(tileRect(atlas, 0)).toEqual({ x: 0, y: 0, width: 2, height: 2 });
    expect(tileRect(atlas, 1)).toEqual({ x: 3, y: 0, width: 2, height: 2 });
    expect(tileRect(atlas, 2)).toEqual({ x: 0, y: 3, width: 2, height: 2 });
  });

  it('turns gray values into opaque RGBA and leaves the gaps transparent', () => {
    const atlas = grayAtlas();
    const px = atlasPixels(atlas);
    expect(px).toHaveLength(5 * 5 * 4);
    const at = (x: number, y: number) => [...px.subarray((y * 5 + x) * 4, (y * 5 + x) * 4 + 4)];
    expect(at(0, 0)).toEqual([10, 10, 10, 255]);
    expect(at(1, 1)).toEqual([13, 13, 13, 255]);
    expect(at(3, 0)).toEqual([20, 20, 20, 255]);
    expect(at(1, 3)).toEqual([31, 31, 31, 255]);
    expect(at(2, 0)).toEqual([0, 0, 0, 0]); // the gap between columns
    expect(at(0, 2)).toEqual([0, 0, 0, 0]); // the gap between rows
    expect(at(4, 4)).toEqual([0, 0, 0, 0]); // past the last tile
  });

  it('cuts one tile out', () => {
    const px = tilePixels(grayAtlas(), 1);
    expect([...px]).toEqual([20, 20, 20, 255, 21, 21, 21, 255, 22, 22, 22, 255, 23, 23, 23, 255]);
  });

  it('copies interleaved RGB atlases', () => {
    const atlas = atlasOf([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 8, 7], {
      tiles: 1,
      columns: 1,
      tileWidth: 2,
      tileHeight: 2,
      width: 2,
      height: 2,
      channels: 3,
    });
    expect([...atlasPixels(atlas)]).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 9, 8, 7, 255]);
    expect([...tilePixels(atlas, 0)]).toEqual([...atlasPixels(atlas)]);
  });

  it('reads a short data string as zeros instead of failing', () => {
    const atlas = { ...grayAtlas(), data: Buffer.from([5]).toString('base64') };
    const px = atlasPixels(atlas);
    expect([...px.subarray(0, 8)]).toEqual([5, 5, 5, 255, 0, 0, 0, 255]);
  });

  it('finds the tile under a point, none on a gap', () => {
    const atlas = grayAtlas();
    expect(tileAt(atlas, 0, 0)).toBe(0);
    expect(tileAt(atlas, 4, 1)).toBe(1);
    expect(tileAt(atlas, 1, 4)).toBe(2);
    expect(tileAt(atlas, 2, 0)).toBeNull();
    expect(tileAt(atlas, 0, 2)).toBeNull();
    expect(tileAt(atlas, 3, 3)).toBeNull(); // where a 4th tile would be
    expect(tileAt(atlas, -1, 0)).toBeNull();
  });

  it('scales a drawing to about a target size, whole and at least 1', () => {
    expect(fitScale(28, 28, 224)).toBe(8);
    expect(fitScale(3, 3, 36)).toBe(12);
    expect(fitScale(500, 20, 224)).toBe(1);
    expect(fitScale(0, 0, 10)).toBe(10);
  });
});
