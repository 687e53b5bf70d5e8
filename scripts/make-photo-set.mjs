// A photo-like image set from the Fashion-MNIST garments (Debian's dataset-fashion-mnist IDX files): each 28-px
// garment is colourised (random hue, saturation and value), textured (stripes, checks, dots or blotchy noise
// modulating its shading), scaled to 40–90 px and placed at a random position on a cluttered 96×96 background
// (a random two-colour gradient, random ellipses, rectangles, strokes and soft blobs, some of them textured, with
// the same random colours as the garments, so colour says nothing about the class), then lit unevenly, given
// sensor noise and saved as JPEG (quality 90) in class folders:
//   OUT/train/<class>/train-NNNNN.jpg   (from the IDX train split, balanced over the 10 classes)
//   OUT/test/<class>/t10k-NNNNN.jpg     (from the t10k split, balanced)
//   OUT/photo-set.json                  (what was asked for; written last, so its presence means "complete")
// NNNNN is the image's index in its IDX file. Deterministic: every image draws from its own generator seeded by
// (seed, split, index), so the same seed gives the same bytes (with the same libjpeg-turbo).
//
//   node scripts/make-photo-set.mjs --out DIR [--train 8000] [--test 2000] [--seed 1]
//       [--src /usr/share/datasets/fashion-mnist] [--montage FILE.png]
// --montage writes the first 10 training images (one per class), 3× enlarged, side by side, for a look.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { CLASS_NAMES } from './make-fashion-mnist-pngs.mjs';

export { CLASS_NAMES };

/** Side of every image. */
export const SIZE = 96;
const GARMENT_MIN = 40;
const GARMENT_MAX = 90;
const JPEG_QUALITY = 90;
/** Raw pixel work is synchronous; this many JPEG encodes run at once on sharp's thread pool. */
const ENCODE_LANES = 8;

function readIdx(file) {
  const buf = zlib.gunzipSync(fs.readFileSync(file));
  const dims = buf[3];
  const shape = [];
  for (let i = 0; i < dims; i++) shape.push(buf.readUInt32BE(4 + 4 * i));
  return { shape, data: buf.subarray(4 + 4 * dims) };
}

