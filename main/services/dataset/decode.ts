import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { ImportIssueCode } from '../../../app/domain/dataset';
import type { ColorMode } from '../../../app/domain/project';
import { decodeSimplePng, pngEndsEarly, type RawPixels } from './png-fast';

/**
 * Decoding and preprocessing of one image file, with sharp (libvips; its own thread pool).
 *
 * Preprocessing for the network — used by import, and to be used unchanged by prediction — is:
 *   EXIF orientation applied (`rotate()`), transparency flattened onto WHITE, first frame/page only,
 *   resized to size×size with `fit: 'cover'` (aspect kept, centre crop: no padding bars whose colour the network
 *   could learn), then 1 gray channel (`grayscale()`) or 3 sRGB channels, uint8, laid out channel-major C×H×W.
 *
 * Every image is decoded ONCE to 8-bit pixels — small plain ones (≤ 256×256, e.g. MNIST-style PNGs) at their own
 * size, by a JS PNG decoder or one sharp call, since libvips costs ~0.5 ms per call whatever the size; larger ones
 * shrunk by libvips on load (JPEG DCT scaling) to a shorter side of max(2 × size, 128) — and the tensor (flatten,
 * gray/RGB, cover-resize with area averaging) and the thumbnail are both made from those pixels. The result
 * depends only on the bytes, so `preprocessImage` gives prediction exactly what training saw.
 */

/** Decoding a larger image is refused before its pixels are allocated (a "decompression bomb"). */
export const MAX_INPUT_PIXELS = 100_000_000;
/** Files above this size are refused without reading them. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Side of the (square-bounded) WebP thumbnail. */
export const THUMB_SIZE = 128;

const FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif']);

/** An expected reason a file cannot be imported: the English detail (message), its code and the code's params. */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly code: ImportIssueCode = 'corrupt',
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
  }
}

export interface ProbedImage {
  format: string;
  /** 8-bit sRGB or gray: eligible for the small-image fast path. */
  plain8bit: boolean;
  /** Extension the blob is stored with (from the content, not the file name). */
  ext: string;
  /** Size after EXIF orientation. */
  width: number;
  height: number;
  channels: number;
  hasAlpha: boolean;
}

export interface DecodedImage extends ProbedImage {
  /** C×H×W uint8 at the project's input size. */
  tensor: Uint8Array;
  /** WebP thumbnail; null when the original is small and browser-displayable (the original is then shown). */
  thumb: Buffer | null;
  /** 64-bit difference hash (hex) of the preprocessed pixels, for spotting near-identical images. */
  dhash: string;
}

const inputOptions = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' as const, pages: 1 };

/** Reads only the header: format and size. Throws DecodeError for non-images, absurd headers and bombs. */
export async function probeImage(bytes: Buffer): Promise<ProbedImage> {
  if (bytes.length === 0) throw new DecodeError('empty file (0 bytes)', 'empty-file');
  const png = readPngHeader(bytes);
  if (png) return png;
  let meta: sharp.Metadata;
  try {
    // Header only: no pixels are decoded here, so the size check below runs before any allocation.
    meta = await sharp(bytes, { ...inputOptions, limitInputPixels: false }).metadata();
  } catch (error) {
    throw sharpDecodeError(error);
  }
  const format = String(meta.format ?? 'unknown');
  if (!FORMATS.has(format))
    throw new DecodeError(`unsupported image format (${format})`, 'unsupported-format', { format });
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!(w > 0 && h > 0) || !Number.isFinite(w) || !Number.isFinite(h)) {
    throw new DecodeError(`invalid image header (size ${w}×${h})`, 'invalid-header');
  }
  checkPixels(w, h);
  if (
    format === 'heif' &&
    meta.compression !== 'av1' &&
    !sharp.format.heif.input.fileSuffix?.includes('.heic')
  ) {
    throw new DecodeError(
      'HEIC (HEVC) images cannot be decoded by this build; convert them to JPEG or PNG',
      'heic-unsupported',
    );
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return {
    format: format === 'heif' && meta.compression === 'av1' ? 'avif' : format,
    plain8bit: meta.depth === 'uchar' && (meta.space === 'srgb' || meta.space === 'b-w'),
    ext: extFor(format, meta.compression),
    width: rotated ? h : w,
    height: rotated ? w : h,
    channels: meta.channels ?? 0,
    hasAlpha: Boolean(meta.hasAlpha),
  };
}

