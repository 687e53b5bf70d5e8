/**
 * A run's checkpoint file: everything needed to continue a run exactly as if it had never stopped.
 *  - the Trainer's checkpoint (weights, batchnorm statistics, optimizer state, augmentation RNG, data order
 *    position, running epoch totals, epoch history),
 *  - the data-parallel trainer's part (its Adam moments and step when the optimizer runs in the workers, and each
 *    replica's batchnorm statistics and dropout RNG),
 *  - the run loop's own state (early stopping, timing).
 * Floats are stored bit for bit (bundle.ts); RNG words go in the JSON header (int32 does not fit float32 exactly).
 */
import type { ModelSpec } from '../../app/domain/model-spec';
import { decodeBundle, encodeBundle, type Sections } from '../cnn/bundle';
import type { TrainerCheckpoint } from '../cnn/train/trainer';
import type { DataParallelCheckpoint } from '../parallel/data-parallel-trainer';
import type { WorkerEpoch } from './messages';

/** The run loop's state beside the trainers'. */
export interface LoopState {
  /** 1-based epoch with the lowest validation loss so far (null before the first epoch). */
  bestEpoch: number | null;
  bestValLoss: number | null;
  epochsSinceBest: number;
  /** Seconds spent in training steps (not validation), and the images they trained, over the whole run. */
  trainSeconds: number;
  imagesTrained: number;
  /** Every finished epoch's figures. */
  epochs: WorkerEpoch[];
}

export interface RunCheckpoint {
  spec: ModelSpec;
  trainer: TrainerCheckpoint;
  dataParallel: DataParallelCheckpoint;
  loop: LoopState;
}

const FORMAT = 'cnn-studio-run-checkpoint';

export function encodeRunCheckpoint(cp: RunCheckpoint): Uint8Array {
  const { params, modelState, optimizer, ...trainerRest } = cp.trainer;
  const { params: _dpParams, adamM, adamV, replicaStates, replicaRngs, ...dpRest } = cp.dataParallel;
  void _dpParams; // the same buffer as the trainer's params
  const sections: Sections = {
    params,
    modelState,
    'dp.adamM': adamM,
    'dp.adamV': adamV,
    'dp.replicaStates': replicaStates,
  };
  for (const [name, buf] of Object.entries(optimizer.buffers)) sections[`optimizer.${name}`] = buf;
  const header = {
    format: FORMAT,
    spec: cp.spec,
    trainer: { ...trainerRest, optimizer: { type: optimizer.type, step: optimizer.step } },
    dataParallel: { ...dpRest, replicaRngs: Array.from(replicaRngs) },
    loop: cp.loop,
  };
  return encodeBundle(header, sections);
}

type Header = {
  format: string;
  spec: ModelSpec;
  trainer: Omit<TrainerCheckpoint, 'params' | 'modelState' | 'optimizer'> & {
    optimizer: { type: TrainerCheckpoint['optimizer']['type']; step: number };
  };
  dataParallel: Omit<
    DataParallelCheckpoint,
    'params' | 'adamM' | 'adamV' | 'replicaStates' | 'replicaRngs'
  > & {
    replicaRngs: number[];
  };
  loop: LoopState;
};

export function decodeRunCheckpoint(bytes: Uint8Array): RunCheckpoint {
  const { header, sections } = decodeBundle<Header>(bytes);
  if (header.format !== FORMAT) throw new Error('not a run checkpoint');
  const need = (name: string): Float32Array => {
    const s = sections[name];
    if (!s) throw new Error(`checkpoint has no ${name} section`);
    return s;
  };
  const buffers: Record<string, Float32Array> = {};
  for (const [name, buf] of Object.entries(sections))
    if (name.startsWith('optimizer.')) buffers[name.slice('optimizer.'.length)] = buf;
  const params = need('params');
  return {
    spec: header.spec,
    trainer: {
      ...header.trainer,
      params,
      modelState: need('modelState'),
      optimizer: { ...header.trainer.optimizer, buffers },
    },
    dataParallel: {
      ...header.dataParallel,
      params,
      adamM: need('dp.adamM'),
      adamV: need('dp.adamV'),
      replicaStates: need('dp.replicaStates'),
      replicaRngs: Int32Array.from(header.dataParallel.replicaRngs),
    },
    loop: header.loop,
  };
}
