/**
 * Exporting a run's trained model to a folder other apps can use:
 *
 *   onnx    model.onnx (see onnx/onnx-export.ts), labels.txt, model-card.json, README.md
 *   native  model.cnnmodel (native-workers/cnn/model-file.ts), labels.txt, model-card.json, README.md
 *   tfjs    model.json + weights.bin (see tfjs/tfjs-export.ts; float32 NHWC input), labels.txt, model card
 *
 * After writing, the export is checked (export-parity.ts): the exported model runs on (up to 32 of) the project's validation tensors
 * — the test split's, then the training split's when there are none, else fixed random inputs — at batch sizes 1,
 * 3 and all of them, and its probabilities are compared with the app's own model (the CNN core on the run's
 * weights): `ok` when the largest absolute difference is at most 1e-4 and every top-1 class agrees.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../app/ipc/result';
import {
  CNN_MODEL_META_VERSION,
  preprocessingFor,
  readModelFile,
  writeModelFile,
  type CnnModelMeta,
} from '../../../native-workers/cnn/model-file';
import type { Services } from '../services';
import { runFiles } from '../training/run-files';
import {
  compare,
  corePredictions,
  parityInputs,
  PARITY_BATCHES,
  PARITY_TOLERANCE,
  type ExportParity,
} from './export-parity';
import { buildModelCard, describeFile, modelCardMarkdown } from './model-card';
import { exportOnnx } from './onnx/onnx-export';
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
export type { ExportParity } from './export-parity';
export type { ModelCard } from './model-card';
export { modelCardMarkdown } from './model-card';
export { PARITY_TOLERANCE } from './export-parity';

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
    const card = await buildModelCard(s, project.id, project.name, options.format, spec, record);

    const files: string[] = [];
    const write = (name: string, data: string | Uint8Array) => {
      fs.writeFileSync(path.join(dir, name), data);
      files.push(name);
    };
    const inputs = parityInputs(s.projects.db(project.id), spec);
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
          epochs: record.epochsDone,
          bestEpoch: record.bestEpoch,
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
