/**
 * Prediction latency and throughput: `npm run bench:predict [-- --files N] [--runs R] [--cache DIR] [--json]`
 * (or `node out/bench/bench-predict.js …` after `node scripts/build-node.mjs`). Models: the small preset with random
 * weights written as .cnnmodel files, a 28 px gray one and a 96 px RGB one (the work per image does not depend on
 * the weights). Prints figures; it is not a timed test.
 *
 *   (a) single-image latency, file → top-k, worker warm, median and p95 over R runs (default 30) of
 *       - PredictionService.predictFiles on one file (read + probe + decode/resize + tensor + worker + top-k),
 *       - a one-file batch (startBatch → 'prediction:finished', i.e. what a drop on the Predict view costs),
 *       - prediction:explain (top-k, the preview and the Grad-CAM overlay the view shows for one image),
 *       for each model on a 4,000×3,000 JPEG, plus the 28 px model on a Fashion-MNIST PNG;
 *   (b) batch throughput over N photo-sized JPEGs (default 10,000 files of 2,000×1,500, made once into a cache
 *       folder from 50 distinct sharp-made images copied under distinct names): a batch through
 *       PredictionService with the 96 px RGB model (and the 28 px one), img/s; in the same run the decoding alone
 *       (read + preprocessImage, same concurrency, no network) and the network alone (the worker on ready tensors),
 *       so the ratios show what bounds the batch.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { PredictionFinished } from '../../app/domain/prediction';
import { buildModel } from '../../native-workers/cnn/model';
import { preprocessingFor, writeModelFile } from '../../native-workers/cnn/model-file';
import { presetSpec } from '../../native-workers/cnn/presets';
import { preprocessImage } from '../../main/services/dataset/decode';
import { PredictionService, type PredictionDeps } from '../../main/services/prediction/prediction-service';
import type { EventSink } from '../../main/services/services';
import { runFiles } from '../../main/services/training/run-files';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const json = process.argv.includes('--json');
const FILES = Number(arg('--files', '10000'));
const RUNS = Math.max(30, Number(arg('--runs', '30')));
const root = path.resolve(__dirname, '../..');
const CACHE = path.resolve(arg('--cache', path.join(os.tmpdir(), 'cnn-bench-predict-photos')));
const smallSet = path.resolve(root, '../shared/datasets/fashion-mnist-small');
const workersDir = path.join(root, 'out', 'workers');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-bench-predict-'));
const BENCH_RUN = '00000000-0000-4000-8000-00000000be9c';
const log = (s: string) => {
  if (!json) console.log(s);
};

function modelBytes(size: number, channels: 1 | 3): Uint8Array {
  const spec = presetSpec('small', { height: size, width: size, channels }, 10);
  const model = buildModel(spec, { seed: 1, batchSize: 1 });
  return writeModelFile(model, {
    kind: 'cnnmodel',
    version: 1,
    labels: Array.from({ length: 10 }, (_, i) => `class ${i}`),
    preprocessing: preprocessingFor(spec),
    metrics: { accuracy: { train: null, val: null, test: null }, epochs: 0, bestEpoch: null },
    appVersion: 'bench',
    run: null,
    createdAt: new Date().toISOString(),
  });
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
const round = (x: number) => Math.round(x * 100) / 100;
const stats = (times: number[]) => ({
  medianMs: round(quantile(times, 0.5)),
  p95Ms: round(quantile(times, 0.95)),
  minMs: round(Math.min(...times)),
});

/**
 * A prediction service over two "projects" whose model is a file in a temporary folder (the batch API predicts
 * with a project's model): `gray28` and `rgb96`. Finished events are handed to the waiting bench.
 */
function benchService(): {
  service: PredictionService;
  finished: (batchId: string) => Promise<PredictionFinished>;
} {
  const waiting = new Map<string, (f: PredictionFinished) => void>();
  const events: EventSink = {
    emit(channel, payload) {
      if (channel === 'prediction:finished') {
        const f = payload as PredictionFinished;
        waiting.get(f.batchId)?.(f);
        waiting.delete(f.batchId);
      }
    },
  };
  for (const [id, size, channels] of [
    ['gray28', 28, 1],
    ['rgb96', 96, 3],
  ] as const) {
    const file = runFiles(path.join(temp, 'projects', id), BENCH_RUN).finalModel;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, modelBytes(size, channels));
  }
  const deps = {
    projects: { projectDir: (id: string) => path.join(temp, 'projects', id), dataDir: temp },
    runs: { modelRun: () => ({ id: BENCH_RUN }) },
    events,
  } as unknown as PredictionDeps;
  const service = new PredictionService(workersDir, deps);
  return {
    service,
    finished: (batchId) =>
      new Promise((resolve) => {
        waiting.set(batchId, resolve);
      }),
  };
}