/** splitmix32: mixes a 32-bit state into a well-spread 32-bit value (seeds the per-image generators). */
function mix32(x) {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** mulberry32: a small, fast, seeded generator; uniform() in [0, 1). */
class Rng {
  constructor(seed) {
    this.s = seed >>> 0;
  }
  uniform() {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  range(lo, hi) {
    return lo + (hi - lo) * this.uniform();
  }
  int(n) {
    return Math.floor(this.uniform() * n);
  }
  normal() {
    const u = 1 - this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
}

function rngFor(seed, split, index) {
  return new Rng(mix32(mix32(mix32(seed) ^ (split === 'train' ? 0x7472 : 0x7465)) ^ index));
}

/** HSV (all in [0, 1]) to RGB in [0, 1]. */
function hsv(h, s, v) {
  const i = Math.floor(h * 6) % 6;
  const f = h * 6 - Math.floor(h * 6);
  const p = v * (1 - s);
  const q = v * (1 - f * s);
  const t = v * (1 - (1 - f) * s);
  return [[v, q, p, p, t, v][i], [t, v, v, q, p, p][i], [p, p, t, v, v, q][i]];
}

function randomColour(rng) {
  return hsv(rng.uniform(), rng.range(0.2, 1), rng.range(0.25, 1));
}

/**
 * A random texture: a function (x, y) → factor in [1 − amp, 1] that modulates shading. Garments and background
 * shapes draw from the same kinds, so a texture is no cue for the class either.
 */
function randomTexture(rng) {
  const kind = rng.int(5);
  const amp = rng.range(0.2, 0.55);
  const angle = rng.range(0, Math.PI);
  const ca = Math.cos(angle);
  const sa = Math.sin(angle);
  switch (kind) {
    case 0:
      return () => 1;
    case 1: {
      // stripes
      const period = rng.range(3, 12);
      const phase = rng.range(0, 2 * Math.PI);
      return (x, y) => 1 - amp * (0.5 + 0.5 * Math.sin(((x * ca + y * sa) * 2 * Math.PI) / period + phase));
    }
    case 2: {
      // checks (rotated)
      const cell = rng.range(3, 9);
      return (x, y) => {
        const u = Math.floor((x * ca + y * sa) / cell);
        const v = Math.floor((-x * sa + y * ca) / cell);
        return (u + v) & 1 ? 1 - amp : 1;
      };
    }
    case 3: {
      // dots
      const cell = rng.range(4, 10);
      const r2 = (cell * rng.range(0.2, 0.4)) ** 2;
      return (x, y) => {
        const u = x * ca + y * sa;
        const v = -x * sa + y * ca;
        const du = u - (Math.floor(u / cell) + 0.5) * cell;
        const dv = v - (Math.floor(v / cell) + 0.5) * cell;
        return du * du + dv * dv < r2 ? 1 - amp : 1;
      };
    }
    default: {
      // blotchy noise: a coarse random grid, bilinearly interpolated
      const cell = rng.range(3, 10);
      const g = 26;
      const grid = new Float32Array(g * g);
      for (let i = 0; i < grid.length; i++) grid[i] = rng.uniform();
      return (x, y) => {
        const gx = Math.min(g - 1.001, Math.max(0, x / cell));
        const gy = Math.min(g - 1.001, Math.max(0, y / cell));
        const x0 = Math.floor(gx);
        const y0 = Math.floor(gy);
        const fx = gx - x0;
        const fy = gy - y0;
        const a = grid[y0 * g + x0] * (1 - fx) + grid[y0 * g + x0 + 1] * fx;
        const b = grid[(y0 + 1) * g + x0] * (1 - fx) + grid[(y0 + 1) * g + x0 + 1] * fx;
        return 1 - amp * (a * (1 - fy) + b * fy);
      };
    }
  }
}

/** Blends colour c with alpha a into the float RGB image at pixel p. */
function blend(img, p, c, a) {
  img[p] += (c[0] - img[p]) * a;
  img[p + 1] += (c[1] - img[p + 1]) * a;
  img[p + 2] += (c[2] - img[p + 2]) * a;
}

/** A random two-colour linear gradient over the whole image. */
function paintGradient(img, rng) {
  const c0 = randomColour(rng);
  const c1 = randomColour(rng);
  const angle = rng.range(0, 2 * Math.PI);
  const ca = Math.cos(angle) / SIZE;
  const sa = Math.sin(angle) / SIZE;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + (x - SIZE / 2) * ca + (y - SIZE / 2) * sa));
      const p = 3 * (y * SIZE + x);
      for (let k = 0; k < 3; k++) img[p + k] = c0[k] + (c1[k] - c0[k]) * t;
    }
  }
}

/** One random clutter shape: an ellipse, a rotated rectangle, a thick stroke or a soft blob. */
function paintShape(img, rng, maxSize) {
  const kind = rng.int(4);
  const colour = randomColour(rng);
  const texture = rng.uniform() < 0.4 ? randomTexture(rng) : () => 1;
  const opacity = rng.range(0.5, 1);
  const cx = rng.range(-8, SIZE + 8);
  const cy = rng.range(-8, SIZE + 8);
  const rx = rng.range(3, maxSize / 2);
  const ry = rng.range(3, maxSize / 2);
  const angle = rng.range(0, Math.PI);
  const ca = Math.cos(angle);
  const sa = Math.sin(angle);
  const width = rng.range(1.5, 5);
  // alpha of (u, v), the pixel in the shape's rotated frame
  const alphaOf = [
    (u, v) => ((u / rx) ** 2 + (v / ry) ** 2 <= 1 ? 1 : 0),
    (u, v) => (Math.abs(u) <= rx && Math.abs(v) <= ry ? 1 : 0),
    (u, v) => (Math.abs(u) <= rx && Math.abs(v) <= width ? 1 : 0),
    (u, v) => Math.exp(-((u / rx) ** 2 + (v / ry) ** 2) * 2),
  ][kind];
  const reach = Math.max(rx, ry) * (kind === 3 ? 1.6 : 1) + 1;
  const x0 = Math.max(0, Math.floor(cx - reach));
  const x1 = Math.min(SIZE - 1, Math.ceil(cx + reach));
  const y0 = Math.max(0, Math.floor(cy - reach));
  const y1 = Math.min(SIZE - 1, Math.ceil(cy + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const a = alphaOf(dx * ca + dy * sa, -dx * sa + dy * ca);
      if (a <= 0.004) continue;
      const f = texture(x, y);
      blend(img, 3 * (y * SIZE + x), [colour[0] * f, colour[1] * f, colour[2] * f], a * opacity);
    }
  }
}

