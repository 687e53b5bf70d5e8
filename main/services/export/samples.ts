/**
 * The sample code written beside an export: predict.py (onnxruntime + Pillow) and predict.mjs (onnxruntime-node +
 * sharp) beside model.onnx, predict.mjs (@tensorflow/tfjs + sharp) beside a TF.js model; none for .cnnmodel (CNN
 * Studio and `cnn-studio predict` open it). Each reproduces the app's preprocessing and prints top-k per image.
 */
import type { ModelExportFormat } from '../../../app/domain/model-export';
import type { CnnModelPreprocessing } from '../../../native-workers/cnn/model-file';
import { nodeOnnxSample, nodeTfjsSample } from './sample-node';
import { pythonSample } from './sample-python';

/** File name → text of the samples for one export format. */
export function sampleFiles(format: ModelExportFormat, p: CnnModelPreprocessing): Record<string, string> {
  switch (format) {
    case 'onnx':
      return { 'predict.py': pythonSample(p), 'predict.mjs': nodeOnnxSample(p) };
    case 'tfjs':
      return { 'predict.mjs': nodeTfjsSample(p) };
    case 'native':
      return {};
  }
}
