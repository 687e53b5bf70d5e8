/**
 * Software point drawing for the map: each point is a small precomputed anti-aliased shape (a "stamp": pixel
 * offsets with coverage) written straight into an RGBA pixel buffer. Chromium's 2D canvas rasterises 60,000 arcs
 * in hundreds of milliseconds without a GPU; stamping them costs a few milliseconds, whatever the GPU.
 */
export interface Stamp {
  dx: Int16Array;
  dy: Int16Array;
  /** Coverage 1..255 per pixel. */
  coverage: Uint8Array;
}

const SUBSAMPLES = 4;

/** Pixels whose centres lie within `outer` and beyond `inner` of the origin (4×4 supersampled coverage). */
function annulus(outer: number, inner: number): Stamp {
  const reach = Math.ceil(outer);
  const dx: number[] = [];
  const dy: number[] = [];
  const coverage: number[] = [];
  const step = 1 / SUBSAMPLES;
  for (let y = -reach; y <= reach; y++) {
    for (let x = -reach; x <= reach; x++) {
      let hits = 0;
      for (let sy = 0; sy < SUBSAMPLES; sy++) {
        for (let sx = 0; sx < SUBSAMPLES; sx++) {
          const px = x - 0.5 + (sx + 0.5) * step;
          const py = y - 0.5 + (sy + 0.5) * step;
          const d = Math.hypot(px, py);
          if (d <= outer && d >= inner) hits++;
        }
      }
      if (hits === 0) continue;
      dx.push(x);
      dy.push(y);
      coverage.push(Math.round((hits / (SUBSAMPLES * SUBSAMPLES)) * 255));
    }
  }
  return { dx: Int16Array.from(dx), dy: Int16Array.from(dy), coverage: Uint8Array.from(coverage) };
}

const cache = new Map<string, Stamp>();

/** A filled disc of `radius` device pixels. */
export function discStamp(radius: number): Stamp {
  return ringStamp(radius, radius);
}

/** A ring of `radius` (outer edge) and `width` device pixels (cached: a frame reuses a handful of shapes). */
export function ringStamp(radius: number, width: number): Stamp {
  const r = Math.round(radius * 4) / 4;
  const w = Math.round(width * 4) / 4;
  const key = `${r}/${w}`;
  let stamp = cache.get(key);
  if (!stamp) {
    stamp = annulus(Math.max(0.5, r), Math.max(0, r - w));
    if (cache.size > 256) cache.clear();
    cache.set(key, stamp);
  }
  return stamp;
}

/** An RGBA frame being drawn: non-premultiplied bytes, as ImageData holds them. */
export interface PixelFrame {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * Draws `stamp` in colour (`r`, `g`, `b`) at every point of `indices`, where point i sits at
 * (xs[i] × scale + tx, ys[i] × scale + ty) device pixels; composited "over" what is there.
 */
export function stampPoints(
  frame: PixelFrame,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  indices: ArrayLike<number>,
  scale: number,
  tx: number,
  ty: number,
  stamp: Stamp,
  rgb: readonly [number, number, number],
): void {
  const { data, width, height } = frame;
  const { dx, dy, coverage } = stamp;
  const [r, g, b] = rgb;
  const n = dx.length;
  // Whole pixels at once where nothing needs blending (RGBA bytes read as a little-endian 32-bit word).
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
  const rgbWord = (b << 16) | (g << 8) | r;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const cx = Math.round(xs[i] * scale + tx);
    const cy = Math.round(ys[i] * scale + ty);
    if (cx < -32 || cy < -32 || cx >= width + 32 || cy >= height + 32) continue;
    for (let s = 0; s < n; s++) {
      const x = cx + dx[s];
      const y = cy + dy[s];
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const p = y * width + x;
      const o = p * 4;
      const c = coverage[s];
      if (c === 255 || data[o + 3] === 0) {
        words[p] = ((c << 24) | rgbWord) >>> 0;
        continue;
      }
      const a = c / 255;
      const below = (data[o + 3] / 255) * (1 - a);
      const out = a + below;
      data[o] = (r * a + data[o] * below) / out;
      data[o + 1] = (g * a + data[o + 1] * below) / out;
      data[o + 2] = (b * a + data[o + 2] * below) / out;
      data[o + 3] = out * 255;
    }
  }
}

/** `#rgb`, `#rrggbb` or `rgb(r, g, b)` / `rgba(…)` as [r, g, b]; grey when unreadable. */
export function parseColor(color: string): [number, number, number] {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    return [0, 2, 4].map((at) => parseInt(h.slice(at, at + 2), 16)) as [number, number, number];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(color.trim());
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return [128, 128, 128];
}
