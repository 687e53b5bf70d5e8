/**
 * The file being imported, read into a spec, weights and what it says about itself: our `.cnnmodel` (or a run's
 * final.model: the same container, recognised by its signature whatever the extension) or an ONNX file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { InputSpec, ModelSpec } from '../../../app/domain/model-spec';
import type { ImportedModelFormat } from '../../../app/domain/training-package';
import { AppFailure } from '../../../app/ipc/result';
import { ModelFileError, readModelFile } from '../../../native-workers/cnn/model-file';
import { readModelHeader } from '../../../native-workers/cnn/serialize';
import { importOnnx } from './onnx-import';

/** Larger files are not classifiers of this app (the large preset at 128 px is ~10 MB). */
const MAX_MODEL_BYTES = 512 * 1024 * 1024;

export interface ModelSource {
  format: ImportedModelFormat;
  spec: ModelSpec;
  params: Float32Array;
  state: Float32Array;
  /** Class names the file carries (null: an ONNX file without our metadata, or a bare final.model). */
  labels: string[] | null;
  /** What a .cnnmodel says of its training (null for ONNX). */
  trained: { epochs: number; bestEpoch: number | null; valAccuracy: number | null } | null;
}

export function unreadableFile(file: string, reason: string): AppFailure {
  return new AppFailure('invalid-payload', `Cannot import ${file}: ${reason}.`, {
    code: 'import-model-unreadable',
    file: path.basename(file),
    reason,
  });
}

export function readModelSource(file: string, fallbackInput: InputSpec): ModelSource {
  let bytes: Uint8Array;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw unreadableFile(file, 'it is not a file');
    if (stat.size > MAX_MODEL_BYTES) throw unreadableFile(file, 'it is too large for a model file');
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadableFile(file, code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
  const signature = String.fromCharCode(...bytes.subarray(0, 4));
  if (signature === 'CNNS') {
    try {
      const contents = readModelFile(bytes);
      const { metrics } = contents.meta;
      return {
        format: 'cnnmodel',
        spec: contents.spec,
        params: contents.params,
        state: contents.state,
        // a bare final.model without class names gets "class N" placeholders: not labels to match by name
        labels:
          contents.source === 'run' && !Array.isArray(readModelHeader(bytes).meta?.classNames)
            ? null
            : contents.meta.labels,
        trained: { epochs: metrics.epochs, bestEpoch: metrics.bestEpoch, valAccuracy: metrics.accuracy.val },
      };
    } catch (error) {
      if (error instanceof ModelFileError) throw unreadableFile(file, error.message);
      throw error;
    }
  }
  if (path.extname(file).toLowerCase() !== '.onnx')
    throw new AppFailure(
      'invalid-payload',
      `Cannot import ${file}: it is neither a CNN Studio model (.cnnmodel) nor an ONNX file (.onnx).`,
      { code: 'import-model-unknown-format', file: path.basename(file) },
    );
  const onnx = importOnnx(bytes, fallbackInput);
  return { format: 'onnx', ...onnx, trained: null };
}
