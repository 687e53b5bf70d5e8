import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { ColorMode } from '../../../app/domain/project';

/**
 * Decoding and preprocessing of one image file, with sharp (libvips; its own thread pool).
 *
 * Preprocessing for the network — used by import, and to be used unchanged by prediction — is:
 *   EXIF orientation applied (`rotate()`), transparency flattened onto WHITE, first frame/page only,
 *   resized to size×size with `fit: 'cover'` (aspect kept, centre crop: no padding bars whose colour the network
 *   could learn), then 1 gray channel (`grayscale()`) or 3 sRGB channels, uint8, laid out channel-major C×H×W.
 */

/** Decoding a larger image is refused before its pixels are allocated (a "decompression bomb"). */
export const MAX_INPUT_PIXELS = 100_000_000;
/** Files above this size are refused without reading them. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Side of the (square-bounded) WebP thumbnail. */
export const THUMB_SIZE = 128;

const FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif']);

/** An expected reason a file cannot be imported. */
export class DecodeError extends Error {}

export interface ProbedImage {
  format: string;
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
  if (bytes.length === 0) throw new DecodeError('empty file (0 bytes)');
  let meta: sharp.Metadata;
  try {
    // Header only: no pixels are decoded here, so the size check below runs before any allocation.
    meta = await sharp(bytes, { ...inputOptions, limitInputPixels: false }).metadata();
  } catch (error) {
    throw new DecodeError(describeSharpError(error));
  }
  const format = String(meta.format ?? 'unknown');
  if (!FORMATS.has(format)) throw new DecodeError(`unsupported image format (${format})`);
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!(w > 0 && h > 0) || !Number.isFinite(w) || !Number.isFinite(h)) {
    throw new DecodeError(`invalid image header (size ${w}×${h})`);
  }
  if (w * h > MAX_INPUT_PIXELS) {
    throw new DecodeError(
      `image too large: ${w}×${h} px (${Math.round((w * h) / 1e6)} megapixels, limit ${MAX_INPUT_PIXELS / 1e6})`,
    );
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return {
    format: format === 'heif' && meta.compression === 'av1' ? 'avif' : format,
    ext: extFor(format, meta.compression),
    width: rotated ? h : w,
    height: rotated ? w : h,
    channels: meta.channels ?? 0,
    hasAlpha: Boolean(meta.hasAlpha),
  };
}

/** Decodes the network input for `bytes` (see the module comment for the exact preprocessing). */
export async function preprocessImage(bytes: Buffer, size: number, color: ColorMode): Promise<Uint8Array> {
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
    throw new DecodeError(describeSharpError(error));
  }
  return toChannelMajor(data, info.channels, channels, size * size);
}

/** Probes, preprocesses and thumbnails one image. */
export async function decodeImage(bytes: Buffer, size: number, color: ColorMode): Promise<DecodedImage> {
  const probed = await probeImage(bytes);
  const smallAndViewable =
    probed.width <= THUMB_SIZE && probed.height <= THUMB_SIZE && ['png', 'jpeg', 'webp', 'gif'].includes(probed.format);
  const [tensor, thumb] = await Promise.all([
    preprocessImage(bytes, size, color),
    smallAndViewable ? Promise.resolve(null) : makeThumb(bytes),
  ]);
  return { ...probed, tensor, thumb, dhash: differenceHash(tensor, size, color === 'gray' ? 1 : 3) };
}

async function makeThumb(bytes: Buffer): Promise<Buffer> {
  try {
    return await sharp(bytes, inputOptions)
      .rotate()
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75, effort: 1 })
      .toBuffer();
  } catch (error) {
    throw new DecodeError(describeSharpError(error));
  }
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
      out[i] = Math.round(0.2126 * data[i * have] + 0.7152 * data[i * have + 1] + 0.0722 * data[i * have + 2]);
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

function describeSharpError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format/i.test(message)) return 'not an image sharp can read (unknown or corrupt format)';
  if (/pixel limit/i.test(message)) return `image too large (over ${MAX_INPUT_PIXELS / 1e6} megapixels)`;
  if (/truncated|premature end|unexpected end|end of (file|stream)|Read error/i.test(message)) {
    return `truncated or corrupt image: ${firstLine(message)}`;
  }
  return `cannot decode image: ${firstLine(message)}`;
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
