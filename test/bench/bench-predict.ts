/**
 * Prediction latency and throughput: `npm run build && node out/bench/bench-predict.js [--json]`. For the
 * default preset (small) with random weights written as a .cnnmodel:
 *   1. a 28 px gray model and one Fashion-MNIST PNG: the worker's start (load once), then single-image
 *      predictFiles calls (read + preprocessImage + worker round trip + top-k), median and p95 of 50;
 *   2. a 96 px RGB model and one generated 4,000×3,000 JPEG: the same, 20 calls;
 *   3. a folder of the small Fashion-MNIST set's PNGs (up to 1,000) in one predictFiles call: images/s.
 * Prints the figures (one JSON object with --json).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { buildModel } from '../../native-workers/cnn/model';
import { preprocessingFor, writeModelFile } from '../../native-workers/cnn/model-file';
import { presetSpec } from '../../native-workers/cnn/presets';
import { PredictionService } from '../../main/services/prediction/prediction-service';

const json = process.argv.includes('--json');
const root = path.resolve(__dirname, '../..');
const smallSet = path.resolve(root, '../shared/datasets/fashion-mnist-small');
const workersDir = path.join(root, 'out', 'workers');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-bench-predict-'));

function modelFile(size: number, channels: 1 | 3, name: string): string {
  const spec = presetSpec('small', { height: size, width: size, channels }, 10);
  const model = buildModel(spec, { seed: 1, batchSize: 1 });
  const file = path.join(temp, name);
  fs.writeFileSync(
    file,
    writeModelFile(model, {
      kind: 'cnnmodel',
      version: 1,
      labels: Array.from({ length: 10 }, (_, i) => `class ${i}`),
      preprocessing: preprocessingFor(spec),
      metrics: { accuracy: { train: null, val: null, test: null }, epochs: 0, bestEpoch: null },
      appVersion: 'bench',
      run: null,
      createdAt: new Date().toISOString(),
    }),
  );
  return file;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
const round = (x: number) => Math.round(x * 100) / 100;

async function single(service: PredictionService, model: string, image: string, n: number) {
  const t0 = performance.now();
  await service.model({ modelFile: model });
  const loadMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const [p] = await service.predictFiles({ modelFile: model }, [image], { topK: 5 });
    times.push(performance.now() - t);
    if (!('top' in p)) throw new Error(p.error);
  }
  return {
    loadMs: round(loadMs),
    firstMs: round(times[0]),
    medianMs: round(quantile(times, 0.5)),
    p95Ms: round(quantile(times, 0.95)),
  };
}

async function main(): Promise<void> {
  const service = new PredictionService(workersDir);
  try {
    const png = path.join(
      smallSet,
      'test',
      'Bag',
      fs.readdirSync(path.join(smallSet, 'test', 'Bag')).sort()[0],
    );
    const gray28 = await single(service, modelFile(28, 1, 'gray28.cnnmodel'), png, 50);

    const jpeg = path.join(temp, 'photo.jpg');
    const noise = Buffer.alloc(400 * 300 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    await sharp(noise, { raw: { width: 400, height: 300, channels: 3 } })
      .resize(4000, 3000)
      .jpeg({ quality: 90 })
      .toFile(jpeg);
    const rgb96 = await single(service, modelFile(96, 3, 'rgb96.cnnmodel'), jpeg, 20);

    const folder = path.join(temp, 'folder');
    let count = 0;
    for (const split of ['train', 'test'])
      for (const cls of fs.readdirSync(path.join(smallSet, split)))
        for (const f of fs.readdirSync(path.join(smallSet, split, cls))) {
          if (count >= 1000) break;
          fs.mkdirSync(path.join(folder, cls), { recursive: true });
          fs.copyFileSync(path.join(smallSet, split, cls, f), path.join(folder, cls, `${split}-${f}`));
          count++;
        }
    const t = performance.now();
    const results = await service.predictFiles({ modelFile: path.join(temp, 'gray28.cnnmodel') }, [folder]);
    const seconds = (performance.now() - t) / 1000;
    const folderResult = {
      images: results.length,
      seconds: round(seconds),
      imagesPerSecond: Math.round(results.length / seconds),
    };

    const report = {
      gray28Png: gray28,
      rgb96Jpeg4000x3000: rgb96,
      folder28: folderResult,
      backend: (await service.model({ modelFile: path.join(temp, 'gray28.cnnmodel') })).backend,
    };
    if (json) console.log(JSON.stringify(report));
    else {
      console.log(`kernels: ${report.backend}`);
      console.log(
        `28 px gray, one PNG: worker start ${gray28.loadMs} ms; per image median ${gray28.medianMs} ms, p95 ${gray28.p95Ms} ms (first ${gray28.firstMs} ms)`,
      );
      console.log(
        `96 px RGB, one 4000×3000 JPEG: worker start ${rgb96.loadMs} ms; per image median ${rgb96.medianMs} ms, p95 ${rgb96.p95Ms} ms (first ${rgb96.firstMs} ms)`,
      );
      console.log(
        `folder of ${folderResult.images} 28 px PNGs: ${folderResult.seconds} s, ${folderResult.imagesPerSecond} images/s`,
      );
    }
  } finally {
    await service.dispose();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

void main();
