/**
 * Which training configs the shard workers can optimize themselves (DataParallelTrainer.trainStep: each worker
 * clips and steps its slice of the parameters), and the hyper-parameters that give them the Trainer's semantics
 * (createOptimizer with the decay mask, then clip.ts). Used by the app's training loop and by the benchmark, so
 * both take the same path.
 */
import type { TrainingConfig } from '../../app/domain/model-spec';

/** Adam and AdamW (any weight decay, with or without clipping) run in the workers; SGD on the Trainer's thread. */
export function optimizerInWorkers(config: Pick<TrainingConfig, 'optimizer'>): boolean {
  const type = config.optimizer.type;
  return type === 'adam' || type === 'adamw';
}

/** The workers' optimizer settings for a config of optimizerInWorkers (learning rate: the schedule's, per step). */
export interface WorkerOptimizerHyper {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  /** Global-norm clipping threshold, or null for none. */
  clipGradNorm: number | null;
}

/** createAdam's defaults (native-workers/cnn/optim/adam.ts), so that both paths train alike. */
export function workerOptimizerHyper(
  config: Pick<TrainingConfig, 'optimizer' | 'clipGradNorm'>,
): WorkerOptimizerHyper {
  const o = config.optimizer;
  if (o.type === 'sgd') throw new Error('SGD runs on the Trainer, not in the shard workers');
  const decoupled = o.type === 'adamw';
  return {
    beta1: o.beta1 ?? 0.9,
    beta2: o.beta2 ?? 0.999,
    eps: o.epsilon ?? 1e-8,
    weightDecay: o.weightDecay ?? (decoupled ? 0.01 : 0),
    decoupled,
    clipGradNorm: config.clipGradNorm ?? null,
  };
}