async function latency(
  bench: ReturnType<typeof benchService>,
  projectId: string,
  image: string,
): Promise<{
  loadMs: number;
  predictFiles: ReturnType<typeof stats>;
  batch: ReturnType<typeof stats>;
  explain: ReturnType<typeof stats>;
}> {
  const { service, finished } = bench;
  const t0 = performance.now();
  await service.model({ projectId });
  const loadMs = round(performance.now() - t0);
  for (let i = 0; i < 3; i++) await service.predictFiles({ projectId }, [image]); // warm up
  const direct: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const [p] = await service.predictFiles({ projectId }, [image], { topK: 5 });
    direct.push(performance.now() - t);
    if (!('top' in p)) throw new Error(p.error);
  }
  const batch: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const { batchId } = service.startBatch(projectId, { projectId: projectId }, [image], 5);
    const f = await finished(batchId);
    batch.push(performance.now() - t);
    if (f.predicted !== 1) throw new Error(`batch: ${JSON.stringify(f)}`);
  }
  // prediction:explain (top-k, preview and Grad-CAM overlay): what the Predict view shows for one dropped image.
  const explain: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const e = await service.explain({ projectId }, image, { topK: 5 });
    explain.push(performance.now() - t);
    if (e.top.length !== 5) throw new Error('explain: no top-5');
  }
  return { loadMs, predictFiles: stats(direct), batch: stats(batch), explain: stats(explain) };
}

/** 50 distinct photo-like 2000×1500 JPEGs (smooth noise, shapes, text-free), copied to `count` names. */
async function photoFolder(count: number): Promise<string> {
  const dir = path.join(CACHE, `photos-2000x1500`);
  fs.mkdirSync(dir, { recursive: true });
  const sources: string[] = [];
  for (let s = 0; s < 50; s++) {
    const file = path.join(CACHE, `source-${String(s).padStart(2, '0')}.jpg`);
    if (!fs.existsSync(file)) {
      const w = 80;
      const h = 60;
      const noise = Buffer.alloc(w * h * 3);
      let x = (s + 1) * 2654435761;
      for (let i = 0; i < noise.length; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        noise[i] = x >>> 24;
      }
      const detail = Buffer.alloc(500 * 375 * 3);
      for (let i = 0; i < detail.length; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        detail[i] = 96 + (x >>> 27);
      }
      await sharp(noise, { raw: { width: w, height: h, channels: 3 } })
        .resize(2000, 1500, { kernel: 'cubic' })
        .composite([
          {
            input: await sharp(detail, { raw: { width: 500, height: 375, channels: 3 } })
              .resize(1000, 750)
              .png()
              .toBuffer(),
            left: 100 + 10 * s,
            top: 80 + 5 * s,
            blend: 'overlay',
          },
        ])
        .jpeg({ quality: 88 })
        .toFile(file);
    }
    sources.push(file);
  }
  const have = fs.readdirSync(dir).length;
  for (let i = have; i < count; i++)
    fs.copyFileSync(sources[i % sources.length], path.join(dir, `photo-${String(i).padStart(5, '0')}.jpg`));
  if (have > count) {
    // A folder of exactly `count` files: a subfolder of links to the first ones.
    const sub = path.join(CACHE, `first-${count}`);
    if (!fs.existsSync(sub) || fs.readdirSync(sub).length !== count) {
      fs.rmSync(sub, { recursive: true, force: true });
      fs.mkdirSync(sub);
      for (const f of fs.readdirSync(dir).sort().slice(0, count))
        fs.linkSync(path.join(dir, f), path.join(sub, f));
    }
    return sub;
  }
  return dir;
}

async function throughput(bench: ReturnType<typeof benchService>, projectId: string, folder: string) {
  const { service, finished } = bench;
  const t = performance.now();
  const { batchId } = service.startBatch(projectId, { projectId: projectId }, [folder], 5);
  const f = await finished(batchId);
  const seconds = (performance.now() - t) / 1000;
  if (f.failed > 0) throw new Error(`${f.failed} files failed`);
  return { images: f.predicted, seconds: round(seconds), imagesPerSecond: round(f.predicted / seconds) };
}

/** Read + preprocessImage alone, 8 at once (the batch's decode concurrency), no network. */
async function decodeOnly(folder: string, size: number, color: 'gray' | 'rgb') {
  const files = fs
    .readdirSync(folder)
    .sort()
    .map((f) => path.join(folder, f));
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < files.length) {
        const file = files[next++];
        await preprocessImage(await fs.promises.readFile(file), size, color);
      }
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  return { images: files.length, seconds: round(seconds), imagesPerSecond: round(files.length / seconds) };
}

