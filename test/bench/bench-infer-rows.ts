/**
 * The inference rows of `bench-cnn.js --preset P` alone, with longer windows, ours and onnxruntime-node in the
 * same process (for A/B runs of a kernel change on a busy machine: alternate two builds, compare the ratios):
 * `node out/bench/bench-infer-rows.js [--preset medium] [--size 96] [--batch 32] [--windows 7] [--workers 2]`.
 * Rows: 1 thread at batch B and 1 (ours in this process, as lib/ours-rows.ts), N workers / threads at batch B
 * (ours split over the DataParallelTrainer's workers); the app's ONNX export on onnxruntime-node's CPU provider.
 */
import { loadavg } from 'node:os';
import { buildModel } from '../../native-workers/cnn/model';
import { type PresetName, presetSpec } from '../../native-workers/cnn/presets';
import { ONNX_INPUT_NAME } from '../../native-workers/export/onnx-runtime';
import { kernelsFor } from '../../native-workers/kernels/fast-kernels';
import { DataParallelTrainer } from '../../native-workers/parallel/data-parallel-trainer';
import { argValue, imagesPerSecondWindows, median } from './lib/common';
import { exportSpecToOnnx, ortSessionOptions } from './lib/ort-peer';

type Ort = typeof import('onnxruntime-node');

const preset = argValue('preset', 'medium') as PresetName;
const size = argValue('size', 96);
const batch = argValue('batch', 32);
const windows = argValue('windows', 7);
const workers = argValue('workers', 2);
const spec = presetSpec(preset, { height: size, width: size, channels: 3 }, 10);
const inputSize = 3 * size * size;
const x = new Float32Array(batch * inputSize);
for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 0.5 + 0.5;
const one = x.subarray(0, inputSize);
/** Calls per window: about 0.3 s of work each at these presets' speeds. */
const callsB = argValue('calls', 30);
const calls1 = callsB * 8;

const rate = async (run: () => unknown, images: number, calls: number): Promise<number> =>
  Math.round(median(await imagesPerSecondWindows(run, images, calls, windows)));

async function main(): Promise<void> {
  const rows: Record<string, number> = {};
  const model = buildModel(spec, { seed: 1, batchSize: batch, kernels: kernelsFor('auto') });
  rows['ours 1 thread b' + batch] = await rate(() => model.forward(x, { training: false }), batch, callsB);
  rows['ours 1 thread b1'] = await rate(() => model.forward(one, { training: false }), 1, calls1);
  const t = await DataParallelTrainer.create({ spec, seed: 1, maxBatch: batch, workers });
  try {
    // the batch in the workers' input buffer, as the app's predict writes it (native-workers/training/predict.ts)
    const shared = t.inputBuffer().subarray(0, x.length);
    shared.set(x);
    rows[`ours ${workers} workers b${batch}`] = await rate(() => t.infer(shared, batch), batch, callsB);
  } finally {
    await t.close();
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as Ort;
  const bytes = exportSpecToOnnx(spec);
  for (const threads of [1, workers]) {
    const session = await ort.InferenceSession.create(bytes, ortSessionOptions(threads));
    const xb = new ort.Tensor('float32', x, [batch, 3, size, size]);
    const x1 = new ort.Tensor('float32', one, [1, 3, size, size]);
    rows[`ort ${threads} thread(s) b${batch}`] = await rate(
      () => session.run({ [ONNX_INPUT_NAME]: xb }),
      batch,
      callsB,
    );
    if (threads === 1)
      rows['ort 1 thread b1'] = await rate(() => session.run({ [ONNX_INPUT_NAME]: x1 }), 1, calls1);
    await session.release();
  }
  const ratio = (a: string, b: string) => +(rows[a] / rows[b]).toFixed(3);
  console.log(
    JSON.stringify({
      preset,
      load: loadavg().map((v) => +v.toFixed(2)),
      rows,
      ratios: {
        [`1 thread b${batch}`]: ratio(`ours 1 thread b${batch}`, `ort 1 thread(s) b${batch}`),
        b1: ratio('ours 1 thread b1', 'ort 1 thread b1'),
        [`${workers} b${batch}`]: ratio(
          `ours ${workers} workers b${batch}`,
          `ort ${workers} thread(s) b${batch}`,
        ),
      },
    }),
  );
}

void main();
