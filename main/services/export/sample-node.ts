/**
 * `predict.mjs`, written beside an ONNX export (onnxruntime-node) and a TF.js export (@tensorflow/tfjs, pure
 * JavaScript): sharp decodes, and the rest of CNN Studio's preprocessing (main/services/dataset/decode.ts) is
 * repeated in plain JavaScript, so the tensors are the app's. CNN_STUDIO_ORT names another onnxruntime module
 * (e.g. onnxruntime-web, which needs no native binary); the tests run it that way when onnxruntime-node is absent.
 */
import type { CnnModelPreprocessing } from '../../../native-workers/cnn/model-file';

const PREPROCESS = `
const SMALL_PIXELS = 256 * 256;

/** Network input for one image file: Float32Array [C, SIZE, SIZE] in [0, 1], exactly as CNN Studio makes it. */
export async function preprocess(file, size = SIZE, color = COLOR) {
  const bytes = fs.readFileSync(file);
  const meta = await sharp(bytes, { pages: 1 }).metadata();
  const plain = meta.depth === 'uchar' && (meta.space === 'srgb' || meta.space === 'b-w');
  const small = plain && meta.width * meta.height <= SMALL_PIXELS;
  let pipeline = sharp(bytes, { pages: 1, failOn: 'truncated' }).rotate(); // EXIF orientation
  if (!small) {
    const side = Math.max(2 * size, 128); // larger images are decoded shrunk, as CNN Studio does
    pipeline = pipeline
      .resize(side, side, { fit: 'outside', withoutEnlargement: true, kernel: 'lanczos3' })
      .toColourspace('srgb');
  }
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return toTensor(data, info.width, info.height, info.channels, size, color);
}

const toLinear = (v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const fromLinear = (y) => 255 * (y <= 0.0031308 ? 12.92 * y : 1.055 * y ** (1 / 2.4) - 0.055);

function toTensor(data, w, h, have, size, color) {
  const want = color === 'gray' ? 1 : 3;
  const alpha = have === 2 || have === 4;
  const colours = alpha ? have - 1 : have;
  const n = w * h;
  // 1. Flatten transparency onto white; gray = luminance in linear light; RGB as is.
  const planes = new Float32Array(want * n);
  for (let i = 0; i < n; i++) {
    const o = i * have;
    const a = alpha ? data[o + have - 1] / 255 : 1;
    const bg = (1 - a) * 255;
    if (colours === 1) for (let c = 0; c < want; c++) planes[c * n + i] = data[o] * a + bg;
    else if (want === 1)
      planes[i] = fromLinear(
        0.2126 * toLinear(data[o] * a + bg) +
          0.7152 * toLinear(data[o + 1] * a + bg) +
          0.0722 * toLinear(data[o + 2] * a + bg),
      );
    else for (let c = 0; c < 3; c++) planes[c * n + i] = data[o + c] * a + bg;
  }
  // 2. Cover-resize (aspect kept, centre crop) with area weights; round to uint8; 3. divide by 255.
  const scale = Math.max(size / w, size / h);
  const xs = weights(w, size, scale);
  const ys = weights(h, size, scale);
  const out = new Float32Array(want * size * size);
  const rows = new Float32Array(size * h);
  for (let c = 0; c < want; c++) {
    const src = planes.subarray(c * n, (c + 1) * n);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < size; x++) {
        let v = 0;
        for (const [i, wt] of xs[x]) v += src[y * w + i] * wt;
        rows[y * size + x] = v;
      }
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        let v = 0;
        for (const [i, wt] of ys[y]) v += rows[i * size + x] * wt;
        out[c * size * size + y * size + x] = (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v)) / 255;
      }
  }
  return out;
}

/** Per output sample, [source index, weight] pairs: area weights when shrinking, linear when enlarging. */
function weights(inLen, outLen, scale) {
  const start = (inLen - outLen / scale) / 2;
  const clamp = (i) => Math.min(inLen - 1, Math.max(0, i));
  return Array.from({ length: outLen }, (_, o) => {
    if (scale > 1) {
      const centre = start + (o + 0.5) / scale - 0.5;
      const i0 = Math.floor(centre);
      return [[clamp(i0), 1 - (centre - i0)], [clamp(i0 + 1), centre - i0]];
    }
    const a = start + o / scale;
    const b = start + (o + 1) / scale;
    const pairs = [];
    for (let i = Math.floor(a); i < Math.ceil(b - 1e-9); i++) {
      const cover = Math.min(b, i + 1) - Math.max(a, i);
      if (cover > 1e-9) pairs.push([clamp(i), cover / (b - a)]);
    }
    return pairs;
  });
}

function report(files, probabilities, classes, argv) {
  const topAt = argv.indexOf('--top');
  const k = topAt >= 0 ? Number(argv[topAt + 1]) : 5;
  const predictions = files.map((file, r) => {
    const row = Array.from(probabilities.subarray(r * classes, (r + 1) * classes));
    const top = row
      .map((probability, i) => ({ label: labels[i], probability }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, k);
    return { file: path.resolve(file), top };
  });
  if (argv.includes('--json')) console.log(JSON.stringify({ predictions }, null, 2));
  else
    for (const p of predictions) {
      console.log(p.file);
      for (const t of p.top) console.log(\`  \${(t.probability * 100).toFixed(2).padStart(6)} %  \${t.label}\`);
    }
}

function imageArgs(argv) {
  const files = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--top');
  if (files.length === 0) {
    console.error('usage: node predict.mjs IMAGE... [--top K] [--json]');
    process.exit(2);
  }
  return files;
}
`;