/** Bilinear sample of the 28×28 garment at (gx, gy) in its own pixel coordinates, 0 outside. */
function sampleGarment(garment, w, h, gx, gy) {
  const x0 = Math.floor(gx);
  const y0 = Math.floor(gy);
  const fx = gx - x0;
  const fy = gy - y0;
  const at = (x, y) => (x >= 0 && x < w && y >= 0 && y < h ? garment[y * w + x] : 0);
  const a = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const b = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return (a * (1 - fy) + b * fy) / 255;
}

/**
 * Paints the garment scaled to `side` px at (ox, oy): opaque where the original is not background, its own
 * shading (the original's intensity, stretched so dark garments keep their detail) times a colour and a texture.
 */
function paintGarment(img, rng, garment, w, h, side, ox, oy) {
  let max = 0;
  for (let i = 0; i < garment.length; i++) max = Math.max(max, garment[i]);
  const norm = max > 0 ? 255 / max : 1;
  const colour = hsv(rng.uniform(), rng.range(0.3, 1), rng.range(0.55, 1));
  const texture = randomTexture(rng);
  const shadeFloor = rng.range(0.25, 0.45);
  const scale = w / side;
  for (let y = 0; y < side; y++) {
    const py = oy + y;
    if (py < 0 || py >= SIZE) continue;
    for (let x = 0; x < side; x++) {
      const px = ox + x;
      if (px < 0 || px >= SIZE) continue;
      // pixel centres map onto the 28-px grid
      const g = sampleGarment(garment, w, h, (x + 0.5) * scale - 0.5, (y + 0.5) * scale - 0.5);
      const alpha = Math.min(1, g * 12); // opaque from about 21/255 up: the edge stays soft
      if (alpha <= 0) continue;
      const shade = (shadeFloor + (1 - shadeFloor) * Math.min(1, g * norm)) * texture(x, y);
      blend(img, 3 * (py * SIZE + px), [colour[0] * shade, colour[1] * shade, colour[2] * shade], alpha);
    }
  }
}

/** The whole photo-like image for one garment, as 96×96×3 uint8 RGB. */
export function renderImage(garment, w, h, rng) {
  const img = new Float32Array(SIZE * SIZE * 3);
  paintGradient(img, rng);
  const shapes = 4 + rng.int(8);
  for (let i = 0; i < shapes; i++) paintShape(img, rng, 70);
  const side = GARMENT_MIN + rng.int(GARMENT_MAX - GARMENT_MIN + 1);
  const ox = rng.int(SIZE - side + 1);
  const oy = rng.int(SIZE - side + 1);
  paintGarment(img, rng, garment, w, h, side, ox, oy);
  // now and then a small object in front of the garment
  if (rng.uniform() < 0.3) paintShape(img, rng, 20);
  // uneven lighting: a gentle multiplicative gradient, then sensor noise
  const angle = rng.range(0, 2 * Math.PI);
  const strength = rng.range(0, 0.35);
  const lx = (Math.cos(angle) * strength) / SIZE;
  const ly = (Math.sin(angle) * strength) / SIZE;
  const sigma = rng.range(2, 12) / 255;
  const out = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const light = 1 + (x - SIZE / 2) * lx + (y - SIZE / 2) * ly;
      const p = 3 * (y * SIZE + x);
      for (let k = 0; k < 3; k++) {
        const v = img[p + k] * light + rng.normal() * sigma;
        out[p + k] = Math.min(255, Math.max(0, Math.round(v * 255)));
      }
    }
  }
  return out;
}

