/**
 * Pure helpers of "Look inside": decoding a TileAtlas (base64 uint8, gray or RGB) into RGBA pixels, where each
 * tile sits, and cutting one tile out. No React, no DOM: unit-tested in test/unit/renderer/inside-atlas.test.ts.
 */
import type { TileAtlas } from '../../../../app/domain/inspect';

/** The bytes of a base64 string. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The number of rows of tiles. */
export function atlasRows(atlas: Pick<TileAtlas, 'tiles' | 'columns'>): number {
  return atlas.columns > 0 ? Math.ceil(atlas.tiles / atlas.columns) : 0;
}

/** Where tile k sits in the atlas (1-pixel gaps between tiles). */
export function tileRect(
  atlas: Pick<TileAtlas, 'columns' | 'tileWidth' | 'tileHeight'>,
  k: number,
): { x: number; y: number; width: number; height: number } {
  const column = k % atlas.columns;
  const row = Math.floor(k / atlas.columns);
  return {
    x: column * (atlas.tileWidth + 1),
    y: row * (atlas.tileHeight + 1),
    width: atlas.tileWidth,
    height: atlas.tileHeight,
  };
}

/**
 * RGBA pixels of an atlas: gray values repeated into r, g, b; RGB atlases copied. Gaps and the space after the
 * last tile are left transparent (alpha 0) so the page background shows between tiles. A short `data` is read as
 * zeros rather than failing.
 */
export function atlasPixels(atlas: TileAtlas, bytes: Uint8Array = base64ToBytes(atlas.data)) {
  const { width, height, channels } = atlas;
  const out = new Uint8ClampedArray(width * height * 4);
  for (let k = 0; k < atlas.tiles; k++) {
    const r = tileRect(atlas, k);
    for (let y = r.y; y < r.y + r.height && y < height; y++) {
      for (let x = r.x; x < r.x + r.width && x < width; x++) {
        const p = y * width + x;
        const o = p * 4;
        if (channels === 3) {
          out[o] = bytes[p * 3] ?? 0;
          out[o + 1] = bytes[p * 3 + 1] ?? 0;
          out[o + 2] = bytes[p * 3 + 2] ?? 0;
        } else {
          const v = bytes[p] ?? 0;
          out[o] = v;
          out[o + 1] = v;
          out[o + 2] = v;
        }
        out[o + 3] = 255;
      }
    }
  }
  return out;
}

/** Tile k of an atlas as tileHeight×tileWidth×channels bytes (interleaved when RGB), for pixel-level logic. */
export function tileBytes(atlas: TileAtlas, bytes: Uint8Array, k: number): Uint8Array {
  const c = atlas.channels;
  const r = tileRect(atlas, k);
  const out = new Uint8Array(r.width * r.height * c);
  for (let y = 0; y < r.height; y++) {
    const from = ((r.y + y) * atlas.width + r.x) * c;
    out.set(bytes.subarray(from, from + r.width * c), y * r.width * c);
  }
  return out;
}

/** Gray (channels 1) or interleaved RGB (3) bytes as opaque RGBA. */
export function toRgba(bytes: Uint8Array, channels: 1 | 3): Uint8ClampedArray<ArrayBuffer> {
  const n = Math.floor(bytes.length / channels);
  const rgba = new Uint8ClampedArray(new ArrayBuffer(n * 4));
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    rgba[o] = bytes[i * channels];
    rgba[o + 1] = bytes[i * channels + (channels === 3 ? 1 : 0)];
    rgba[o + 2] = bytes[i * channels + (channels === 3 ? 2 : 0)];
    rgba[o + 3] = 255;
  }
  return rgba;
}

/** Gray values of tile bytes (the mean of R, G, B for a colour tile). */
export function grayOf(bytes: Uint8Array, channels: 1 | 3): Uint8Array {
  if (channels === 1) return bytes;
  const out = new Uint8Array(bytes.length / 3);
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round((bytes[i * 3] + bytes[i * 3 + 1] + bytes[i * 3 + 2]) / 3);
  return out;
}

/** RGBA pixels of one tile of an atlas (tileWidth × tileHeight). */
export function tilePixels(atlas: TileAtlas, k: number, bytes: Uint8Array = base64ToBytes(atlas.data)) {
  return toRgba(tileBytes(atlas, bytes, k), atlas.channels);
}

/** The tile under a point of the atlas (atlas pixel coordinates), or null on a gap or past the last tile. */
export function tileAt(
  atlas: Pick<TileAtlas, 'tiles' | 'columns' | 'tileWidth' | 'tileHeight'>,
  x: number,
  y: number,
): number | null {
  if (x < 0 || y < 0) return null;
  const column = Math.floor(x / (atlas.tileWidth + 1));
  const row = Math.floor(y / (atlas.tileHeight + 1));
  if (column >= atlas.columns) return null;
  if (x - column * (atlas.tileWidth + 1) >= atlas.tileWidth) return null;
  if (y - row * (atlas.tileHeight + 1) >= atlas.tileHeight) return null;
  const k = row * atlas.columns + column;
  return k < atlas.tiles ? k : null;
}

/** CSS pixels per atlas pixel so the drawing is about `target` CSS pixels on its longer side (at least 1, whole). */
export function fitScale(width: number, height: number, target: number): number {
  const longest = Math.max(width, height, 1);
  return Math.max(1, Math.floor(target / longest));
}
