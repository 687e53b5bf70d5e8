/**
 * What a DataParallelTrainer is built from and what a step reports, and where its worker script is found.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSpec } from '../../app/domain/model-spec';
import type { KernelChoice } from '../kernels/fast-kernels';

export interface DataParallelOptions {
  spec: ModelSpec;
  seed: number;
  /** Largest batch passed to step/infer. */
  maxBatch: number;
  /** Defaults to the number of CPU cores. */
  workers?: number;
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Applied to conv and dense weights only (cnn/params.ts decayMask), as L2 or, when decoupled, as AdamW's. */
  weightDecay?: number;
  decoupled?: boolean;
  /** trainStep clips the reduced gradient to this global L2 norm (optim/clip.ts); none when absent or null. */
  clipGradNorm?: number | null;
  /** Path of the bundled train-shard-worker.js; found next to this bundle or in ./out/workers by default. */
  workerPath?: string;
  /** Kernel backend in the workers (default 'auto' = fastKernels(): native, else wasm, else reference). */
  kernels?: KernelChoice;
  /** Replicas keep their activations in wasm memory (no per-op copies; see adoptKernelMemory). Default true. */
  zeroCopy?: boolean;
  /** Initial parameters (else initialised from the seed, exactly like buildModel). */
  params?: Float32Array;
  /** Initial batchnorm running statistics (else the defaults). */
  state?: Float32Array;
}

export interface StepResult {
  /** Mean loss over the batch. */
  loss: number;
  correct: number;
  count: number;
  /** Slowest shard's forward+backward time and reduce+update time (ms). */
  computeMs: number;
  reduceMs: number;
  /** trainStep with clipping: the global norm of the reduced gradient before clipping; else NaN. */
  gradNorm: number;
}

/** Finds out/workers/train-shard-worker.js from a bundle in out/<x>/ or from the repo root. */
export function resolveShardWorkerPath(): string {
  const candidates = [
    typeof __dirname === 'string' ? join(__dirname, '../workers/train-shard-worker.js') : '',
    typeof __dirname === 'string' ? join(__dirname, '../../out/workers/train-shard-worker.js') : '',
    join(process.cwd(), 'out/workers/train-shard-worker.js'),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      `train-shard-worker.js not found (run npm run build); looked in ${candidates.join(', ')}`,
    );
  return found;
}
