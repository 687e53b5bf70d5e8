/**
 * TileAtlas bytes (app/domain/inspect.ts) as pixels: one tile cut out of an atlas, and gray/RGB to RGBA. Pure.
 * (HB's inside view may have its own; the lead merges duplicates.)
 */
import type { TileAtlas } from '../../../../../app/domain/inspect';

/** Decodes base64 to bytes. */
export function decodeAtlas(atlas: TileAtlas): Uint8Array {
  const binary = atob(atlas.data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Tile k of an atlas as tileHeight×tileWidth×channels bytes (interleaved when RGB). */
export function atlasTile(atlas: TileAtlas, bytes: Uint8Array, k: number): Uint8Array {
  const c = atlas.channels;
  const x0 = (k % atlas.columns) * (atlas.tileWidth + 1);
  const y0 = Math.floor(k / atlas.columns) * (atlas.tileHeight + 1);
  const out = new Uint8Array(atlas.tileWidth * atlas.tileHeight * c);
  for (let y = 0; y < atlas.tileHeight; y++) {
    const from = ((y0 + y) * atlas.width + x0) * c;
    out.set(bytes.subarray(from, from + atlas.tileWidth * c), y * atlas.tileWidth * c);
  }
  return out;
}

/** Gray (channels 1) or interleaved RGB (3) to opaque RGBA. */
export function toRgba(bytes: Uint8Array, channels: 1 | 3): Uint8ClampedArray<ArrayBuffer> {
  const n = bytes.length / channels;
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

/** Gray values of a tile (the mean of R, G, B for a colour tile), for the pooling walk. */
export function grayOf(bytes: Uint8Array, channels: 1 | 3): Uint8Array {
  if (channels === 1) return bytes;
  const out = new Uint8Array(bytes.length / 3);
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round((bytes[i * 3] + bytes[i * 3 + 1] + bytes[i * 3 + 2]) / 3);
  return out;
}