function checkPixels(w: number, h: number): void {
  if (w * h > MAX_INPUT_PIXELS) {
    const megapixels = Math.round((w * h) / 1e6);
    const limitMegapixels = MAX_INPUT_PIXELS / 1e6;
    throw new DecodeError(
      `image too large: ${w}×${h} px (${megapixels} megapixels, limit ${limitMegapixels})`,
      'too-large',
      { width: w, height: h, megapixels, limitMegapixels },
    );
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG size and pixel type straight from the IHDR chunk (no libvips call); null when not a PNG. */
function readPngHeader(bytes: Buffer): ProbedImage | null {
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (bytes.length < 33 || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new DecodeError('truncated or corrupt image: PNG header missing', 'truncated');
  }
  const w = bytes.readUInt32BE(16);
  const h = bytes.readUInt32BE(20);
  const depth = bytes[24];
  const colorType = bytes[25];
  const channels = ({ 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (!(w > 0 && h > 0) || channels === undefined || ![1, 2, 4, 8, 16].includes(depth)) {
    throw new DecodeError(
      `invalid image header (PNG ${w}×${h}, depth ${depth}, colour type ${colorType})`,
      'invalid-header',
    );
  }
  checkPixels(w, h);
  return {
    format: 'png',
    plain8bit: depth <= 8,
    ext: 'png',
    width: w,
    height: h,
    channels,
    hasAlpha: colorType === 4 || colorType === 6 || bytes.includes('tRNS', 33, 'latin1'),
  };
}

/** Images at most this many pixels (and 8-bit sRGB/gray) are decoded at their own size. */
const FAST_PATH_PIXELS = 256 * 256;

/**
 * Decodes the network input for `bytes` (see the module comment for the exact preprocessing). Prediction must
 * call this too, so a picture is seen the same way in training and in use.
 */
export async function preprocessImage(
  bytes: Buffer,
  size: number,
  color: ColorMode,
  probed?: ProbedImage,
): Promise<Uint8Array> {
  const header = probed ?? (await probeImage(bytes));
  return pixelsToTensor(await decodePixels(bytes, header, size), size, color);
}

/** The all-libvips preprocessing in one pipeline; a reference for tests of `preprocessImage`. */
export async function preprocessWithSharp(
  bytes: Buffer,
  size: number,
  color: ColorMode,
): Promise<Uint8Array> {
  const channels = color === 'gray' ? 1 : 3;
  let pipeline = sharp(bytes, inputOptions)
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize(size, size, { fit: 'cover', position: 'centre', kernel: 'lanczos3' });
  pipeline = color === 'gray' ? pipeline.grayscale() : pipeline.toColourspace('srgb');
  let data: Buffer;
  let info: sharp.OutputInfo;
  try {
    ({ data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }));
  } catch (error) {
    throw sharpDecodeError(error);
  }
  return toChannelMajor(data, info.channels, channels, size * size);
}

/** Probes, preprocesses and thumbnails one image, decoding it once. */
export async function decodeImage(bytes: Buffer, size: number, color: ColorMode): Promise<DecodedImage> {
  const probed = await probeImage(bytes);
  const smallAndViewable =
    probed.width <= THUMB_SIZE &&
    probed.height <= THUMB_SIZE &&
    ['png', 'jpeg', 'webp', 'gif'].includes(probed.format);
  const pixels = await decodePixels(bytes, probed, size);
  const tensor = pixelsToTensor(pixels, size, color);
  const thumb = smallAndViewable ? null : await thumbFromPixels(pixels);
  return { ...probed, tensor, thumb, dhash: differenceHash(tensor, size, color === 'gray' ? 1 : 3) };
}

/**
 * 8-bit pixels, oriented, first frame. Small plain images at their own size (plain PNGs decoded in JS, others by
 * one sharp call); anything else shrunk by libvips (JPEG shrink-on-load) so its SHORTER side is
 * max(2 × size, 128) — enough for an area-averaged network input and the thumbnail, from one decode.
 */
async function decodePixels(bytes: Buffer, probed: ProbedImage, size: number): Promise<RawPixels> {
  const small = probed.plain8bit && probed.width * probed.height <= FAST_PATH_PIXELS;
  if (small) {
    const png = decodeSimplePng(bytes, FAST_PATH_PIXELS);
    if (png) return png;
  }
  const side = Math.max(2 * size, THUMB_SIZE);
  try {
    let pipeline = sharp(bytes, inputOptions).rotate();
    if (!small) {
      pipeline = pipeline
        .resize(side, side, { fit: 'outside', withoutEnlargement: true, kernel: 'lanczos3' })
        .toColourspace('srgb');
    }
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: info.channels, data };
  } catch (error) {
    // libvips keeps one error buffer for all its threads, so with several decodes failing at once a message can
    // come back as "Unknown error": say what we can see ourselves first
    if (probed.format === 'png' && pngEndsEarly(bytes))
      throw new DecodeError('truncated or corrupt image: the PNG data ends early', 'truncated');
    throw sharpDecodeError(error);
  }
}

async function thumbFromPixels(pixels: RawPixels): Promise<Buffer> {
  const { width, height, channels, data } = pixels;
  try {
    return await sharp(data, { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } })
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75, effort: 1 })
      .toBuffer();
  } catch (error) {
    throw sharpDecodeError(error);
  }
}

