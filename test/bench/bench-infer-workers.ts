/**
 * The fixed cost of an inference call split over the DataParallelTrainer's workers:
 * `node out/bench/bench-infer-workers.js [--preset medium] [--workers 2] [--calls 200]`: ms per call at batch
 * 1, 2, 8, 32 (wall) against the slowest worker's own compute time (what it reports), and the 1-thread forward.
 */
import { type PresetName, presetSpec } from '../../native-workers/cnn/presets';
import { DataParallelTrainer } from '../../native-workers/parallel/data-parallel-trainer';
import { argValue, median } from './lib/common';

const preset = argValue('preset', 'medium') as PresetName;
const size = argValue('size', 96);
const workers = argValue('workers', 2);
const calls = argValue('calls', 100);
const spec = presetSpec(preset, { height: size, width: size, channels: 3 }, 10);

async function main(): Promise<void> {
  const t = await DataParallelTrainer.create({ spec, seed: 1, maxBatch: 32, workers });
  try {
    const x = new Float32Array(32 * t.inputSize);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 0.5 + 0.5;
    const stats = (t as unknown as { stats: Float64Array }).stats;
    for (const b of [1, 2, 8, 16, 32, 2, 32]) {
      for (let i = 0; i < 10; i++) await t.infer(x, b);
      const wall: number[] = [];
      const compute: number[] = [];
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        await t.infer(x, b);
        wall.push(performance.now() - t0);
        let c = 0;
        for (let w = 0; w < workers; w++) c = Math.max(c, stats[w * 8 + 3]);
        compute.push(c);
      }
      const mw = median(wall);
      console.log(
        `batch ${b}: ${mw.toFixed(3)} ms per call (${((b / mw) * 1000).toFixed(0)} img/s), slowest worker's compute ${median(compute).toFixed(3)} ms`,
      );
    }
  } finally {
    await t.close();
  }
}

void main();
