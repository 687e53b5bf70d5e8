/**
 * Inference, ours against onnxruntime-node on one thread, in ALTERNATING rounds in one process:
 * `node out/bench/bench-infer-ab.js [--preset reference|medium|large] [--size PX] [--batch B] [--rounds 9]`.
 * `npm run bench` times each library once, one after the other, and this host's speed drifts by 20–40 % within
 * seconds, so its ours/onnxruntime ratio moves by as much from run to run. Here each round times ours, then
 * onnxruntime (the app's ONNX export of the same network, intraOpNumThreads 1), at batch B and at batch 1, and the
 * ratio is taken per round, so both see the same host speed; the median of the rounds' ratios is printed.
 */
import { buildModel } from '../../native-workers/cnn/model';
import { type PresetName, presetSpec } from '../../native-workers/cnn/presets';
import { ONNX_INPUT_NAME } from '../../native-workers/export/onnx-runtime';
import { fastKernelsBackend, kernelsFor } from '../../native-workers/kernels/fast-kernels';
import { argValue, median } from './lib/common';
import { exportSpecToOnnx, ortSessionOptions } from './lib/ort-peer';

type Ort = typeof import('onnxruntime-node');

async function main(): Promise<void> {
  const preset = argValue('preset', 'reference') as PresetName;
  const reference = preset === 'reference';
  const size = argValue('size', reference ? 28 : 96);
  const channels = reference ? 1 : 3;
  const batch = argValue('batch', reference ? 64 : 32);
  const rounds = argValue('rounds', 9);
  const spec = presetSpec(preset, { height: size, width: size, channels }, 10);
  const model = buildModel(spec, { seed: 1, batchSize: batch, kernels: kernelsFor('auto') });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as Ort;
  const session = await ort.InferenceSession.create(exportSpecToOnnx(spec), ortSessionOptions(1));
  const inputSize = channels * size * size;
  const x = Float32Array.from({ length: batch * inputSize }, (_, i) => Math.sin(i * 0.37) * 0.5 + 0.5);
  const cases = [batch, 1].map((n) => ({
    n,
    ours: () => model.forward(x.subarray(0, n * inputSize), { training: false }),
    ort: new ort.Tensor('float32', x.subarray(0, n * inputSize), [n, channels, size, size]),
  }));
  // about 0.3 s per library and case per round, from a first timing
  const timeCalls = async (run: () => unknown, calls: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await run();
    return (performance.now() - t0) / calls;
  };
  console.log(`${preset} ${size}×${size}×${channels}, kernels ${fastKernelsBackend()}, ${rounds} rounds`);
  for (const c of cases) {
    const runOrt = () => session.run({ [ONNX_INPUT_NAME]: c.ort });
    const calls = Math.max(5, Math.round(300 / (await timeCalls(c.ours, 20))));
    await timeCalls(runOrt, calls >> 2);
    const ours: number[] = [];
    const peer: number[] = [];
    const ratio: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(await timeCalls(c.ours, calls));
      peer.push(await timeCalls(runOrt, calls));
      ratio.push(peer[r] / ours[r]);
    }
    const ips = (ms: number) => Math.round((c.n / ms) * 1000);
    console.log(
      `  batch ${c.n}: ours ${ips(median(ours))} img/s, onnxruntime ${ips(median(peer))} img/s (medians); ` +
        `ours / onnxruntime per round: median ${median(ratio).toFixed(2)}, ` +
        `range ${Math.min(...ratio).toFixed(2)}–${Math.max(...ratio).toFixed(2)}`,
    );
  }
  await session.release();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