/** The worker alone on ready tensors: batches of 32 for ~3 s. */
async function networkOnly(service: PredictionService, projectId: string) {
  const client = await service.model({ projectId });
  let images = 0;
  const t = performance.now();
  while (performance.now() - t < 3000) {
    const pixels = new Uint8Array(32 * client.imageSize).fill(128);
    await client.predict(pixels, 32);
    images += 32;
  }
  const seconds = (performance.now() - t) / 1000;
  return { images, seconds: round(seconds), imagesPerSecond: round(images / seconds) };
}

async function main(): Promise<void> {
  const bench = benchService();
  try {
    log(
      `cpus: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}; sharp concurrency ${sharp.concurrency()}`,
    );
    const jpeg = path.join(CACHE, 'photo-4000x3000.jpg');
    fs.mkdirSync(CACHE, { recursive: true });
    if (!fs.existsSync(jpeg)) {
      const noise = Buffer.alloc(400 * 300 * 3);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
      await sharp(noise, { raw: { width: 400, height: 300, channels: 3 } })
        .resize(4000, 3000)
        .jpeg({ quality: 90 })
        .toFile(jpeg);
    }
    const png = path.join(
      smallSet,
      'test',
      'Bag',
      fs.readdirSync(path.join(smallSet, 'test', 'Bag')).sort()[0],
    );
    log(`(a) single-image latency, file → top-5, worker warm, ${RUNS} runs (median / p95):`);
    const gray28Jpeg = await latency(bench, 'gray28', jpeg);
    const gray28Png = await latency(bench, 'gray28', png);
    const rgb96Jpeg = await latency(bench, 'rgb96', jpeg);
    const backend = (await bench.service.model({ projectId: 'gray28' })).backend;
    for (const [name, r] of [
      ['28 px gray, 4000×3000 JPEG', gray28Jpeg],
      ['28 px gray, 28×28 PNG     ', gray28Png],
      ['96 px RGB,  4000×3000 JPEG', rgb96Jpeg],
    ] as const)
      log(
        `  ${name}: predictFiles ${r.predictFiles.medianMs} / ${r.predictFiles.p95Ms} ms; ` +
          `one-file batch (start → finished event) ${r.batch.medianMs} / ${r.batch.p95Ms} ms; ` +
          `explain (top-5 + preview + Grad-CAM) ${r.explain.medianMs} / ${r.explain.p95Ms} ms (worker start ${r.loadMs} ms)`,
      );

    const t = performance.now();
    const folder = await photoFolder(FILES);
    log(
      `(b) batch throughput, ${FILES} JPEGs of 2000×1500 in ${folder} (prepared in ${round((performance.now() - t) / 1000)} s):`,
    );
    const rgb96Batch = await throughput(bench, 'rgb96', folder);
    const rgb96Decode = await decodeOnly(folder, 96, 'rgb');
    const rgb96Network = await networkOnly(bench.service, 'rgb96');
    log(
      `  96 px RGB: batch ${rgb96Batch.imagesPerSecond} img/s (${rgb96Batch.images} in ${rgb96Batch.seconds} s); ` +
        `decode alone ${rgb96Decode.imagesPerSecond} img/s; network alone ${rgb96Network.imagesPerSecond} img/s; ` +
        `batch/decode ${round(rgb96Batch.imagesPerSecond / rgb96Decode.imagesPerSecond)}`,
    );
    const gray28Batch = await throughput(bench, 'gray28', folder);
    const gray28Decode = await decodeOnly(folder, 28, 'gray');
    const gray28Network = await networkOnly(bench.service, 'gray28');
    log(
      `  28 px gray: batch ${gray28Batch.imagesPerSecond} img/s (${gray28Batch.images} in ${gray28Batch.seconds} s); ` +
        `decode alone ${gray28Decode.imagesPerSecond} img/s; network alone ${gray28Network.imagesPerSecond} img/s; ` +
        `batch/decode ${round(gray28Batch.imagesPerSecond / gray28Decode.imagesPerSecond)}`,
    );
    log(`kernels: ${backend}`);
    if (json)
      console.log(
        JSON.stringify({
          cpus: os.cpus().length,
          backend,
          runs: RUNS,
          latency: { gray28Jpeg, gray28Png, rgb96Jpeg },
          throughput: {
            files: FILES,
            rgb96: { batch: rgb96Batch, decodeOnly: rgb96Decode, networkOnly: rgb96Network },
            gray28: { batch: gray28Batch, decodeOnly: gray28Decode, networkOnly: gray28Network },
          },
        }),
      );
  } finally {
    await bench.service.dispose();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

void main();
