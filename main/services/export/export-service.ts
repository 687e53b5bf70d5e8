/**
 * Exporting a run's trained model to a folder other apps can use:
 *
 *   onnx    model.onnx (see onnx/onnx-export.ts), labels.txt, model-card.json, README.md
 *   native  model.cnnmodel (native-workers/cnn/model-file.ts), labels.txt, model-card.json, README.md
 *   tfjs    model.json + weights.bin (see tfjs/tfjs-export.ts; float32 NHWC input), labels.txt, model card
 *
 * After writing, the export is checked: the exported model runs on (up to 32 of) the project's validation tensors
 * — the test split's, then the training split's when there are none, else fixed random inputs — at batch sizes 1,
 * 3 and all of them, and its probabilities are compared with the app's own model (the CNN core on the run's
 * weights): `ok` when the largest absolute difference is at most 1e-4 and every top-1 class agrees.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { EpochMetrics, TrainingSettings } from '../../../app/domain/training';
import { AppFailure } from '../../../app/ipc/result';
import { argmaxRow, buildModel } from '../../../native-workers/cnn/model';
import {
  CNN_MODEL_META_VERSION,
  preprocessingFor,
  readModelFile,
  writeModelFile,
  type CnnModelMeta,
  type CnnModelPreprocessing,
} from '../../../native-workers/cnn/model-file';
import type { Services } from '../services';
import { runFiles } from '../training/run-files';
import {
  exportOnnx,
  ONNX_INPUT_NAME,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  ONNX_OUTPUT_NAME,
} from './onnx/onnx-export';
import { loadOnnxClassifier } from './onnx/onnx-runtime';
import {
  exportTfjs,
  readTfjsFolder,
  TFJS_MODEL_FILE,
  TFJS_WEIGHTS_FILE,
  writeTfjsFolder,
} from './tfjs/tfjs-export';

export const EXPORT_FORMATS = ['onnx', 'tfjs', 'native'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Largest absolute probability difference the parity check accepts. */
export const PARITY_TOLERANCE = 1e-4;
const PARITY_IMAGES = 32;
const PARITY_BATCHES = [1, 3, PARITY_IMAGES];

/** The result of comparing an exported model with the app's own predictions. */
export interface ExportParity {
  maxAbsDiff: number;
  /** Fraction of (image, batch size) predictions whose top-1 class agrees. */
  top1Agreement: number;
  /** Images compared. */
  images: number;
  /** Where the images came from. */
  source: 'val' | 'test' | 'train' | 'synthetic';
  batchSizes: number[];
  ok: boolean;
}

export interface ExportResult {
  format: ExportFormat;
  dir: string;
  /** File names written into dir. */
  files: string[];
  parity: ExportParity;
  runId: string;
  runName: string;
}

export interface ExportOptions {
  format: ExportFormat;
  outDir: string;
  /** A run id or name; default the project's model. */
  run?: string;
}

/** The model card: what a user of the exported files needs to know (model-card.json, rendered in README.md). */
export interface ModelCard {
  name: string;
  format: ExportFormat;
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

export class ExportService {
  constructor(private readonly services: Services) {}

