import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decodeImage,
  preprocessImage,
  preprocessWithSharp,
  probeImage,
} from '../../../main/services/dataset/decode';
import { absurdHeaderPng, bombPng, solidImage } from './fixtures';

describe('decodeImage: formats sharp reads', () => {
  it.each(['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif'] as const)(
    '%s → gray 28×28 tensor',
    async (format) => {
      const bytes = await solidImage(format, { width: 40, height: 30, color: '#ffffff' });
      const img = await decodeImage(bytes, 28, 'gray');
      expect(img.tensor.length).toBe(28 * 28);
      expect(img.width).toBe(40);
      expect(img.height).toBe(30);
      expect(img.tensor[0]).toBeGreaterThan(240);
      expect(img.ext).toBe(
        { png: 'png', jpeg: 'jpg', webp: 'webp', gif: 'gif', tiff: 'tif', avif: 'avif' }[format],
      );
    },
  );

  it('rgb projects get 3 planes (C×H×W) with the right colours', async () => {
    const bytes = await solidImage('png', { color: '#ff0000' });
    const img = await decodeImage(bytes, 8, 'rgb');
    expect(img.tensor.length).toBe(3 * 64);
    expect(img.tensor[0]).toBe(255); // R plane
    expect(img.tensor[64]).toBe(0); // G plane
    expect(img.tensor[128]).toBe(0); // B plane
  });

  it('progressive JPEG', async () => {
    const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
      .jpeg({ progressive: true })
      .toBuffer();
    expect((await sharp(bytes).metadata()).isProgressive).toBe(true);
    const img = await decodeImage(bytes, 16, 'rgb');
    expect(Math.abs(img.tensor[0] - 0x33)).toBeLessThan(6);
  });

  it('CMYK JPEG is converted to sRGB', async () => {
    const bytes = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#ff0000' } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    expect((await sharp(bytes).metadata()).space).toBe('cmyk');
    const img = await decodeImage(bytes, 8, 'rgb');
    expect(img.tensor[0]).toBeGreaterThan(200);
    expect(img.tensor[64]).toBeLessThan(60);
  });

  it('applies EXIF orientation (width and height swap for orientation 6)', async () => {
    // Left half black, right half white; orientation 6 rotates 90° clockwise: top black, bottom white.
    const raw = Buffer.alloc(40 * 20);
    for (let y = 0; y < 20; y++) for (let x = 20; x < 40; x++) raw[y * 40 + x] = 255;
    const bytes = await sharp(raw, { raw: { width: 40, height: 20, channels: 1 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const img = await decodeImage(bytes, 20, 'gray');
    expect([img.width, img.height]).toEqual([20, 40]);
    // After rotation the 20×40 image is cover-cropped to its centre 20×20: top half black, bottom white.
    expect(img.tensor[2 * 20 + 10]).toBeLessThan(40);
    expect(img.tensor[17 * 20 + 10]).toBeGreaterThan(215);
  });

  it('16-bit PNG and palette PNG', async () => {
    const base = sharp({ create: { width: 30, height: 30, channels: 3, background: '#204060' } });
    const png16 = await base.clone().toColourspace('rgb16').png().toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe('ushort');
    const pal = await base.clone().png({ palette: true }).toBuffer();
    expect((await sharp(pal).metadata()).isPalette).toBe(true);
    for (const bytes of [png16, pal]) {
      const img = await decodeImage(bytes, 8, 'rgb');
      expect(Math.abs(img.tensor[0] - 0x20)).toBeLessThan(4);
      expect(Math.abs(img.tensor[128] - 0x60)).toBeLessThan(4);
    }
  });

  it('transparency is flattened onto white', async () => {
    const bytes = await sharp({
      create: { width: 16, height: 16, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const img = await decodeImage(bytes, 8, 'gray');
    expect(img.hasAlpha).toBe(true);
    expect(img.tensor.every((v) => v === 255)).toBe(true);
  });

  it('GIF: first frame only', async () => {
    const w = 8;
    const raw = Buffer.alloc(w * w * 2 * 3);
    raw.fill(255, w * w * 3); // frame 1 black, frame 2 white
    const gif = await sharp(raw, { raw: { width: w, height: w * 2, channels: 3, pageHeight: w } } as never)
      .gif({ delay: [100, 100] })
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const img = await decodeImage(gif, 8, 'gray');
    expect(img.height).toBe(8);
    expect(img.tensor.every((v) => v < 10)).toBe(true);
  });

  it('fit cover: a wide image is centre-cropped, not padded', async () => {
    // 30×10: left and right thirds white, centre black → centre crop 10×10 is all black.
    const raw = Buffer.alloc(30 * 10, 255);
    for (let y = 0; y < 10; y++) for (let x = 10; x < 20; x++) raw[y * 30 + x] = 0;
    const bytes = await sharp(raw, { raw: { width: 30, height: 10, channels: 1 } })
      .png()
      .toBuffer();
    const img = await decodeImage(bytes, 10, 'gray');
    expect(Math.max(...img.tensor)).toBeLessThan(20);
  });

  it('a thumbnail is made for big images, not for small browser-viewable ones', async () => {
    const big = await decodeImage(await solidImage('jpeg', { width: 400, height: 300 }), 28, 'gray');
    expect(big.thumb).not.toBeNull();
    const meta = await sharp(big.thumb!).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width!, meta.height!)).toBe(128);
    const small = await decodeImage(await solidImage('png'), 28, 'gray');
    expect(small.thumb).toBeNull();
    const tiff = await decodeImage(await solidImage('tiff'), 28, 'gray');
    expect(tiff.thumb).not.toBeNull();
  });
});

describe('small-image fast path', () => {
  it.each([
    [100, 60, 28, 'gray'],
    [100, 60, 28, 'rgb'],
    [20, 30, 28, 'rgb'],
    [28, 28, 28, 'gray'],
    [256, 200, 64, 'rgb'],
    [1000, 700, 64, 'rgb'],
    [1200, 900, 28, 'gray'],
    [700, 1000, 128, 'rgb'],
  ] as const)('%i×%i → %i %s matches the libvips path closely', async (w, h, size, color) => {
    const raw = Buffer.alloc(w * h * 4);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 4;
        raw[i] = (x * 255) / w;
        raw[i + 1] = (y * 255) / h;
        raw[i + 2] = 128;
        raw[i + 3] = x < w / 4 ? 128 : 255; // some transparency to flatten
      }
    }
    const bytes = await sharp(raw, { raw: { width: w, height: h, channels: 4 } })
      .png()
      .toBuffer();
    const fast = await preprocessImage(bytes, size, color);
    const slow = await preprocessWithSharp(bytes, size, color);
    expect(fast.length).toBe(slow.length);
    let sum = 0;
    for (let i = 0; i < fast.length; i++) sum += Math.abs(fast[i] - slow[i]);
    expect(sum / fast.length).toBeLessThan(4);
  });
});

describe('decodeImage: bad input is a DecodeError with a reason', () => {
  it('rejects a valid 20000×20000 PNG from its header, fast', async () => {
    const bomb = bombPng();
    const t0 = performance.now();
    const error = await probeImage(bomb).catch((e) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect(String(error.message)).toMatch(/too large.*20000×20000/);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('rejects a JPEG whose header claims 30000×30000 before decoding it', async () => {
    const jpg = Buffer.from(await solidImage('jpeg', { width: 64, height: 64 }));
    let sof = -1;
    for (let i = 2; i < jpg.length - 9; i++) {
      if (jpg[i] === 0xff && (jpg[i + 1] === 0xc0 || jpg[i + 1] === 0xc2)) {
        sof = i;
        break;
      }
    }
    expect(sof).toBeGreaterThan(0);
    jpg.writeUInt16BE(30000, sof + 5); // height
    jpg.writeUInt16BE(30000, sof + 7); // width
    const t0 = performance.now();
    const error = await decodeImage(jpg, 28, 'gray').catch((e) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect(error.message).toMatch(/too large: 30000×30000/);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('rejects absurd headers, empty files, text and truncated images', async () => {
    const png = await sharp({
      create: {
        width: 200,
        height: 150,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .png()
      .toBuffer();
    const jpg = await sharp(png).jpeg().toBuffer();
    const cases: [Buffer, RegExp][] = [
      [absurdHeaderPng(), /too large|invalid|cannot decode|not an image/],
      [Buffer.alloc(0), /empty/],
      [Buffer.from('hello, I am not a PNG'), /not an image/],
      [png.subarray(0, png.length >> 1), /truncated|corrupt|cannot decode/],
      [jpg.subarray(0, jpg.length >> 1), /truncated|corrupt|cannot decode/],
      [png.subarray(0, 40), /truncated|corrupt|cannot decode|not an image/],
    ];
    for (const [bytes, reason] of cases) {
      const error = await decodeImage(bytes, 28, 'gray').catch((e) => e);
      expect(error, reason.source).toBeInstanceOf(DecodeError);
      expect(error.message).toMatch(reason);
    }
  });
});
