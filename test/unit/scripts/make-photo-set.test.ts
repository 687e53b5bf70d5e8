import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/temp-dir';

/**
 * scripts/make-photo-set.mjs (the photo-like Fashion-MNIST set of issue 14) on tiny IDX files written here: the same
 * seed gives the same bytes, the splits are balanced over the class folders, every file lands in the folder of its
 * IDX label and decodes as a 96×96 RGB JPEG.
 */
const SCRIPT = path.resolve(__dirname, '../../../scripts/make-photo-set.mjs');
const CLASSES = [
  'T-shirt_top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle_boot',
];
const temp = makeTempDir('make-photo-set-');
const src = path.join(temp.dir, 'idx');
const labelsOf: Record<string, Uint8Array> = {};

/** An IDX file: magic (0, 0, type 8 = ubyte, dims), the sizes, the bytes; gzipped. */
function writeIdx(file: string, shape: number[], data: Uint8Array): void {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header.set([0, 0, 8, shape.length]);
  shape.forEach((n, i) => header.writeUInt32BE(n, 4 + 4 * i));
  fs.writeFileSync(file, zlib.gzipSync(Buffer.concat([header, data])));
}

/** n 28×28 "garments" (a bright rectangle whose size depends on the label) with labels cycling over the classes. */
function writeSplit(prefix: string, n: number): void {
  const images = new Uint8Array(n * 28 * 28);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = (i * 7) % 10;
    const half = 4 + labels[i];
    for (let y = 14 - half; y < 14 + half; y++)
      for (let x = 14 - half; x < 14 + half; x++) images[i * 784 + y * 28 + x] = 80 + ((x * y + i) % 170);
  }
  writeIdx(path.join(src, `${prefix}-images-idx3-ubyte.gz`), [n, 28, 28], images);
  writeIdx(path.join(src, `${prefix}-labels-idx1-ubyte.gz`), [n], labels);
  labelsOf[prefix] = labels;
}

function generate(out: string, seed: number, train: number, test: number): Promise<void> {
  const argv = [
    SCRIPT,
    '--out',
    out,
    '--train',
    String(train),
    '--test',
    String(test),
    '--seed',
    String(seed),
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...argv, '--src', src], { timeout: 60_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(),
    );
  });
}

/** Every file under dir, relative, sorted, with its bytes. */
function tree(dir: string): Map<string, Buffer> {
  const files = (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
  return new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

beforeAll(() => {
  fs.mkdirSync(src);
  writeSplit('train', 60);
  writeSplit('t10k', 40);
});
afterAll(() => temp.cleanup());

describe('scripts/make-photo-set.mjs', () => {
  it('makes the same bytes from the same seed, other bytes from another', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((d) => path.join(temp.dir, d));
    await Promise.all([generate(a, 5, 23, 10), generate(b, 5, 23, 10), generate(c, 6, 23, 10)]);
    const [ta, tb, tc] = [tree(a), tree(b), tree(c)];
    expect([...ta.keys()]).toEqual([...tb.keys()]);
    for (const [f, bytes] of ta) expect(bytes.equals(tb.get(f)!), f).toBe(true);
    const jpegs = [...ta.keys()].filter((f) => f.endsWith('.jpg'));
    expect(jpegs.length).toBe(33);
    expect(jpegs.filter((f) => tc.has(f) && tc.get(f)!.equals(ta.get(f)!))).toEqual([]);
  });

  it('balances the classes, files each image under its IDX label and writes 96×96 RGB JPEGs', async () => {
    const out = path.join(temp.dir, 'layout');
    await generate(out, 1, 23, 10);
    for (const [split, prefix, perClass] of [
      ['train', 'train', (c: number) => (c < 3 ? 3 : 2)], // 23 = 10 × 2 + 3: the first 3 classes get one more
      ['test', 't10k', () => 1],
    ] as const) {
      expect(fs.readdirSync(path.join(out, split)).sort()).toEqual([...CLASSES].sort());
      for (const [c, name] of CLASSES.entries()) {
        const files = fs.readdirSync(path.join(out, split, name));
        expect(files.length, `${split}/${name}`).toBe(perClass(c));
        for (const f of files) {
          const m = new RegExp(`^${prefix}-(\\d{5})\\.jpg$`).exec(f);
          expect(m, f).not.toBeNull();
          expect(labelsOf[prefix][Number(m![1])], f).toBe(c);
          const { data, info } = await sharp(path.join(out, split, name, f))
            .raw()
            .toBuffer({ resolveWithObject: true });
          const meta = await sharp(path.join(out, split, name, f)).metadata();
          expect([meta.format, info.width, info.height, info.channels]).toEqual(['jpeg', 96, 96, 3]);
          expect(data.length).toBe(96 * 96 * 3);
        }
      }
    }
    expect(JSON.parse(fs.readFileSync(path.join(out, 'photo-set.json'), 'utf8'))).toMatchObject({
      train: 23,
      test: 10,
      seed: 1,
      size: 96,
    });
  });
});
