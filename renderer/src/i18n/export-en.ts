import type { DocLink } from '../../../app/domain/doc-links';

/**
 * English strings of the Export section (`t.modelExport`). Kept in their own file so the feature adds one line to
 * en.ts; zh-CN has the same shape (export-zh-CN.ts). Main sends codes (error codes, details.code, stages); every
 * word the user reads is here.
 */
export const exportEn = {
  title: 'Export',
  intro:
    'Save a trained model as files other apps can use. Each export is checked against CNN Studio’s own predictions.',
  runLabel: 'Model',
  formatLabel: 'Format',
  formats: {
    onnx: { name: 'ONNX', hint: 'For any ONNX runtime: Python, C++, C#, Java, JavaScript, mobile.' },
    tfjs: { name: 'TensorFlow.js', hint: 'For web pages and Node.js with TensorFlow.js (layers model).' },
    native: {
      name: 'CNN Studio (.cnnmodel)',
      hint: 'To open again in CNN Studio or with cnn-studio predict.',
    },
  },
  folderLabel: 'Output folder',
  folderPlaceholder: 'A new or empty folder',
  choose: 'Choose…',
  chooseFailed: 'Could not open the folder picker.',
  submit: 'Export',
  stages: {
    writing: 'Writing the model files…',
    checking: 'Checking the exported model against CNN Studio’s predictions…',
    done: 'Done.',
  },
  result: {
    heading: (format: string) => `Exported: ${format}`,
    folder: 'Folder',
    files: 'Files written',
    parityHeading: 'Check against CNN Studio',
    parityOk: 'Passed: the exported model gives the same predictions.',
    parityFailed: 'Failed: the exported model does not match CNN Studio’s predictions.',
    maxAbsDiff: 'Largest probability difference',
    tolerance: 'allowed up to 1e-4',
    top1: 'Same top class',
    images: 'Images compared',
    source: { val: 'validation', test: 'test', train: 'training', synthetic: 'synthetic' } as Record<
      string,
      string
    >,
    imagesFrom: (n: number, source: string) => `${n.toLocaleString('en')} (${source})`,
    batchSizes: 'Batch sizes',
    seconds: (s: string) => `Took ${s} s.`,
  },
  usage: {
    heading: 'How to use it',
    onnx: [
      'Input `image`: float32 [N, C, H, W] (NCHW), values in [0, 1].',
      'Output `probabilities`: float32 [N, classes], softmax, in the order of labels.txt.',
      'predict.py (onnxruntime + Pillow) and predict.mjs (Node.js) classify image files with CNN Studio’s own preprocessing; README.md explains how to run them.',
    ],
    tfjs: [
      'Load model.json with tf.loadLayersModel; input float32 [N, H, W, C] (NHWC) in [0, 1], output softmax probabilities in the order of labels.txt.',
      'predict.mjs classifies image files with Node.js and CNN Studio’s own preprocessing; README.md explains how to run it.',
    ],
    native: [
      'Open model.cnnmodel in CNN Studio, or classify images with: cnn-studio predict model.cnnmodel IMAGE…',
    ],
    shape: (c: number, size: number) => `This model: C = ${c}, H = W = ${size}.`,
  },
  docs: {
    heading: 'Documentation',
    hint: 'Opens in your web browser.',
    links: {
      'onnx-runtime-python': 'ONNX Runtime for Python',
      'onnx-runtime-javascript': 'ONNX Runtime for JavaScript',
      'tfjs-load-model': 'Loading a model in TensorFlow.js',
      netron: 'Netron: look at the model’s graph',
    } satisfies Record<DocLink, string>,
    failed: 'Could not open the link.',
  },
  preview: {
    heading: (format: string) => `What you get: ${format}`,
    check:
      'After writing, the exported model runs on up to 32 validation images at batch sizes 1, 3 and 32 and is compared with CNN Studio’s own predictions.',
    folder: 'The folder must be new or empty.',
  },
  errors: {
    'no-model': 'This project has no trained model yet. Train one first.',
    'dir-not-empty': (dir: string) => `${dir} is not empty. Choose a new or empty folder.`,
    'not-a-folder': (dir: string) => `${dir} is a file, not a folder.`,
    'check-failed': 'The model was written, but the check could not run it.',
    failed: 'The export failed.',
    noFolder: 'Choose an output folder first.',
  },
  noModel: {
    training: 'A model is training. You can export it when the run finishes.',
    goTrain: 'Go to Train',
  },
  runsFailed: 'Could not list the runs.',
};

export type ExportMessages = typeof exportEn;
