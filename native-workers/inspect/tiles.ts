/**
 * Tile atlases (app/domain/inspect.ts TileAtlas): many small float images (feature maps, filters) packed into one
 * uint8 grid, so that a layer's maps cross the thread and IPC boundaries as a few kilobytes of base64 instead of
 * one float array per map. Pure functions, no Node or DOM APIs (the base64 coder is our own).
 *
 * Scaling: each tile on its own, min → 0 and max → 255 (value v ↦ round(255·(v − min)/(max − min))); a constant
 * tile (max = min, e.g. a ReLU map that is zero everywhere) is all 0. `ranges[k]` keeps [min, max] so that the
 * page can say what the grays mean and a value can be recovered to within (max − min)/510.
 */
import type { TileAtlas } from '../../app/domain/inspect';

export interface AtlasOptions {
  /** 3: each tile is [3, h, w] (planar RGB in `data`), drawn in colour; default 1. */
  channels?: 1 | 3;
  /** Tiles per row; default ⌈√tiles⌉. */
  columns?: number;
  /** One fixed [min, max] for every tile instead of each tile's own (e.g. [0, 1] for the network input). */
  range?: [number, number];
}

/**
 * Packs `tiles` images of h×w (planar: tile k is data[k·c·h·w, (k+1)·c·h·w), c = options.channels) into an atlas:
 * tile k at column k % columns, row ⌊k / columns⌋, with a 1-pixel gap (0) between tiles.
 */
export function tileAtlas(
  data: ArrayLike<number>,
  tiles: number,
  tileHeight: number,
  tileWidth: number,
  options: AtlasOptions = {},
): TileAtlas {
  const channels = options.channels ?? 1;
  const plane = tileHeight * tileWidth;
  const size = channels * plane;
  if (data.length < tiles * size)
    throw new Error(
      `tileAtlas: ${data.length} values for ${tiles} tiles of ${channels}×${tileHeight}×${tileWidth}`,
    );
  const columns = Math.max(1, Math.min(tiles, options.columns ?? Math.ceil(Math.sqrt(tiles))));
  const rows = Math.max(1, Math.ceil(tiles / columns));
  const width = tiles === 0 ? 0 : columns * (tileWidth + 1) - 1;
  const height = tiles === 0 ? 0 : rows * (tileHeight + 1) - 1;
  const out = new Uint8Array(width * height * channels);
  const ranges: [number, number][] = [];
  for (let k = 0; k < tiles; k++) {
    const base = k * size;
    let min = Infinity;
    let max = -Infinity;
    if (options.range) [min, max] = options.range;
    else
      for (let i = base; i < base + size; i++) {
        const v = data[i];
        if (v < min) min = v;
        if (v > max) max = v;
      }
    if (!Number.isFinite(min) || !Number.isFinite(max)) {
      min = 0;
      max = 0;
    }
    ranges.push([min, max]);
    const scale = max > min ? 255 / (max - min) : 0;
    const x0 = (k % columns) * (tileWidth + 1);
    const y0 = Math.floor(k / columns) * (tileHeight + 1);
    for (let y = 0; y < tileHeight; y++)
      for (let x = 0; x < tileWidth; x++) {
        const at = ((y0 + y) * width + x0 + x) * channels;
        for (let c = 0; c < channels; c++) {
          const v = data[base + c * plane + y * tileWidth + x];
          out[at + c] =
            scale === 0 || !Number.isFinite(v)
              ? 0
              : Math.max(0, Math.min(255, Math.round((v - min) * scale)));
        }
      }
  }
  return {
    tiles,
    columns,
    tileWidth,
    tileHeight,
    width,
    height,
    data: encodeBase64(out),
    channels,
    ranges,
  };
}

/**
 * Tile k of an atlas back as floats ([channels, h, w] planar), from its uint8 values and range: the inverse of
 * the scaling to within (max − min)/510 (the page and the CLI's PNGs use the uint8 values directly).
 */
export function atlasTile(atlas: TileAtlas, k: number): Float32Array {
  const bytes = decodeBase64(atlas.data);
  const { tileWidth: w, tileHeight: h, channels, width, columns } = atlas;
  const [min, max] = atlas.ranges[k];
  const out = new Float32Array(channels * h * w);
  const x0 = (k % columns) * (w + 1);
  const y0 = Math.floor(k / columns) * (h + 1);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < channels; c++)
        out[c * h * w + y * w + x] =
          min + (bytes[((y0 + y) * width + x0 + x) * channels + c] / 255) * (max - min);
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** Standard base64 (with padding). */
export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    let s = '';
    for (let i = start; i < end; i += 3) {
      const a = bytes[i];
      const b = i + 1 < end ? bytes[i + 1] : 0;
      const c = i + 2 < end ? bytes[i + 2] : 0;
      const n = (a << 16) | (b << 8) | c;
      s += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
      s += i + 1 < end ? ALPHABET[(n >> 6) & 63] : '=';
      s += i + 2 < end ? ALPHABET[n & 63] : '=';
    }
    parts.push(s);
  }
  return parts.join('');
}

/** Decodes standard base64 (padding optional). */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const v = code < 128 ? LOOKUP[code] : -1;
    if (v < 0) throw new Error(`not base64 at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out.subarray(0, o);
}
