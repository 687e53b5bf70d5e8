/**
 * Latency of one explanation (explainImage: read + decode + preprocess + preview + worker Grad-CAM), median of 20
 * after a warm-up, for a 28 px gray model on a Fashion-MNIST PNG and on a 4,000×3,000 JPEG, and for 96 px RGB models
 * (and the `large` preset at 128 px, issue 10's bound) on the JPEG. The medians are printed; the assertions are
 * loose bounds (other tests share the machine), the targets of issue 9 are 50 ms (28 px) and 100 ms (96 px RGB).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainImage } from '../../../main/services/prediction/explain-image';
import { InferenceClient } from '../../../main/services/prediction/inference-client';
import { predictFiles } from '../../../main/services/prediction/predict-files';
import { buildModel } from '../../../native-workers/cnn/model';
import { preprocessingFor, writeModelFile } from '../../../native-workers/cnn/model-file';
import { presetSpec, type PresetName } from '../../../native-workers/cnn/presets';
import { Rng } from '../../../native-workers/cnn/rng';
import { makeTempDir } from '../../support/temp-dir';
import { FASHION_SMALL } from '../../unit/dataset/fixtures';

const WORKERS = path.resolve(__dirname, '../../../out/workers');
const RUNS = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function writeModel(file: string, preset: PresetName, size: number, channels: 1 | 3): void {
  const spec = presetSpec(preset, { height: size, width: size, channels }, 10);
  const model = buildModel(spec, { seed: 1, batchSize: 1 });
  const labels = Array.from({ length: 10 }, (_, i) => `class ${i}`);
  const meta = {
    kind: 'cnnmodel' as const,
    version: 1 as const,
    labels,
    preprocessing: preprocessingFor(spec),
    metrics: { accuracy: { train: null, val: null, test: null }, epochs: 0, bestEpoch: null },
    appVersion: '0.0.0-test',
    run: null,
    createdAt: new Date().toISOString(),
  };
  fs.writeFileSync(file, writeModelFile(model, meta));
}

/** A photo-sized JPEG: smooth colour gradients with some noise (≈ a few MB). */
async function writePhoto(file: string): Promise<void> {
  const w = 4000;
  const h = 3000;
  const raw = Buffer.alloc(w * h * 3);
  const rng = new Rng(1);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      const n = rng.uniform() * 24;
      raw[o] = Math.min(255, (x / w) * 200 + n);
      raw[o + 1] = Math.min(255, (y / h) * 200 + n);
      raw[o + 2] = Math.min(255, 128 + 100 * Math.sin((x + y) / 150) + n / 2);
    }
  await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 90 })
    .toFile(file);
}

interface Timing {
  total: number;
  decode: number;
  network: number;
  predict: number;
}

async function measure(client: InferenceClient, image: string): Promise<Timing> {
  const totals: number[] = [];
  const decode: number[] = [];
  const network: number[] = [];
  const predict: number[] = [];
  await explainImage(client, image, { topK: 5 }); // warm-up
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const e = await explainImage(client, image, { topK: 5 });
    totals.push(performance.now() - t0);
    decode.push(e.millis.decode);
    network.push(e.millis.network);
    const t1 = performance.now();
    await predictFiles(client, [image], { topK: 5 });
    predict.push(performance.now() - t1);
  }
  return {
    total: median(totals),
    decode: median(decode),
    network: median(network),
    predict: median(predict),
  };
}

describe('explain latency (median of 20)', () => {
  let temp: { dir: string; cleanup: () => void };
  let photo: string;
  const png = path.join(
    FASHION_SMALL,
    'test',
    'Bag',
    fs.readdirSync(path.join(FASHION_SMALL, 'test', 'Bag'))[0],
  );
  const report: string[] = [];

  beforeAll(async () => {
    temp = makeTempDir('cnn-explain-latency-');
    photo = path.join(temp.dir, 'photo.jpg');
    await writePhoto(photo);
  });
  afterAll(() => {
    const mb = photo && fs.existsSync(photo) ? (fs.statSync(photo).size / 1e6).toFixed(1) : '?';
    console.log(`explain latency, median of ${RUNS} (ms; JPEG ${mb} MB):\n${report.join('\n')}`);
    temp?.cleanup();
  });

  const cases: [string, PresetName, number, 1 | 3, 'png' | 'jpeg', number][] = [
    ['28 px gray small, 28×28 PNG', 'small', 28, 1, 'png', 500],
    ['28 px gray small, 4000×3000 JPEG', 'small', 28, 1, 'jpeg', 1000],
    ['96 px RGB small, 4000×3000 JPEG', 'small', 96, 3, 'jpeg', 1000],
    ['96 px RGB medium, 4000×3000 JPEG', 'medium', 96, 3, 'jpeg', 1500],
    ['128 px RGB large, 4000×3000 JPEG', 'large', 128, 3, 'jpeg', 3000],
  ];
  for (const [name, preset, size, channels, kind, bound] of cases) {
    it(name, async () => {
      const file = path.join(temp.dir, `${preset}-${size}-${channels}.cnnmodel`);
      writeModel(file, preset, size, channels);
      const client = await InferenceClient.open(WORKERS, file);
      try {
        const t = await measure(client, kind === 'png' ? png : photo);
        const f = (x: number) => x.toFixed(1).padStart(7);
        report.push(
          `${name.padEnd(36)} total ${f(t.total)}  decode ${f(t.decode)}  network ${f(t.network)}  ` +
            `(predict, same file: ${f(t.predict)}; ${client.backend})`,
        );
        expect(t.total).toBeLessThan(bound);
      } finally {
        await client.close();
      }
    });
  }
});
