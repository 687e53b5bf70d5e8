/** The model card of an export: model-card.json, and the same rendered as README.md. */
import { createHash } from 'node:crypto';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { EpochMetrics, RunDetail, TrainingSettings } from '../../../app/domain/training';
import { preprocessingFor, type CnnModelPreprocessing } from '../../../native-workers/cnn/model-file';
import type { Services } from '../services';
import { RunRepository } from '../training/run-repository';
import { ONNX_INPUT_NAME, ONNX_IR_VERSION, ONNX_OPSET, ONNX_OUTPUT_NAME } from './onnx/onnx-export';
import type { ExportParity, ModelExportFormat } from '../../../app/domain/model-export';

/** The model card: what a user of the exported files needs to know (model-card.json, rendered in README.md). */
export interface ModelCard {
  name: string;
  format: ModelExportFormat;
  files: Record<string, string>;
  classes: string[];
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  preprocessing: CnnModelPreprocessing;
  metrics: {
    accuracy: { train: number | null; val: number | null; test: number | null };
    loss: { train: number | null; val: number | null; test: number | null };
    macroF1: { val: number | null; test: number | null };
    epochs: number;
    bestEpoch: number | null;
  };
  training: TrainingSettings & { preset: string; layers: ModelSpec['layers'] };
  dataset: { images: { train: number; val: number; test: number }; contentSha256: string | null };
  source: { project: string; run: { id: string; name: string; finishedAt: string | null } };
  appVersion: string;
  exportedAt: string;
}

/** The card of a run's export (evaluating the validation and test splits for their metrics). */
export async function buildModelCard(
  s: Services,
  projectId: string,
  projectName: string,
  format: ModelExportFormat,
  spec: ModelSpec,
  detail: RunDetail,
): Promise<ModelCard> {
  const runId = detail.id;
  const kept = keptEpoch(detail.epochs, detail.bestEpoch, detail.settings.patience > 0);
  const evaluated = async (split: 'val' | 'test') => {
    if (detail.dataset[split] === 0) return null;
    try {
      return await s.evaluation.evaluate(projectId, split, runId);
    } catch {
      return null; // e.g. the images were removed since: the card says "unknown"
    }
  };
  const val = await evaluated('val');
  const test = await evaluated('test');
  const preprocessing = preprocessingFor(spec);
  return {
    name: `${projectName} — ${detail.name}`,
    format,
    files: {},
    classes: detail.dataset.classNames,
    input:
      format === 'onnx'
        ? {
            name: ONNX_INPUT_NAME,
            dtype: 'float32',
            layout: 'NCHW',
            shape: ['N', spec.input.channels, spec.input.height, spec.input.width],
            range: [0, 1],
          }
        : format === 'tfjs'
          ? {
              dtype: 'float32',
              layout: 'NHWC',
              shape: ['N', spec.input.height, spec.input.width, spec.input.channels],
              range: [0, 1],
            }
          : {
              dtype: 'float32',
              layout: 'NCHW',
              shape: ['N', spec.input.channels, spec.input.height, spec.input.width],
              range: [0, 1],
            },
    output:
      format === 'onnx'
        ? {
            name: ONNX_OUTPUT_NAME,
            dtype: 'float32',
            shape: ['N', spec.numClasses],
            meaning: 'softmax probabilities, in the order of labels.txt',
            opset: ONNX_OPSET,
            irVersion: ONNX_IR_VERSION,
          }
        : {
            dtype: 'float32',
            shape: ['N', spec.numClasses],
            meaning: 'softmax probabilities, in the order of labels.txt',
          },
    preprocessing,
    metrics: {
      accuracy: {
        train: kept?.trainAccuracy ?? null,
        val: val?.accuracy ?? null,
        test: test?.accuracy ?? null,
      },
      loss: { train: kept?.trainLoss ?? null, val: val?.loss ?? null, test: test?.loss ?? null },
      macroF1: { val: val?.macroF1 ?? null, test: test?.macroF1 ?? null },
      epochs: detail.epochsDone,
      bestEpoch: detail.bestEpoch,
    },
    training: { ...detail.settings, preset: detail.preset, layers: spec.layers },
    dataset: {
      images: { train: detail.dataset.train, val: detail.dataset.val, test: detail.dataset.test },
      contentSha256: contentHash(s, projectId, runId, detail.dataset.classNames),
    },
    source: { project: projectName, run: { id: runId, name: detail.name, finishedAt: detail.finishedAt } },
    appVersion: s.config.version,
    exportedAt: new Date().toISOString(),
  };
}