  async export(projectRef: string, options: ExportOptions): Promise<ExportResult> {
    const s = this.services;
    const project = s.projects.resolve(projectRef);
    const summary =
      options.run !== undefined ? s.runs.resolve(project.id, options.run) : s.runs.modelRun(project.id);
    if (!summary)
      throw new AppFailure('not-found', 'This project has no trained model yet; train one first.');
    const record = s.runs.show(project.id, summary.id);
    const modelPath = runFiles(s.projects.projectDir(project.id), record.id).finalModel;
    if (!fs.existsSync(modelPath)) {
      throw new AppFailure('conflict', `Run "${record.name}" has no trained weights.`);
    }
    const dir = prepareDir(options.outDir);
    const weights = readModelFile(new Uint8Array(fs.readFileSync(modelPath)));
    const { spec, params, state } = weights;
    const labels = record.dataset.classNames;
    const preprocessing = preprocessingFor(spec);
    const detail = record;
    const card = await this.modelCard(project.id, project.name, options.format, spec, record.id);

    const files: string[] = [];
    const write = (name: string, data: string | Uint8Array) => {
      fs.writeFileSync(path.join(dir, name), data);
      files.push(name);
    };
    const inputs = this.parityInputs(project.id, spec);
    const ours = corePredictions(spec, params, state, inputs.x, inputs.count);
    let parity: ExportParity;
    if (options.format === 'onnx') {
      const bytes = exportOnnx(spec, params, state, {
        labels,
        appVersion: s.config.version,
        inputSize: preprocessing.inputSize,
        color: preprocessing.color,
        preprocessing: preprocessing.description,
        extra: {
          preprocessing_json: JSON.stringify(preprocessing),
          run: JSON.stringify({ id: record.id, name: record.name }),
        },
      });
      write('model.onnx', bytes);
      const onnx = await loadOnnxClassifier(bytes, spec.input);
      try {
        parity = await compare(inputs, ours, spec, (x, n) => onnx.run(x, n));
      } finally {
        await onnx.release();
      }
    } else if (options.format === 'tfjs') {
      const exported = exportTfjs(spec, params, state, {
        generatedBy: `CNN Studio ${s.config.version}`,
        metadata: {
          labels,
          preprocessing,
          appVersion: s.config.version,
          run: { id: record.id, name: record.name },
        },
      });
      await writeTfjsFolder(dir, exported);
      files.push(TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE);
      // loaded lazily: @tensorflow/tfjs is only needed to check the export
      const { tfjsParity } = await import('./tfjs/tfjs-parity');
      const checked = await tfjsParity(
        await readTfjsFolder(dir),
        spec,
        params,
        state,
        inputs.x,
        inputs.count,
        {
          batchSizes: PARITY_BATCHES,
          tolerance: PARITY_TOLERANCE,
        },
      );
      parity = {
        maxAbsDiff: checked.maxAbsDiff,
        top1Agreement: checked.top1Agreement,
        images: inputs.count,
        source: inputs.source,
        batchSizes: checked.perBatchSize.map((b) => b.batchSize),
        ok: checked.ok,
      };
    } else {
      const meta: CnnModelMeta = {
        kind: 'cnnmodel',
        version: CNN_MODEL_META_VERSION,
        labels,
        preprocessing,
        metrics: {
          accuracy: card.metrics.accuracy,
          epochs: detail.epochsDone,
          bestEpoch: detail.bestEpoch,
        },
        appVersion: s.config.version,
        run: { id: record.id, name: record.name, project: project.name },
        createdAt: card.exportedAt,
      };
      write('model.cnnmodel', writeModelFile({ spec, params, state }, meta));
      const back = readModelFile(new Uint8Array(fs.readFileSync(path.join(dir, 'model.cnnmodel'))));
      parity = await compare(inputs, ours, spec, async (x, n) =>
        corePredictions(back.spec, back.params, back.state, x, n),
      );
    }
    write('labels.txt', labels.join('\n') + '\n');
    card.files = Object.fromEntries(files.map((f) => [f, describeFile(f)]));
    card.files['labels.txt'] = describeFile('labels.txt');
    card.files['model-card.json'] = describeFile('model-card.json');
    card.files['README.md'] = describeFile('README.md');
    write('model-card.json', JSON.stringify({ ...card, parity }, null, 2) + '\n');
    write('README.md', modelCardMarkdown(card, parity));
    return { format: options.format, dir, files, parity, runId: record.id, runName: record.name };
  }

