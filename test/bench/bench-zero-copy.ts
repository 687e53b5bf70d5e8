/**
 * A/B of the wasm kernels' memory models on one thread (prints figures; not a test): the reference core's Model
 * as is (each op copies its tensors into wasm memory and back) against the same Model with its activation and
 * gradient buffers moved into wasm memory (adoptKernelMemory, an experiment). Alternates the two for several
 * rounds and reports the best CPU time per training step of 64 and per inference batch of 64.
 */
import { buildModel } from '../../native-workers/cnn/model';
import { fastKernels } from '../../native-workers/kernels/fast-kernels';
import { REFERENCE_CNN, argValue, processCpuMs as cpuMs, round } from './lib/common';
import { fillBatch, loadSplit, shuffled } from './lib/fashion-mnist';
import { adoptKernelMemory } from '../../native-workers/kernels/adopt-kernel-memory';

function main(): void {
  const train = loadSplit('train');
  const idx = shuffled(train.n, 1);
  const BS = 64;
  const xb = new Float32Array(BS * 784);
  const yb = new Int32Array(BS);
  const models = {
    copying: buildModel(REFERENCE_CNN, { seed: 1, batchSize: BS, kernels: fastKernels() }),
    zeroCopy: buildModel(REFERENCE_CNN, { seed: 1, batchSize: BS, kernels: fastKernels() }),
  };
  adoptKernelMemory(models.zeroCopy);
  const best: Record<string, { train: number; infer: number }> = {};
  const steps = argValue('steps', 10);
  for (let round_ = 0; round_ < argValue('rounds', 6); round_++) {
    for (const [name, model] of Object.entries(models)) {
      let c0 = cpuMs();
      for (let i = 0; i < steps; i++) {
        fillBatch(train, idx, i * BS, BS, xb, yb);
        model.computeGradients(xb, yb);
      }
      const trainMs = (cpuMs() - c0) / steps;
      c0 = cpuMs();
      for (let i = 0; i < steps * 2; i++) model.forward(xb, { training: false });
      const inferMs = (cpuMs() - c0) / (steps * 2);
      const b = (best[name] ??= { train: Infinity, infer: Infinity });
      if (round_ > 0) {
        b.train = Math.min(b.train, trainMs);
        b.infer = Math.min(b.infer, inferMs);
      }
    }
  }
  for (const [name, b] of Object.entries(best)) {
    console.log(
      `${name.padEnd(9)} train step ${round(b.train, 2)} CPU-ms (${round((BS / b.train) * 1000)} img per CPU-s), ` +
        `infer batch ${round(b.infer, 2)} CPU-ms (${round((BS / b.infer) * 1000)} img per CPU-s)`,
    );
  }
}

main();
