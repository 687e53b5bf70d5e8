import zlib from 'node:zlib';

/**
 * A minimal decoder for the PNGs small-image datasets are made of (8-bit gray / gray+alpha / RGB / RGBA /
 * palette, not interlaced, no colour profile): libvips costs ~0.5 ms of CPU per call whatever the image size,
 * which caps a 28×28 dataset at a few hundred images/s per core; this takes a few µs. Anything else — or anything
 * odd (bad CRC, truncated or oversized data) — returns null and the caller falls back to sharp, which then
 * decodes the image or reports why it cannot. Pixels are exactly what libvips would give (PNG is lossless).
 */
export interface RawPixels {
  width: number;
  height: number;
  /** Interleaved channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
  channels: number;
  data: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * True when a file with the PNG signature ends before its IEND chunk (a chunk runs past the end, or the
 * chunks stop early). Structural only: says nothing about the compressed data.
 */
export function pngEndsEarly(bytes: Buffer): boolean {
  if (bytes.length < 8) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== SIGNATURE[i]) return false;
  let pos = 8;
  while (pos + 12 <= bytes.length) {
    const len = bytes.readUInt32BE(pos);
    if (pos + 12 + len > bytes.length) return true;
    if (bytes.toString('latin1', pos + 4, pos + 8) === 'IEND') return false;
    pos += 12 + len;
  }
  return true;
}

export function decodeSimplePng(bytes: Buffer, maxPixels: number): RawPixels | null {
  if (bytes.length < 45) return null;
  for (let i = 0; i < 8; i++) if (bytes[i] !== SIGNATURE[i]) return null;
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  let depth = 8;
  let palette: Buffer | null = null;
  let alphaTable: Buffer | null = null;
  const idat: Buffer[] = [];
  let ended = false;
  while (pos + 12 <= bytes.length) {
    const len = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + len > bytes.length) return null; // truncated
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    const crc = bytes.readUInt32BE(pos + 8 + len);
    const critical = type === 'IHDR' || type === 'PLTE' || type === 'IDAT' || type === 'tRNS';
    if (critical && zlib.crc32(bytes.subarray(pos + 4, pos + 8 + len)) !== crc) return null;
    switch (type) {
      case 'IHDR':
        if (len !== 13) return null;
        width = data.readUInt32BE(0);
        height = data.readUInt32BE(4);
        depth = data[8];
        colorType = data[9];
        // 8-bit depth (1–8 for palettes), deflate, standard filters, no interlace only.
        if (!(depth === 8 || (colorType === 3 && [1, 2, 4].includes(depth)))) return null;
        if (data[10] !== 0 || data[11] !== 0 || data[12] !== 0) return null;
        break;
      case 'PLTE':
        palette = data;
        break;
      case 'tRNS':
        if (colorType !== 3) return null; // single-colour transparency: leave to libvips
        alphaTable = data;
        break;
      case 'IDAT':
        idat.push(data);
        break;
      case 'IEND':
        ended = true;
        break;
      case 'iCCP':
      case 'sRGB':
      case 'gAMA':
      case 'cHRM':
      case 'eXIf':
      case 'sBIT':
        return null; // colour management or orientation: libvips handles these
      default:
        if ((bytes[pos + 4] & 0x20) === 0) return null; // an unknown critical chunk
    }
    pos += 12 + len;
    if (ended) break;
  }
  if (!ended || idat.length === 0 || !(width > 0 && height > 0) || width * height > maxPixels) return null;
  const bpp = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (bpp === undefined || (colorType === 3 && !palette)) return null;
  const stride = colorType === 3 ? Math.ceil((width * depth) / 8) : width * bpp;
  let inflated: Buffer;
  try {
    inflated = zlib.inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat), {
      maxOutputLength: (stride + 1) * height + 1,
    });
  } catch {
    return null;
  }
  if (inflated.length !== (stride + 1) * height) return null;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = inflated[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const prev = row - stride;
    for (let x = 0; x < stride; x++) {
      const raw = inflated[src + x];
      const a = x >= bpp ? out[row + x - bpp] : 0;
      const b = y > 0 ? out[prev + x] : 0;
      const c = x >= bpp && y > 0 ? out[prev + x - bpp] : 0;
      let v: number;
      switch (filter) {
        case 0:
          v = raw;
          break;
        case 1:
          v = raw + a;
          break;
        case 2:
          v = raw + b;
          break;
        case 3:
          v = raw + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = raw + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          return null;
      }
      out[row + x] = v & 0xff;
    }
  }
  if (colorType !== 3) return { width, height, channels: bpp, data: out };
  // Palette → RGB(A).
  const entries = palette!.length / 3;
  const channels = alphaTable ? 4 : 3;
  const rgb = new Uint8Array(width * height * channels);
  const perByte = 8 / depth;
  const mask = (1 << depth) - 1;
  for (let i = 0; i < width * height; i++) {
    const y = Math.floor(i / width);
    const x = i - y * width;
    const k =
      depth === 8
        ? out[i]
        : (out[y * stride + Math.floor(x / perByte)] >> (8 - depth - (x % perByte) * depth)) & mask;
    if (k >= entries) return null;
    rgb[i * channels] = palette![k * 3];
    rgb[i * channels + 1] = palette![k * 3 + 1];
    rgb[i * channels + 2] = palette![k * 3 + 2];
    if (alphaTable) rgb[i * channels + 3] = k < alphaTable.length ? alphaTable[k] : 255;
  }
  return { width, height, channels, data: rgb };
}
