// Writes the Fashion-MNIST IDX files (Debian's dataset-fashion-mnist: /usr/share/datasets/fashion-mnist) out as
// PNG class folders: <out>/train/<Class>/train-00000.png (60,000) and <out>/test/<Class>/t10k-00000.png (10,000),
// the layout of shared/datasets/fashion-mnist-small.
//   node scripts/make-fashion-mnist-pngs.mjs OUT [--src DIR] [--split train|test|both] [--limit N]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';

export const CLASS_NAMES = [
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

function readIdx(file) {
  const buf = zlib.gunzipSync(fs.readFileSync(file));
  const dims = buf[3];
  const shape = [];
  for (let i = 0; i < dims; i++) shape.push(buf.readUInt32BE(4 + 4 * i));
  return { shape, data: buf.subarray(4 + 4 * dims) };
}

/** Writes one split; returns how many files were written (existing ones are kept). */
export async function makeFashionMnistPngs(
  out,
  { src = '/usr/share/datasets/fashion-mnist', split = 'train', limit = Infinity } = {},
) {
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = readIdx(path.join(src, `${prefix}-images-idx3-ubyte.gz`));
  const labels = readIdx(path.join(src, `${prefix}-labels-idx1-ubyte.gz`));
  const [n, h, w] = images.shape;
  const count = Math.min(n, limit);
  for (const c of CLASS_NAMES) fs.mkdirSync(path.join(out, split, c), { recursive: true });
  let next = 0;
  let written = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const file = path.join(
        out,
        split,
        CLASS_NAMES[labels.data[i]],
        `${prefix}-${String(i).padStart(5, '0')}.png`,
      );
      if (fs.existsSync(file)) continue;
      const pixels = images.data.subarray(i * h * w, (i + 1) * h * w);
      await sharp(Buffer.from(pixels), { raw: { width: w, height: h, channels: 1 } })
        .png()
        .toFile(file);
      written++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  const opt = (name) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (!out) {
    console.error(
      'usage: node scripts/make-fashion-mnist-pngs.mjs OUT [--src DIR] [--split train|test|both] [--limit N]',
    );
    process.exit(2);
  }
  const splits = (opt('split') ?? 'both') === 'both' ? ['train', 'test'] : [opt('split')];
  for (const split of splits) {
    const t0 = Date.now();
    const n = await makeFashionMnistPngs(out, {
      src: opt('src') ?? '/usr/share/datasets/fashion-mnist',
      split,
      limit: opt('limit') ? Number(opt('limit')) : Infinity,
    });
    console.error(`${split}: wrote ${n} PNGs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}
