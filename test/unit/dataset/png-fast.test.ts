import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeSimplePng } from '../../../main/services/dataset/png-fast';

function noise(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    // Smooth-ish so every PNG filter type gets chosen somewhere.
    b[i] = (i % 7 === 0 ? s >>> 24 : (i * 3) & 0xff) ^ (s >>> 30);
  }
  return b;
}

describe('decodeSimplePng', () => {
  it.each([
    ['gray', 1, {}],
    ['gray+alpha', 2, {}],
    ['rgb', 3, {}],
    ['rgba', 4, {}],
    ['palette', 3, { palette: true, colours: 16 }],
    ['palette+alpha', 4, { palette: true, colours: 8 }],
  ] as const)('%s gives exactly the pixels libvips gives', async (_name, channels, png) => {
    const w = 37;
    const h = 23;
    const bytes = await sharp(noise(w * h * channels, 99), { raw: { width: w, height: h, channels } })
      .png({ ...png, compressionLevel: 6, adaptiveFiltering: true })
      .toBuffer();
    const fast = decodeSimplePng(bytes, 1e6);
    expect(fast).not.toBeNull();
    const ref = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    expect([fast!.width, fast!.height, fast!.channels]).toEqual([
      ref.info.width,
      ref.info.height,
      ref.info.channels,
    ]);
    expect(Buffer.from(fast!.data).equals(ref.data)).toBe(true);
  });

  it('declines what it does not handle, so libvips decides', async () => {
    const base = sharp(noise(20 * 20 * 3, 5), { raw: { width: 20, height: 20, channels: 3 } });
    const png = await base.clone().png().toBuffer();
    expect(decodeSimplePng(png, 1e6)).not.toBeNull();
    expect(decodeSimplePng(await base.clone().png({ progressive: true }).toBuffer(), 1e6)).toBeNull(); // interlaced
    expect(decodeSimplePng(await base.clone().toColourspace('rgb16').png().toBuffer(), 1e6)).toBeNull(); // 16-bit
    expect(decodeSimplePng(png.subarray(0, png.length - 20), 1e6)).toBeNull(); // truncated
    const flipped = Buffer.from(png);
    flipped[60] ^= 0xff; // CRC mismatch
    expect(decodeSimplePng(flipped, 1e6)).toBeNull();
    expect(decodeSimplePng(png, 100)).toBeNull(); // over the pixel budget
    expect(
      decodeSimplePng(Buffer.from('not a png at all, just some text here....................'), 1e6),
    ).toBeNull();
  });
});
