import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { createServices, type EventSink, type Services } from '../../../main/services/services';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'cnn-dataset-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Harness {
  services: Services;
  projectId: string;
  dataDir: string;
  events: { channel: string; payload: unknown }[];
  close(): Promise<void>;
}

/** Services over a temporary data folder with one project. */
export async function makeHarness(
  options: { inputSize?: number; color?: 'gray' | 'rgb' } = {},
): Promise<Harness> {
  const dataDir = tempDir('cnn-data-');
  const events: { channel: string; payload: unknown }[] = [];
  const sink: EventSink = { emit: (channel, payload) => void events.push({ channel, payload }) };
  const services = createServices({ dataDir, workersDir: '', mediaBaseUrl: '', version: 'test' }, sink);
  const project = services.projects.create({
    name: 'Test',
    inputSize: options.inputSize ?? 28,
    color: options.color ?? 'gray',
  });
  return {
    services,
    projectId: project.id,
    dataDir,
    events,
    async close() {
      await services.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A solid-colour image of the given format. `seed` makes the bytes unique. */
export async function solidImage(
  format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'avif',
  opts: { width?: number; height?: number; color?: string; seed?: number } = {},
): Promise<Buffer> {
  const width = opts.width ?? 32;
  const height = opts.height ?? 32;
  let img = sharp({ create: { width, height, channels: 3, background: opts.color ?? '#808080' } });
  if (opts.seed !== undefined) {
    // A few pixels spell the seed, so equal colours still give different bytes.
    const raw = Buffer.alloc(width * height * 3, 128);
    for (let i = 0; i < 24 && i < width * height; i++) raw[i * 3] = (opts.seed >> i) & 1 ? 255 : 0;
    img = sharp(raw, { raw: { width, height, channels: 3 } });
  }
  switch (format) {
    case 'png':
      return img.png().toBuffer();
    case 'jpeg':
      return img.jpeg({ quality: 95 }).toBuffer();
    case 'webp':
      return img.webp({ lossless: true }).toBuffer();
    case 'gif':
      return img.gif().toBuffer();
    case 'tiff':
      return img.tiff().toBuffer();
    case 'avif':
      return img.avif({ quality: 50, effort: 0 }).toBuffer();
  }
}

/** Random-noise PNG: unique bytes, realistic decode cost. */
export async function noisePng(width: number, height: number, seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height);
  let s = seed >>> 0;
  for (let i = 0; i < raw.length; i++) {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    raw[i] = ((t ^ (t >>> 14)) >>> 0) >>> 24;
  }
  return sharp(raw, { raw: { width, height, channels: 1 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A VALID width×height 1-bit grayscale PNG (all black): tiny on disk, huge when decoded. */
export function bombPng(width = 20000, height = 20000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // grayscale
  const row = Math.ceil(width / 8) + 1;
  const raw = Buffer.alloc(row * height); // filter byte 0 + zero pixels
  const idat = zlib.deflateSync(raw, { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG whose header claims an absurd size (2^31-1 × 2^31-1) with no real data. */
export function absurdHeaderPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(0x7fffffff, 0);
  ihdr.writeUInt32BE(0x7fffffff, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(10))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function write(file: string, bytes: Buffer | string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

/** Repository-relative path of the shared small Fashion-MNIST PNG folders. */
export const FASHION_SMALL = path.resolve(__dirname, '../../../../shared/datasets/fashion-mnist-small');