  private async modelCard(
    projectId: string,
    projectName: string,
    format: ExportFormat,
    spec: ModelSpec,
    runId: string,
  ): Promise<ModelCard> {
    const s = this.services;
    const detail = s.runs.show(projectId, runId);
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
        contentSha256: this.contentHash(projectId, runId, detail.dataset.classNames),
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
  private contentHash(projectId: string, runId: string, classNames: string[]): string | null {
    try {
      const db = this.services.projects.db(projectId);
      const blob = db.prepare('SELECT snapshot FROM runs WHERE id = ?').pluck().get(runId) as
        Buffer | undefined;
      if (!blob) return null;
      const triples = new Int32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
      const shaOf = new Map(
        (db.prepare('SELECT id, sha256 FROM images').raw().all() as [number, string][]).map(([id, sha]) => [
          id,
          sha,
        ]),
      );
      const splits = ['train', 'val', 'test'];
      const lines: string[] = [];
      for (let i = 0; i + 2 < triples.length; i += 3) {
        lines.push(
          `${shaOf.get(triples[i]) ?? '?'}\t${classNames[triples[i + 1]]}\t${splits[triples[i + 2]]}`,
        );
      }
      lines.sort();
      return createHash('sha256').update(lines.join('\n')).digest('hex');
    } catch {
      return null;
    }
  }

  /** Up to 32 cached image tensors as floats in [0, 1]: validation first, then test, then train; else random. */
  private parityInputs(projectId: string, spec: ModelSpec): ParityInputs {
    const size = spec.input.channels * spec.input.height * spec.input.width;
    const db = this.services.projects.db(projectId);
    for (const split of ['val', 'test', 'train'] as const) {
      const rows = db
        .prepare(
          `SELECT t.pixels FROM images i JOIN image_tensors t ON t.image_id = i.id
           WHERE i.removed_at IS NULL AND i.split = ? ORDER BY i.id LIMIT ?`,
        )
        .pluck()
        .all(split, PARITY_IMAGES) as Buffer[];
      const usable = rows.filter((p) => p.length === size);
      if (usable.length === 0) continue;
      const x = new Float32Array(usable.length * size);
      usable.forEach((p, n) => {
        for (let k = 0; k < size; k++) x[n * size + k] = p[k] / 255;
      });
      return { x, count: usable.length, size, source: split };
    }
    const x = new Float32Array(8 * size);
    let seed = 12345;
    for (let k = 0; k < x.length; k++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      x[k] = (seed >>> 8) / 16777216;
    }
    return { x, count: 8, size, source: 'synthetic' };
  }
}

interface ParityInputs {
  x: Float32Array;
  count: number;
  size: number;
  source: ExportParity['source'];
}

/** The app's own probabilities (the CNN core, eval mode) for n images. */
function corePredictions(
  spec: ModelSpec,
  params: Float32Array,
  state: Float32Array,
  x: Float32Array,
  n: number,
): Float32Array {
  const model = buildModel(spec, { seed: 0, batchSize: Math.max(1, n), skipInit: true });
  model.loadParams(params, state);
  return model.predict(x.subarray(0, n * model.inputSize)).slice();
}

async function compare(
  inputs: ParityInputs,
  ours: Float32Array,
  spec: ModelSpec,
  run: (x: Float32Array, n: number) => Promise<Float32Array>,
): Promise<ExportParity> {
  const K = spec.numClasses;
  const batchSizes = [...new Set(PARITY_BATCHES.map((b) => Math.min(b, inputs.count)))];
  let maxAbsDiff = 0;
  let agree = 0;
  let total = 0;
  for (const n of batchSizes) {
    const theirs = await run(inputs.x.subarray(0, n * inputs.size), n);
    if (theirs.length !== n * K)
      throw new AppFailure('internal', `The exported model gave ${theirs.length} values.`);
    for (let i = 0; i < n * K; i++) {
      const d = Math.abs(theirs[i] - ours[i]);
      maxAbsDiff = Number.isNaN(d) ? Infinity : Math.max(maxAbsDiff, d);
    }
    for (let r = 0; r < n; r++) if (argmaxRow(theirs, r, K) === argmaxRow(ours, r, K)) agree++;
    total += n;
  }
  const top1Agreement = total ? agree / total : 0;
  return {
    maxAbsDiff,
    top1Agreement,
    images: inputs.count,
    source: inputs.source,
    batchSizes,
    ok: total > 0 && maxAbsDiff <= PARITY_TOLERANCE && agree === total,
  };
}

/** The epoch whose weights the run keeps: the best one with early stopping, else the last. */
function keptEpoch(epochs: EpochMetrics[], best: number | null, earlyStopping: boolean): EpochMetrics | null {
  if (earlyStopping && best !== null) return epochs.find((e) => e.epoch === best) ?? null;
  return epochs.length ? epochs[epochs.length - 1] : null;
}

/** Creates dir, or accepts it when it exists and is empty; anything else is refused. */
function prepareDir(outDir: string): string {
  const dir = path.resolve(outDir);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new AppFailure('conflict', `${dir} exists and is not a folder.`);
  if (stat && fs.readdirSync(dir).length > 0) {
    throw new AppFailure('conflict', `${dir} is not empty; export into a new or empty folder.`);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function describeFile(name: string): string {
  switch (name) {
    case 'model.onnx':
      return 'the model, ONNX (opset 13, IR version 8)';
    case 'model.cnnmodel':
      return 'the model, CNN Studio format (opens in CNN Studio and `cnn-studio predict`)';
    case 'model.json':
      return 'the model, TensorFlow.js layers format (tf.loadLayersModel), NHWC input';
    case 'weights.bin':
      return 'the weights of model.json';
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