/**
 * SHA-256 over the run's dataset: one line "image sha256 TAB class TAB split" per image, sorted; null when the
 * snapshot cannot be read.
 */
function contentHash(s: Services, projectId: string, runId: string, classNames: string[]): string | null {
  try {
    const db = s.projects.db(projectId);
    const triples = new RunRepository(db).snapshotTriples(runId);
    const shaOf = new Map(
      (db.prepare('SELECT id, sha256 FROM images').raw().all() as [number, string][]).map(([id, sha]) => [
        id,
        sha,
      ]),
    );
    const splits = ['train', 'val', 'test'];
    const lines: string[] = [];
    for (let i = 0; i + 2 < triples.length; i += 3) {
      lines.push(`${shaOf.get(triples[i]) ?? '?'}\t${classNames[triples[i + 1]]}\t${splits[triples[i + 2]]}`);
    }
    lines.sort();
    return createHash('sha256').update(lines.join('\n')).digest('hex');
  } catch {
    return null;
  }
}

/** The epoch whose weights the run keeps: the best one with early stopping, else the last. */
function keptEpoch(epochs: EpochMetrics[], best: number | null, earlyStopping: boolean): EpochMetrics | null {
  if (earlyStopping && best !== null) return epochs.find((e) => e.epoch === best) ?? null;
  return epochs.length ? epochs[epochs.length - 1] : null;
}

export function describeFile(name: string): string {
  switch (name) {
    case 'model.onnx':
      return 'the model, ONNX (opset 13, IR version 8)';
    case 'model.cnnmodel':
      return 'the model, CNN Studio format (opens in CNN Studio and `cnn-studio predict`)';
    case 'model.json':
      return 'the model, TensorFlow.js layers format (tf.loadLayersModel), NHWC input';
    case 'weights.bin':
      return 'the weights of model.json';
    case 'predict.py':
      return 'sample: classify images with onnxruntime + Pillow (the app’s preprocessing)';
    case 'predict.mjs':
      return 'sample: classify images with Node.js + sharp (the app’s preprocessing)';
    case 'labels.txt':
      return 'class names, one per line, in output order';
    case 'model-card.json':
      return 'this card, machine-readable';
    case 'README.md':
      return 'this card';
    default:
      return '';
  }
}

const pct = (v: number | null) => (v === null ? 'unknown' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null) => (v === null ? 'unknown' : v.toFixed(4));