/** Flatten on white, gray (linear-light luminance, as libvips) or RGB, cover-resize with area/linear weights. */
function pixelsToTensor(raw: RawPixels, size: number, color: ColorMode): Uint8Array {
  const { width: w, height: h, channels: have, data } = raw;
  const want = color === 'gray' ? 1 : 3;
  const hasAlpha = have === 2 || have === 4;
  const colours = hasAlpha ? have - 1 : have;
  // 1. Flatten onto white and convert to the wanted channels, as float planes.
  const n = w * h;
  const planes = new Float32Array(want * n);
  for (let i = 0; i < n; i++) {
    const o = i * have;
    const a = hasAlpha ? data[o + have - 1] / 255 : 1;
    const bg = (1 - a) * 255;
    if (colours === 1) {
      const v = data[o] * a + bg;
      for (let c = 0; c < want; c++) planes[c * n + i] = v;
    } else if (want === 1) {
      // As libvips' grayscale(): luminance in linear light, re-encoded with the sRGB curve.
      const y =
        0.2126 * toLinear(data[o] * a + bg) +
        0.7152 * toLinear(data[o + 1] * a + bg) +
        0.0722 * toLinear(data[o + 2] * a + bg);
      planes[i] = fromLinear(y);
    } else {
      for (let c = 0; c < 3; c++) planes[c * n + i] = data[o + c] * a + bg;
    }
  }
  // 2. Cover-resize each plane to size×size (centre crop), separable area/linear weights.
  const scale = Math.max(size / w, size / h);
  const xs = resampleWeights(w, size, scale);
  const ys = resampleWeights(h, size, scale);
  const out = new Uint8Array(want * size * size);
  const rowBuf = new Float32Array(size * h);
  for (let c = 0; c < want; c++) {
    const src = planes.subarray(c * n, (c + 1) * n);
    // Horizontal pass: h rows × size columns.
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < size; x++) {
        const wx = xs[x];
        let v = 0;
        for (let k = 0; k < wx.idx.length; k++) v += src[y * w + wx.idx[k]] * wx.w[k];
        rowBuf[y * size + x] = v;
      }
    }
    // Vertical pass.
    for (let y = 0; y < size; y++) {
      const wy = ys[y];
      for (let x = 0; x < size; x++) {
        let v = 0;
        for (let k = 0; k < wy.idx.length; k++) v += rowBuf[wy.idx[k] * size + x] * wy.w[k];
        out[c * size * size + y * size + x] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  }
  return out;
}

const LINEAR = Float64Array.from({ length: 256 }, (_, v) => srgbToLinear(v));