function head(p: CnnModelPreprocessing, what: string, install: string, imports: string): string {
  return `// Classify images with ${what}, preprocessing them exactly as CNN Studio does.
//
//   npm install ${install}
//   node predict.mjs photo.jpg other.png [--top 3] [--json]
//
// Prints the top-k classes (labels.txt, in output order) for every image given on the command line.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
${imports}
const HERE = path.dirname(fileURLToPath(import.meta.url));
const SIZE = ${p.inputSize}; // side of the square network input, pixels
const COLOR = '${p.color}'; // 'gray' (1 channel) or 'rgb' (3 channels)
const labels = fs.readFileSync(path.join(HERE, 'labels.txt'), 'utf8').split('\\n').filter(Boolean);
`;
}

/** predict.mjs for model.onnx (onnxruntime-node; CNN_STUDIO_ORT may name onnxruntime-web instead). */
export function nodeOnnxSample(p: CnnModelPreprocessing): string {
  return (
    head(p, 'model.onnx (onnxruntime-node)', 'onnxruntime-node sharp', '') +
    PREPROCESS +
    `
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const files = imageArgs(argv);
  // CNN_STUDIO_ORT=onnxruntime-web runs the same code on WebAssembly (no native binary)
  const ort = await import(process.env.CNN_STUDIO_ORT || 'onnxruntime-node');
  const session = await ort.InferenceSession.create(path.join(HERE, 'model.onnx'));
  const channels = COLOR === 'gray' ? 1 : 3;
  const x = new Float32Array(files.length * channels * SIZE * SIZE);
  for (const [n, file] of files.entries()) x.set(await preprocess(file), n * channels * SIZE * SIZE);
  // input "image": float32 [N, C, H, W] in [0, 1]; output "probabilities": softmax [N, classes]
  const out = await session.run({ image: new ort.Tensor('float32', x, [files.length, channels, SIZE, SIZE]) });
  report(files, out.probabilities.data, labels.length, argv);
}
`
  );
}

/** predict.mjs for model.json + weights.bin (@tensorflow/tfjs, no native code; NHWC input). */
export function nodeTfjsSample(p: CnnModelPreprocessing): string {
  return (
    head(
      p,
      'model.json (TensorFlow.js)',
      '@tensorflow/tfjs sharp',
      `import * as tf from '@tensorflow/tfjs';`,
    ) +
    PREPROCESS +
    `
/** Loads model.json + weights.bin from this folder (tfjs without tfjs-node has no file:// loader). */
function fileHandler() {
  return {
    async load() {
      const json = JSON.parse(fs.readFileSync(path.join(HERE, 'model.json'), 'utf8'));
      const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
      const buffers = json.weightsManifest.flatMap((g) => g.paths.map((f) => fs.readFileSync(path.join(HERE, f))));
      const all = Buffer.concat(buffers);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      return { modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy,
        convertedBy: json.convertedBy, weightSpecs, weightData };
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const files = imageArgs(argv);
  await tf.setBackend('cpu');
  const model = await tf.loadLayersModel(fileHandler());
  const channels = COLOR === 'gray' ? 1 : 3;
  // TF.js takes NHWC: [N, H, W, C] in [0, 1]
  const x = new Float32Array(files.length * SIZE * SIZE * channels);
  for (const [n, file] of files.entries()) {
    const chw = await preprocess(file);
    for (let c = 0; c < channels; c++)
      for (let i = 0; i < SIZE * SIZE; i++) x[(n * SIZE * SIZE + i) * channels + c] = chw[c * SIZE * SIZE + i];
  }
  const out = model.predict(tf.tensor4d(x, [files.length, SIZE, SIZE, channels]));
  report(files, await out.data(), labels.length, argv);
}
`
  );
}
