/**
 * Our rows for any network: training through the DataParallelTrainer (1 worker, and N workers), as the app
 * trains; inference single-threaded in this process with 1 worker (what a predict call without workers gets, at
 * batch B and batch 1), split over the workers with N (from their input buffer, as the app's predict fills it).
 */
import type { ModelSpec, TrainingConfig } from '../../../app/domain/model-spec';
import { buildModel } from '../../../native-workers/cnn/model';
import { adoptKernelMemory } from '../../../native-workers/kernels/adopt-kernel-memory';
import { type KernelChoice, kernelsBackend, kernelsFor } from '../../../native-workers/kernels/fast-kernels';
import type { BatchSource } from './bench-data';
import { imagesPerSecondWindows, median, round } from './common';
import { type TrainPlan, createTrainer, timeTrainStepsOn, trainFigures } from './ours-training';
import type { RawRow } from './rows';

export interface OursPlan extends TrainPlan {
  /** Forward passes per timed inference window. */
  inferBatches: number;
}

/** Trains and infers `spec` with `workers` workers; `expectParams` guards the architecture (reference CNN). */
export async function benchOurs(opts: {
  spec: ModelSpec;
  workers: number;
  choice: KernelChoice;
  source: BatchSource;
  batch: number;
  config: Pick<TrainingConfig, 'learningRate' | 'optimizer' | 'clipGradNorm'>;
  plan: OursPlan;
  trainingFlops: number;
  log: (line: string) => void;
  expectParams?: number;
  /** The optimizer steps on this thread instead of in the workers (the path AdamW took before; for comparison). */
  optimizerOnMainThread?: boolean;
}): Promise<RawRow> {
  const { spec, workers, choice, source, batch, plan, log } = opts;
  const {
    trainer: t,
    step,
    feed,
    optimizerWhere,
  } = await createTrainer(spec, workers, choice, batch, opts.config, opts.optimizerOnMainThread);
  try {
    if (opts.expectParams !== undefined && t.paramCount !== opts.expectParams)
      throw new Error(`param count ${t.paramCount} != ${opts.expectParams}`);
    const label = `ours ${workers} worker(s)`;
    const training = trainFigures(
      await timeTrainStepsOn(step, source, batch, plan, log, label, feed),
      opts.trainingFlops,
    );
    const xin = source.inferBatch(batch);
    const windows = Math.max(3, plan.windows);
    let inferWindows: number[];
    let batch1: number | undefined;
    if (workers === 1) {
      const model = buildModel(spec, {
        seed: 1,
        batchSize: batch,
        kernels: kernelsFor(choice),
        params: t.params.slice(),
      });
      if (t.stateCount > 0) model.state.set(t.readState(new Float32Array(t.stateCount)));
      if (kernelsBackend(choice).startsWith('wasm')) adoptKernelMemory(model);
      inferWindows = await imagesPerSecondWindows(
        () => model.forward(xin, { training: false }),
        batch,
        plan.inferBatches,
        windows,
      );
      const one = xin.subarray(0, source.inputSize);
      batch1 = median(
        await imagesPerSecondWindows(
          () => model.forward(one, { training: false }),
          1,
          plan.inferBatches * 4,
          windows,
        ),
      );
    } else {
      // the batch in the workers' input buffer, as the app's predict writes it (native-workers/training/predict.ts)
      const shared = t.inputBuffer().subarray(0, xin.length);
      shared.set(xin);
      inferWindows = await imagesPerSecondWindows(
        () => t.infer(shared, batch),
        batch,
        plan.inferBatches,
        windows,
      );
    }
    return {
      library: `cnn-studio${choice === 'auto' ? '' : ` ${choice}`} (${workers} worker${workers > 1 ? 's' : ''})`,
      version: '0.1.0',
      backend: `${t.backend}, ${workers} worker thread(s), ${optimizerWhere}; inference ${workers === 1 ? 'in-process, 1 thread' : `split over ${workers} workers`}`,
      workers,
      ...training,
      inferImagesPerSecond: round(median(inferWindows)),
      ...(batch1 !== undefined && { inferBatch1ImagesPerSecond: round(batch1) }),
      inferWindows: inferWindows.map((v) => round(v)),
      params: t.paramCount,
    };
  } finally {
    await t.close();
  }
}