function srgbToLinear(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function toLinear(v: number): number {
  return Number.isInteger(v) ? LINEAR[v] : srgbToLinear(v);
}

function fromLinear(y: number): number {
  const c = y <= 0.0031308 ? 12.92 * y : 1.055 * y ** (1 / 2.4) - 0.055;
  return c * 255;
}

/**
 * For each of `outLen` output samples, the source indices and weights of a centre-cropped resize by `scale`
 * (output px per source px): box/area weights when shrinking, linear interpolation when enlarging, identity 1:1.
 */
function resampleWeights(inLen: number, outLen: number, scale: number): { idx: number[]; w: number[] }[] {
  const span = outLen / scale; // source pixels covered by the output
  const start = (inLen - span) / 2;
  const result: { idx: number[]; w: number[] }[] = [];
  for (let o = 0; o < outLen; o++) {
    const idx: number[] = [];
    const w: number[] = [];
    if (scale <= 1) {
      const a = start + o / scale;
      const b = start + (o + 1) / scale;
      for (let i = Math.floor(a); i < Math.ceil(b - 1e-9); i++) {
        const cover = Math.min(b, i + 1) - Math.max(a, i);
        if (cover > 1e-9) {
          idx.push(Math.min(inLen - 1, Math.max(0, i)));
          w.push(cover / (b - a));
        }
      }
    } else {
      const centre = start + (o + 0.5) / scale - 0.5;
      const i0 = Math.floor(centre);
      const f = centre - i0;
      idx.push(Math.min(inLen - 1, Math.max(0, i0)), Math.min(inLen - 1, Math.max(0, i0 + 1)));
      w.push(1 - f, f);
    }
    result.push({ idx, w });
  }
  return result;
}

/** Interleaved H×W×c (c = what sharp gave) → planar C×H×W with `want` channels. */
function toChannelMajor(data: Buffer, have: number, want: number, plane: number): Uint8Array {
  const out = new Uint8Array(want * plane);
  if (have === want && want === 1) {
    out.set(data.subarray(0, plane));
    return out;
  }
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < want; c++) {
      // gray → rgb repeats the one channel; extra channels (alpha) are dropped.
      out[c * plane + i] = data[i * have + Math.min(c, have - 1)];
    }
  }
  if (want === 1 && have >= 3) {
    for (let i = 0; i < plane; i++) {
      out[i] = Math.round(
        0.2126 * data[i * have] + 0.7152 * data[i * have + 1] + 0.0722 * data[i * have + 2],
      );
    }
  }
  return out;
}

/** dHash: mean over channels, 9×8 box-averaged, one bit per horizontal neighbour comparison. */
export function differenceHash(tensor: Uint8Array, size: number, channels: number): string {
  const plane = size * size;
  const cells = new Float64Array(72);
  const counts = new Float64Array(72);
  for (let y = 0; y < size; y++) {
    const cy = Math.min(7, Math.floor((y * 8) / size));
    for (let x = 0; x < size; x++) {
      const cx = Math.min(8, Math.floor((x * 9) / size));
      let v = 0;
      for (let c = 0; c < channels; c++) v += tensor[c * plane + y * size + x];
      cells[cy * 9 + cx] += v / channels;
      counts[cy * 9 + cx] += 1;
    }
  }
  let hex = '';
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let col = 0; col < 8; col++) {
      const a = cells[row * 9 + col] / Math.max(1, counts[row * 9 + col]);
      const b = cells[row * 9 + col + 1] / Math.max(1, counts[row * 9 + col + 1]);
      byte = (byte << 1) | (a > b ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function extFor(format: string, compression: string | undefined): string {
  switch (format) {
    case 'jpeg':
      return 'jpg';
    case 'tiff':
      return 'tif';
    case 'heif':
      return compression === 'av1' ? 'avif' : 'heic';
    default:
      return format;
  }
}

/** The image library's error as an import issue (its message names neither the library nor its internals' terms). */
function sharpDecodeError(error: unknown): DecodeError {
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format/i.test(message))
    return new DecodeError('not an image this app can read (unknown or corrupt format)', 'not-an-image');
  if (/pixel limit/i.test(message)) {
    const limitMegapixels = MAX_INPUT_PIXELS / 1e6;
    return new DecodeError(`image too large (over ${limitMegapixels} megapixels)`, 'too-large', {
      limitMegapixels,
    });
  }
  if (/truncated|premature end|unexpected end|end of (file|stream)|Read error/i.test(message)) {
    return new DecodeError(`truncated or corrupt image: ${firstLine(message)}`, 'truncated');
  }
  return new DecodeError(`cannot decode image: ${firstLine(message)}`, 'corrupt');
}

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 200);
}

/** MIME types of the stored blob extensions. */
export const MIME_BY_EXT: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tif: 'image/tiff',
  avif: 'image/avif',
  heic: 'image/heic',
};