/** The model card as Markdown. */
export function modelCardMarkdown(card: ModelCard, parity: ExportParity): string {
  const p = card.preprocessing;
  const m = card.metrics;
  const t = card.training;
  const shape = (card.input.shape as (string | number)[]).join(', ');
  const lines = [
    `# ${card.name}`,
    '',
    `An image classifier for ${card.classes.length} classes, trained and exported by CNN Studio ${card.appVersion}.`,
    '',
    '## Files',
    '',
    ...Object.entries(card.files).map(([f, d]) => `- \`${f}\`: ${d}`),
    '',
    '## Classes (output order)',
    '',
    ...card.classes.map((c, i) => `${i}. ${c}`),
    '',
    '## Input',
    '',
    `float32 [${shape}]${card.input.name ? ` named \`${String(card.input.name)}\`` : ''}, ${card.input.layout === 'NHWC' ? 'channels last (NHWC)' : 'channel-major (NCHW)'}, ` +
      `values in [0, 1]; N (the batch) is free. ${p.channels === 1 ? '1 gray channel' : '3 RGB channels'}, ` +
      `${p.inputSize}×${p.inputSize} pixels.`,
    '',
    `Output: float32 [N, ${card.classes.length}]${card.output.name ? ` named \`${String(card.output.name)}\`` : ''}, ` +
      'softmax probabilities in the order of `labels.txt`.',
    '',
    '## Preprocessing',
    '',
    `Exactly what CNN Studio does to an image file: ${p.description}`,
    '',
    ...usage(card),
    '## Metrics',
    '',
    '| split | images | accuracy | loss |',
    '| --- | --- | --- | --- |',
    `| train | ${card.dataset.images.train} | ${pct(m.accuracy.train)} | ${num(m.loss.train)} |`,
    `| validation | ${card.dataset.images.val} | ${pct(m.accuracy.val)} | ${num(m.loss.val)} |`,
    `| test | ${card.dataset.images.test} | ${pct(m.accuracy.test)} | ${num(m.loss.test)} |`,
    '',
    `Trained for ${m.epochs} epochs${m.bestEpoch !== null ? ` (best epoch ${m.bestEpoch})` : ''}. Train metrics are ` +
      'those of the kept epoch during training (with augmentation and dropout); validation and test are evaluated.',
    '',
    '## Training',
    '',
    `- architecture: ${t.preset}, ${t.layers.length} layers`,
    `- optimizer: ${t.optimizer}, learning rate ${t.learningRate}, batch ${t.batchSize}, schedule ${t.schedule}, ` +
      `weight decay ${t.weightDecay}`,
    `- epochs: ${t.epochs} planned, early stopping ${t.patience > 0 ? `after ${t.patience}` : 'off'}, seed ${t.seed}`,
    `- dataset: ${card.dataset.images.train + card.dataset.images.val + card.dataset.images.test} images` +
      (card.dataset.contentSha256 ? `, content SHA-256 \`${card.dataset.contentSha256}\`` : ''),
    '',
    '## Parity check',
    '',
    `On ${parity.images} ${parity.source === 'synthetic' ? 'synthetic inputs' : `${parity.source} images`} at batch ` +
      `sizes ${parity.batchSizes.join(', ')}: largest probability difference from CNN Studio's own predictions ` +
      `${parity.maxAbsDiff.toExponential(2)}, top-1 agreement ${(parity.top1Agreement * 100).toFixed(1)} % ` +
      `(${parity.ok ? 'passed' : 'FAILED'}).`,
    '',
    `Source: project "${card.source.project}", run "${card.source.run.name}" (${card.source.run.id}). ` +
      `Exported ${card.exportedAt}.`,
    '',
  ];
  return lines.join('\n');
}

/** "How to run it" for the sample code beside the model (none for .cnnmodel). */
function usage(card: ModelCard): string[] {
  const files = Object.keys(card.files);
  const lines: string[] = [];
  if (files.includes('predict.py')) {
    lines.push(
      '## Run it from Python',
      '',
      '```sh',
      'pip install onnxruntime pillow numpy',
      'python3 predict.py photo.jpg other.png --top 3      # --json for JSON',
      '```',
      '',
      '`predict.py` prints the top classes of every image. Its `preprocess(path)` (importable: ' +
        '`from predict import preprocess`) repeats the preprocessing above with Pillow and numpy; on plain 8-bit ' +
        'images up to 256×256 pixels it gives CNN Studio’s tensors within 1/255. Larger images are first shrunk ' +
        'with Pillow’s Lanczos filter where CNN Studio uses libvips’, so a value may differ by a level or two.',
      '',
    );
  }
  if (files.includes('predict.mjs')) {
    const onnx = files.includes('model.onnx');
    lines.push(
      '## Run it from Node.js',
      '',
      '```sh',
      onnx ? 'npm install onnxruntime-node sharp' : 'npm install @tensorflow/tfjs sharp',
      'node predict.mjs photo.jpg other.png --top 3        # --json for JSON',
      '```',
      '',
      '`predict.mjs` decodes with sharp and repeats the rest of the preprocessing in JavaScript, so its tensors ' +
        'are CNN Studio’s own.' +
        (onnx
          ? ' `CNN_STUDIO_ORT=onnxruntime-web node predict.mjs …` runs it on WebAssembly instead ' +
            '(`npm install onnxruntime-web`).'
          : ' It loads `model.json` + `weights.bin` with a small file loader and runs on tfjs’s cpu backend.'),
      '',
    );
  }
  return lines;
}
