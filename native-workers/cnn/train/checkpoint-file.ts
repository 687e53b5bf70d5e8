/** Encoding a TrainerCheckpoint (with its model spec) as one binary buffer, for saving to disk between sessions. */
import type { ModelSpec } from '../../../app/domain/model-spec';
import { decodeBundle, encodeBundle, type Sections } from '../bundle';
import type { TrainerCheckpoint } from './trainer';

interface CheckpointHeader extends Omit<TrainerCheckpoint, 'params' | 'modelState' | 'optimizer'> {
  format: 'cnn-studio-checkpoint';
  spec: ModelSpec;
  optimizer: { type: TrainerCheckpoint['optimizer']['type']; step: number };
}

/** Packs a checkpoint and the model spec it belongs to (exact: floats are stored bit for bit). */
export function encodeCheckpoint(spec: ModelSpec, cp: TrainerCheckpoint): Uint8Array {
  const { params, modelState, optimizer, ...rest } = cp;
  const sections: Sections = { params, modelState };
  for (const [name, buf] of Object.entries(optimizer.buffers)) sections[`optimizer.${name}`] = buf;
  const header: CheckpointHeader = {
    format: 'cnn-studio-checkpoint',
    spec,
    ...rest,
    optimizer: { type: optimizer.type, step: optimizer.step },
  };
  return encodeBundle(header, sections);
}

/** Unpacks a buffer written by encodeCheckpoint. */
export function decodeCheckpoint(bytes: Uint8Array): { spec: ModelSpec; checkpoint: TrainerCheckpoint } {
  const { header, sections } = decodeBundle<CheckpointHeader>(bytes);
  if (header.format !== 'cnn-studio-checkpoint') throw new Error('not a checkpoint file');
  const { format: _format, spec, optimizer, ...rest } = header;
  const buffers: Record<string, Float32Array> = {};
  for (const [name, buf] of Object.entries(sections)) {
    if (name.startsWith('optimizer.')) buffers[name.slice('optimizer.'.length)] = buf;
  }
  return {
    spec,
    checkpoint: {
      ...rest,
      params: sections.params,
      modelState: sections.modelState,
      optimizer: { ...optimizer, buffers },
    },
  };
}
