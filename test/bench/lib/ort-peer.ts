/**
 * onnxruntime-node as an inference peer: the same network (its initial weights: speed does not depend on them)
 * written to ONNX by the app's own export (main/services/export/onnx/onnx-export.ts, what `cnn-studio export`
 * writes), run by onnxruntime-node's CPU provider with intraOpNumThreads = 1 and N, all graph optimisations,
 * at batch B and batch 1. Its graph ends in a softmax (the export's `probabilities`), ours in the logits: a few
 * hundred FLOPs, nothing against the network.
 */
import type { ModelSpec } from '../../../app/domain/model-spec';
import { exportOnnx } from '../../../main/services/export/onnx/onnx-export';
import { buildModel } from '../../../native-workers/cnn/model';
import { ONNX_INPUT_NAME } from '../../../native-workers/export/onnx-runtime';
import type { BatchSource } from './bench-data';
import { imagesPerSecondWindows, median, round } from './common';
import type { RawRow } from './rows';

type Ort = typeof import('onnxruntime-node');

/** The spec's ONNX bytes as the app exports them (seed-1 initial weights, default batch norm state). */
/** The CPU provider's options for every onnxruntime row: `threads` intra-op threads, sequential, all optimisations. */
export function ortSessionOptions(threads: number) {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  } as const;
}

export function exportSpecToOnnx(spec: ModelSpec): Uint8Array {
  const m = buildModel(spec, { seed: 1, batchSize: 1 });
  return exportOnnx(spec, m.params, m.state, {
    labels: Array.from({ length: spec.numClasses }, (_, i) => `class ${i}`),
    appVersion: '0.1.0',
    inputSize: spec.input.height,
    color: spec.input.channels === 1 ? 'gray' : 'rgb',
    preprocessing: 'benchmark input, already float32 NCHW',
  });
}

/** One row per thread count; [] when onnxruntime-node does not load. */
export async function benchOnnxRuntime(opts: {
  spec: ModelSpec;
  source: BatchSource;
  batch: number;
  threads: number[];
  inferBatches: number;
  windows: number;
  log: (line: string) => void;
}): Promise<RawRow[]> {
  const { spec, source, batch, log } = opts;
  let ort: Ort;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ort = require('onnxruntime-node') as Ort;
  } catch (e) {
    log(`onnxruntime-node not available (${String(e).slice(0, 200)}), skipped`);
    return [];
  }
  const bytes = exportSpecToOnnx(spec);
  const { channels: C, height: H, width: W } = spec.input;
  const x = new ort.Tensor('float32', source.inferBatch(batch), [batch, C, H, W]);
  const one = new ort.Tensor('float32', source.inferBatch(1), [1, C, H, W]);
  const version = (ort.env as { versions?: { node?: string } }).versions?.node ?? '';
  const rows: RawRow[] = [];
  for (const threads of opts.threads) {
    log(`onnxruntime-node, ${threads} thread(s)…`);
    const session = await ort.InferenceSession.create(bytes, ortSessionOptions(threads));
    try {
      const windows = Math.max(3, opts.windows);
      const inferWindows = await imagesPerSecondWindows(
        () => session.run({ [ONNX_INPUT_NAME]: x }),
        batch,
        opts.inferBatches,
        windows,
      );
      const batch1 = await imagesPerSecondWindows(
        () => session.run({ [ONNX_INPUT_NAME]: one }),
        1,
        opts.inferBatches * 4,
        windows,
      );
      rows.push({
        library: `onnxruntime-node (${threads} thread${threads > 1 ? 's' : ''})`,
        version,
        backend: `CPU provider, intraOpNumThreads ${threads}, graph optimisation all, the app's ONNX export (${round(bytes.length / 1e6, 2)} MB)`,
        threads,
        trainImagesPerSecond: null,
        inferImagesPerSecond: round(median(inferWindows)),
        inferBatch1ImagesPerSecond: round(median(batch1)),
        inferWindows: inferWindows.map((v) => round(v)),
      });
    } finally {
      await session.release();
    }
  }
  return rows;
}