/** `count` indices of the split, balanced over the classes (the first count % 10 classes get one more), seeded. */
function balancedIndices(labels, count, seed, split) {
  const byClass = CLASS_NAMES.map(() => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const rng = rngFor(seed, split, 0xffffffff);
  const chosen = [];
  byClass.forEach((indices, c) => {
    const want = Math.floor(count / CLASS_NAMES.length) + (c < count % CLASS_NAMES.length ? 1 : 0);
    if (want > indices.length)
      throw new Error(`${split}: class ${CLASS_NAMES[c]} has only ${indices.length} images`);
    // partial Fisher–Yates: the first `want` of a seeded shuffle
    for (let i = 0; i < want; i++) {
      const j = i + rng.int(indices.length - i);
      [indices[i], indices[j]] = [indices[j], indices[i]];
    }
    chosen.push(...indices.slice(0, want));
  });
  return chosen.sort((a, b) => a - b);
}

/** Writes one split; returns the files written, in index order. */
export async function makePhotoSplit(
  out,
  split,
  count,
  { seed = 1, src = '/usr/share/datasets/fashion-mnist', onProgress } = {},
) {
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = readIdx(path.join(src, `${prefix}-images-idx3-ubyte.gz`));
  const labels = readIdx(path.join(src, `${prefix}-labels-idx1-ubyte.gz`));
  const [, h, w] = images.shape;
  const indices = balancedIndices(labels.data, count, seed, split);
  for (const c of CLASS_NAMES) fs.mkdirSync(path.join(out, split, c), { recursive: true });
  const files = new Array(indices.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < indices.length) {
      const k = next++;
      const i = indices[k];
      const pixels = renderImage(
        images.data.subarray(i * h * w, (i + 1) * h * w),
        w,
        h,
        rngFor(seed, split, i),
      );
      const file = path.join(
        out,
        split,
        CLASS_NAMES[labels.data[i]],
        `${prefix}-${String(i).padStart(5, '0')}.jpg`,
      );
      await sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 3 } })
        .jpeg({ quality: JPEG_QUALITY })
        .toFile(file);
      files[k] = file;
      if (++done % 1000 === 0) onProgress?.(done, indices.length);
    }
  };
  await Promise.all(Array.from({ length: ENCODE_LANES }, lane));
  return files;
}

/** The whole set: both splits, then OUT/photo-set.json. Removes an earlier set's split folders first. */
export async function makePhotoSet(out, { train = 8000, test = 2000, seed = 1, src, onProgress } = {}) {
  fs.rmSync(path.join(out, 'photo-set.json'), { force: true });
  const result = {};
  for (const [split, count] of [
    ['train', train],
    ['test', test],
  ]) {
    fs.rmSync(path.join(out, split), { recursive: true, force: true });
    result[split] = await makePhotoSplit(out, split, count, {
      seed,
      ...(src ? { src } : {}),
      onProgress: (n, of) => onProgress?.(split, n, of),
    });
  }
  fs.writeFileSync(
    path.join(out, 'photo-set.json'),
    JSON.stringify({
      generator: 'scripts/make-photo-set.mjs',
      train,
      test,
      seed,
      size: SIZE,
      jpegQuality: JPEG_QUALITY,
    }) + '\n',
  );
  return result;
}

/** The parameters of a complete set in `out`, or null when there is none. */
export function readPhotoSetInfo(out) {
  try {
    return JSON.parse(fs.readFileSync(path.join(out, 'photo-set.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** The first training image of each class, enlarged 3×, side by side (a PNG to look at). */
export async function writeMontage(out, files, file) {
  const picks = CLASS_NAMES.map((c) => files.find((f) => path.basename(path.dirname(f)) === c)).filter(
    Boolean,
  );
  const tile = SIZE * 3;
  const tiles = await Promise.all(
    picks.map((f) => sharp(f).resize(tile, tile, { kernel: 'nearest' }).png().toBuffer()),
  );
  await sharp({ create: { width: tile * tiles.length, height: tile, channels: 3, background: '#000' } })
    .composite(tiles.map((input, i) => ({ input, left: i * tile, top: 0 })))
    .png()
    .toFile(file);
  return picks;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
  };
  const out = opt('out');
  if (!out || args.includes('--help')) {
    console.error(
      'usage: node scripts/make-photo-set.mjs --out DIR [--train 8000] [--test 2000] [--seed 1] [--src DIR] [--montage FILE.png]',
    );
    process.exit(out ? 0 : 2);
  }
  const t0 = performance.now();
  const files = await makePhotoSet(path.resolve(out), {
    train: Number(opt('train', '8000')),
    test: Number(opt('test', '2000')),
    seed: Number(opt('seed', '1')),
    src: opt('src'),
    onProgress: (split, n, of) =>
      console.error(`${split}: ${n}/${of} (${((performance.now() - t0) / 1000).toFixed(1)} s)`),
  });
  console.error(
    `wrote ${files.train.length} training and ${files.test.length} test images to ${path.resolve(out)} in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const montage = opt('montage');
  if (montage) {
    const picks = await writeMontage(out, files.train, montage);
    console.error(`montage of ${picks.length} images (one per class, in class order): ${montage}`);
  }
}
