/**
 * Exporting a run's trained model to a folder other apps can use:
 *
 *   onnx    model.onnx (see onnx/onnx-export.ts), predict.py + predict.mjs (samples.ts), labels.txt, model card
 *   tfjs    model.json + weights.bin (see tfjs/tfjs-export.ts; float32 NHWC input), predict.mjs, labels.txt, card
 *   native  model.cnnmodel (native-workers/cnn/model-file.ts), labels.txt, model-card.json, README.md
 *
 * After writing, the export is checked in a worker thread (parity-client.ts → native-workers/export-parity-worker.ts
 * → native-workers/export/parity-check.ts): the exported model, read back from the folder, runs on (up to 32 of) the project's validation
 * tensors — the test split's, then the training split's when there are none, else fixed random inputs — at batch
 * sizes 1, 3 and 32, and its probabilities are compared with the app's own model (the CNN core on the run's
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
  MODEL_EXPORT_FORMATS,
  type ModelExportFormat,
  type ModelExportProgress,
  type ModelExportResult,
} from '../../../app/domain/model-export';
import { parityInputs } from './export-parity';
import { buildModelCard, describeFile, modelCardMarkdown } from './model-card';
import { exportOnnx } from './onnx/onnx-export';
import { checkExportInWorker } from './parity-client';
import { NATIVE_FILE, ONNX_FILE } from '../../../native-workers/export/parity-check';
import { sampleFiles } from './samples';
import { exportTfjs, TFJS_MODEL_FILE, TFJS_WEIGHTS_FILE, writeTfjsFolder } from './tfjs/tfjs-export';

export type { ExportParity } from '../../../app/domain/model-export';
export type { ModelCard } from './model-card';
export { modelCardMarkdown } from './model-card';
export { PARITY_TOLERANCE } from './export-parity';
/** The formats, as the domain names them. */
export const EXPORT_FORMATS = MODEL_EXPORT_FORMATS;

export interface ExportOptions {
  format: ModelExportFormat;
  outDir: string;
  /** A run id or name; default the project's model. */
  run?: string;
  /** Called as the export moves to its next stage (writing, checking, done). */
  onStage?: (stage: ModelExportProgress['stage']) => void;
}

export class ExportService {
  constructor(private readonly services: Services) {}

  async export(projectRef: string, options: ExportOptions): Promise<ModelExportResult> {
    const s = this.services;
    const project = s.projects.resolve(projectRef);
    const summary =
      options.run !== undefined ? s.runs.resolve(project.id, options.run) : s.runs.modelRun(project.id);
    if (!summary)
      throw new AppFailure('not-found', 'This project has no trained model yet; train one first.', {
        code: 'no-model',
      });
    const record = s.runs.show(project.id, summary.id);
    const modelPath = runFiles(s.projects.projectDir(project.id), record.id).finalModel;
    if (!fs.existsSync(modelPath)) {
      throw new AppFailure('not-found', `Run "${record.name}" has no trained weights.`, { code: 'no-model' });
    }
    const dir = prepareDir(options.outDir);
    options.onStage?.('writing');
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
      write(ONNX_FILE, bytes);
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
      write(NATIVE_FILE, writeModelFile({ spec, params, state }, meta));
    }
    for (const [name, text] of Object.entries(sampleFiles(options.format, preprocessing))) write(name, text);
    write('labels.txt', labels.join('\n') + '\n');

    options.onStage?.('checking');
    const inputs = parityInputs(s.projects.db(project.id), spec);
    const parity = await checkExportInWorker(s.config.workersDir, {
      format: options.format,
      dir,
      modelPath,
      x: inputs.x,
      count: inputs.count,
      source: inputs.source,
    });

    card.files = Object.fromEntries(files.map((f) => [f, describeFile(f)]));
    card.files['model-card.json'] = describeFile('model-card.json');
    card.files['README.md'] = describeFile('README.md');
    write('model-card.json', JSON.stringify({ ...card, parity }, null, 2) + '\n');
    write('README.md', modelCardMarkdown(card, parity));
    options.onStage?.('done');
    return { format: options.format, dir, files, parity, runId: record.id, runName: record.name };
  }
}

/** Creates dir, or accepts it when it exists and is empty; anything else is refused. */
function prepareDir(outDir: string): string {
  const dir = path.resolve(outDir);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory())
    throw new AppFailure('conflict', `${dir} exists and is not a folder.`, { code: 'not-a-folder', dir });
  if (stat && fs.readdirSync(dir).length > 0) {
    throw new AppFailure('conflict', `${dir} is not empty; export into a new or empty folder.`, {
      code: 'dir-not-empty',
      dir,
    });
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
