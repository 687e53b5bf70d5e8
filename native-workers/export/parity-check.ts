/**
 * The parity check itself (run by native-workers/export-parity-worker.ts, off the main thread): loads the exported
 * model from the export folder with the runtime other apps would use — onnxruntime-web (WebAssembly) for ONNX,
 * @tensorflow/tfjs's cpu backend for TF.js, our own reader for .cnnmodel — and compares it with the app's model.
 * Both runtimes are imported on first use, so neither is loaded unless that format is checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExportParity } from '../../app/domain/model-export';
import { readModelFile, type ModelFileContents } from '../cnn/model-file';
import { compare, corePredictions } from './compare';
import type { ExportParityRequest } from './messages';
import { loadOnnxClassifier } from './onnx-runtime';
import { loadTfjsFolder } from './tfjs-runtime';

export const ONNX_FILE = 'model.onnx';
export const NATIVE_FILE = 'model.cnnmodel';

/** Compares the export in request.dir with `own` (the run's model) on request.x. */
export async function checkExport(
  request: ExportParityRequest,
  own: Pick<ModelFileContents, 'spec' | 'params' | 'state'>,
): Promise<ExportParity> {
  const { spec, params, state } = own;
  const inputs = { x: request.x, count: request.count, source: request.source };
  const ours = corePredictions(spec, params, state, request.x, request.count);
  switch (request.format) {
    case 'onnx': {
      const bytes = new Uint8Array(fs.readFileSync(path.join(request.dir, ONNX_FILE)));
      const onnx = await loadOnnxClassifier(bytes, spec.input);
      try {
        return await compare(inputs, ours, spec, (x, n) => onnx.run(x, n));
      } finally {
        await onnx.release();
      }
    }
    case 'tfjs': {
      const model = await loadTfjsFolder(request.dir, spec);
      try {
        return await compare(inputs, ours, spec, (x, n) => model.run(x, n));
      } finally {
        model.release();
      }
    }
    case 'native': {
      const back = readModelFile(new Uint8Array(fs.readFileSync(path.join(request.dir, NATIVE_FILE))));
      return compare(inputs, ours, spec, async (x, n) =>
        corePredictions(back.spec, back.params, back.state, x, n),
      );
    }
  }
}
