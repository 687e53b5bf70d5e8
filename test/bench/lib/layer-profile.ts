/**
 * Per-layer profile (--profile): where one training step and one inference pass of a network go, single thread
 * in this process with the default kernels. Each layer of a built model is put behind a timing Proxy (the model
 * calls its layers through its layers array; a layer fused with the following ReLU at inference counts as that
 * layer). Times are process CPU time (only this thread works here, so it
 * is robust to other load on the machine), the mean over `steps` steps after a warm-up.
 */
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { Layer } from '../../../native-workers/cnn/layers/layer';
import { buildModel } from '../../../native-workers/cnn/model';
import { adoptKernelMemory } from '../../../native-workers/kernels/adopt-kernel-memory';
import { fastKernelsBackend, kernelsFor } from '../../../native-workers/kernels/fast-kernels';
import type { BatchSource } from './bench-data';
import { processCpuMs as cpuMs, round } from './common';
import type { ModelFlops } from './flops';

export interface LayerProfileRow {
  index: number;
  label: string;
  /** Mean ms per step (batch `batch`). */
  forwardMs: number;
  backwardMs: number;
  inferenceMs: number;
  /** FLOPs per step (the batch), lib/flops.ts's convention. */
  forwardMflop: number;
  backwardMflop: number;
  forwardGflops: number | null;
  backwardGflops: number | null;
  /** (forward + backward) / the whole training step. */
  shareOfStep: number;
}

export interface LayerProfile {
  kernels: string;
  clock: string;
  batch: number;
  stepMs: number;
  /** The step minus its layers: loss, zeroing the gradients, glue (no optimizer: the profile times gradients). */
  otherMs: number;
  inferenceMs: number;
  layers: LayerProfileRow[];
}

/** Time spent in one layer's forward* and backward* methods. */
interface LayerClock {
  forwardMs: number;
  backwardMs: number;
}

/**
 * The layer behind a Proxy that times every call of a method named forward… or backward… (forward, forwardRelu,
 * and any fused variant a faster KernelSet brings later) and passes everything else through unchanged, so the
 * model takes exactly the paths it takes without the profile.
 */
function timedLayer(layer: Layer, clock: LayerClock): Layer {
  return new Proxy(layer, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      const phase = key.startsWith('backward')
        ? 'backwardMs'
        : key.startsWith('forward')
          ? 'forwardMs'
          : null;
      if (!phase) return value;
      return (...args: unknown[]) => {
        const t0 = cpuMs();
        const r: unknown = value.apply(target, args);
        clock[phase] += cpuMs() - t0;
        return r;
      };
    },
  });
}

export function profileLayers(
  spec: ModelSpec,
  source: BatchSource,
  batch: number,
  flops: ModelFlops,
  steps = 10,
): LayerProfile {
  const kernels = fastKernelsBackend();
  const model = buildModel(spec, { seed: 1, batchSize: batch, kernels: kernelsFor('auto') });
  if (kernels.startsWith('wasm')) adoptKernelMemory(model);
  const timed: LayerClock[] = model.layers.map(() => ({ forwardMs: 0, backwardMs: 0 }));
  model.layers.forEach((l, i) => (model.layers[i] = timedLayer(l, timed[i])));
  const reset = () => timed.forEach((t) => (t.forwardMs = t.backwardMs = 0));
  const x = new Float32Array(batch * source.inputSize);
  const y = new Int32Array(batch);
  const run = (fn: (i: number) => void): number => {
    for (let i = 0; i < 3; i++) fn(i);
    reset();
    const t0 = cpuMs();
    for (let i = 0; i < steps; i++) fn(i);
    return (cpuMs() - t0) / steps;
  };
  const stepMs = run((i) => {
    source.fill(i * batch, batch, x, y);
    model.computeGradients(x, y);
  });
  const train = timed.map((t) => [t.forwardMs / steps, t.backwardMs / steps]);
  const xin = source.inferBatch(batch);
  const inferenceMs = run(() => model.forward(xin, { training: false }));
  const gflops = (flop: number, ms: number) => (flop > 0 && ms > 0 ? round(flop / ms / 1e6, 1) : null);
  const layers = timed.map((t, i): LayerProfileRow => {
    const [f, b] = train[i];
    const lf = flops.layers[i];
    return {
      index: i,
      label: lf.label,
      forwardMs: round(f, 3),
      backwardMs: round(b, 3),
      inferenceMs: round(t.forwardMs / steps, 3),
      forwardMflop: round((lf.forward * batch) / 1e6, 2),
      backwardMflop: round((lf.backward * batch) / 1e6, 2),
      forwardGflops: gflops(lf.forward * batch, f),
      backwardGflops: gflops(lf.backward * batch, b),
      shareOfStep: round((f + b) / stepMs, 3),
    };
  });
  const layersMs = train.reduce((a, [f, b]) => a + f + b, 0);
  return {
    kernels,
    clock: 'process CPU time, single thread',
    batch,
    stepMs: round(stepMs, 2),
    otherMs: round(stepMs - layersMs, 2),
    inferenceMs: round(inferenceMs, 2),
    layers,
  };
}
