/**
 * Saving and loading a trained model: the spec plus all parameters and batchnorm running statistics in one
 * binary buffer (see bundle.ts). The round trip is exact.
 */
import type { ModelSpec } from '../../app/domain/model-spec';
import { decodeBundle, encodeBundle } from './bundle';
import type { KernelSet } from './kernel-set';
import { buildModel, type Model } from './model';

/** The JSON header of a model file. */
export interface ModelFileHeader {
  format: 'cnn-studio-model';
  spec: ModelSpec;
  /** Free-form metadata for the app (class names, training summary…). */
  meta?: Record<string, unknown>;
}

/** Encodes the model's spec, parameters and state. */
export function serializeModel(model: Model, meta?: Record<string, unknown>): Uint8Array {
  const header: ModelFileHeader = { format: 'cnn-studio-model', spec: model.spec, ...(meta ? { meta } : {}) };
  return encodeBundle(header, { params: model.params, state: model.state });
}

/** Reads a model file's header (spec and metadata) without building the model. */
export function readModelHeader(bytes: Uint8Array): ModelFileHeader {
  const { header } = decodeBundle<ModelFileHeader>(bytes);
  if (header.format !== 'cnn-studio-model')
    throw new Error(`not a model file (format ${String(header.format)})`);
  return header;
}

/** Builds a model from a file written by serializeModel. */
export function deserializeModel(
  bytes: Uint8Array,
  options: { batchSize: number; kernels?: KernelSet },
): { model: Model; meta?: Record<string, unknown> } {
  const { header, sections } = decodeBundle<ModelFileHeader>(bytes);
  if (header.format !== 'cnn-studio-model')
    throw new Error(`not a model file (format ${String(header.format)})`);
  const model = buildModel(header.spec, { ...options, seed: 0, skipInit: true });
  model.loadParams(sections.params, sections.state);
  return { model, meta: header.meta };
}
