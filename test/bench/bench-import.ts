/**
 * Import throughput: `npm run bench:import` (→ node out/bench/bench-import.js [--small-only|--photos-only]
 * [--photos N] [--keep]). Measures images/s and peak RSS for
 *   1. the 60,000 Fashion-MNIST training images as PNG class folders (made from Debian's IDX files once, cached),
 *   2. N (default 2,000) generated 1600×1200 JPEG "photos" (cached),
 * and the time loadTrainingTensors takes to read the 60,000 back. Prints one JSON object at the end.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createServices } from '../../main/services/services';

const CLASS_NAMES = [
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
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const cacheDir = opt('cache') ?? path.join(os.tmpdir(), 'cnn-studio-bench');

function rssMb(): number {
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}

let peakRss = 0;
const cleanup: string[] = [];
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function fashionPngs(): Promise<string> {
  const out = path.join(cacheDir, 'fashion-mnist-png');
  const done = path.join(out, '.complete');
  if (fs.existsSync(done)) return out;
  const script = path.resolve(__dirname, '../../scripts/make-fashion-mnist-pngs.mjs');
  const t0 = Date.now();
  process.stderr.write('Writing 60,000 Fashion-MNIST PNGs (once)…\n');
  execFileSync(process.execPath, [script, out, '--split', 'train'], { stdio: 'inherit' });
  process.stderr.write(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  fs.writeFileSync(done, '');
  return out;
}

async function photoJpegs(n: number): Promise<string> {
  const out = path.join(cacheDir, `photos-${n}`);
  const done = path.join(out, '.complete');
  if (fs.existsSync(done)) return out;
  process.stderr.write(`Writing ${n} 1600×1200 JPEGs (once)…\n`);
  // A smooth gradient plus noise, so each file is unique and JPEG-sized like a photo (~0.5–1 MB).
  const w = 1600;
  const h = 1200;
  const base = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      base[i] = (x * 255) / w;
      base[i + 1] = (y * 255) / h;
      base[i + 2] = ((x + y) * 127) / (w + h);
    }
  }
  // Eight noisy variants, made once; each file then gets a unique stamp in its first row (cheap) and its own
  // JPEG encoding (the real cost).
  const variants: Buffer[] = [];
  for (let v = 0; v < 8; v++) {
    const noise = await sharp({
      create: {
        width: w,
        height: h,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 0, sigma: 12 },
      },
    })
      .raw()
      .toBuffer();
    const px = Buffer.alloc(base.length);
    for (let j = 0; j < px.length; j++) px[j] = Math.max(0, Math.min(255, base[j] + noise[j] - 6 + v));
    variants.push(px);
  }
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const dir = path.join(out, CLASS_NAMES[i % 10]);
      const file = path.join(dir, `photo-${i}.jpg`);
      if (fs.existsSync(file)) continue;
      fs.mkdirSync(dir, { recursive: true });
      const px = Buffer.from(variants[i % 8]);
      for (let b = 0; b < 32; b++) px.fill((i >> b) & 1 ? 255 : 0, b * 48, b * 48 + 48);
      await sharp(px, { raw: { width: w, height: h, channels: 3 } })
        .jpeg({ quality: 85 })
        .toFile(file);
    }
  };
  await Promise.all(Array.from({ length: 2 }, lane));
  fs.writeFileSync(done, '');
  return out;
}

async function runOne(name: string, src: string, size: number, color: 'gray' | 'rgb') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-bench-data-'));
  const services = createServices({ dataDir, workersDir: '', mediaBaseUrl: '', version: 'bench' });
  const project = services.projects.create({ name, inputSize: size, color });
  peakRss = process.memoryUsage().rss;
  const rssBefore = rssMb();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let lastLog = 0;
  const summary = await services.dataset.importAndWait(
    project.id,
    { paths: [src] },
    {
      onProgress: (p) => {
        if (Date.now() - lastLog > 5000) {
          lastLog = Date.now();
          process.stderr.write(
            `  ${name}: ${p.done}/${p.total} (${p.rate}/s, ETA ${p.etaSeconds ?? '?'} s, RSS ${rssMb()} MB)\n`,
          );
        }
      },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const result: Record<string, unknown> = {
    name,
    images: summary.imported,
    failed: summary.failed.length,
    seconds: Math.round(seconds * 10) / 10,
    imagesPerSecond: Math.round(summary.imported / seconds),
    // CPU time of this process (all threads): a figure other load on the machine does not distort much.
    cpuSeconds: Math.round(cpuSeconds * 10) / 10,
    imagesPerCpuSecond: Math.round(summary.imported / cpuSeconds),
    loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
    rssBeforeMb: rssBefore,
    peakRssMb: Math.round(peakRss / 2 ** 20),
  };
  if (name === 'fashion-mnist-60k') {
    const l0 = performance.now();
    const t = services.dataset.loadTrainingTensors(project.id);
    result.loadTrainingTensorsMs = Math.round(performance.now() - l0);
    result.tensorBytes = t.images.length;
    // A repeated import of the same folder only checks paths.
    const r0 = performance.now();
    const again = await services.dataset.importAndWait(project.id, { paths: [src] });
    result.reimportSeconds = Math.round((performance.now() - r0) / 100) / 10;
    result.reimportAlreadyImported = again.alreadyImported;
  }
  const projectBytes = dirSize(services.projects.projectDir(project.id));
  result.projectMb = Math.round(projectBytes / 2 ** 20);
  await services.dispose();
  process.stderr.write(`${JSON.stringify(result)}\n`);
  // Deleting 60,000 files can take minutes on some disks: done once everything is measured and printed.
  if (!flag('keep')) cleanup.push(dataDir);
  return result;
}

function dirSize(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirSize(p) : fs.statSync(p).size;
  }
  return total;
}

async function main() {
  const results: Record<string, unknown>[] = [];
  process.stderr.write(
    `cores ${os.cpus().length}, sharp concurrency ${sharp.concurrency()}, UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '(default 4)'}\n`,
  );
  if (!flag('photos-only')) results.push(await runOne('fashion-mnist-60k', await fashionPngs(), 28, 'gray'));
  if (!flag('small-only')) {
    const n = Number(opt('photos') ?? 2000);
    results.push(await runOne(`photos-1600x1200-${n}`, await photoJpegs(n), 64, 'rgb'));
  }
  clearInterval(sampler);
  process.stdout.write(
    JSON.stringify({ node: process.version, cpus: os.cpus().length, results }, null, 2) + '\n',
  );
  for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
}

void main();
