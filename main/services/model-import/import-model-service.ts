/**
 * `import-model`: a model trained elsewhere (a training package's output/model.cnnmodel or model.onnx, our own
 * exports, a PyTorch ONNX export) becomes a completed run of the project, usable for prediction, evaluation, the
 * inside view and export like a trained one. Its classes must be project labels (by exact name) and its input the
 * project's size and colour. The model file goes into the run's folder as final.model (the trainer's container)
 * before the row is inserted in one transaction; a failure at any point removes that folder, so nothing is left.
 *
 * A file that does not fit the project (other labels, input size or colour) is a `conflict`; a file that cannot be
 * read or run is `invalid-payload`. Like a completed training, the imported run becomes the project's model unless the user picked one with
 * `runs use` (the model_run view: the picked run, else the newest completed one).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { InputSpec } from '../../../app/domain/model-spec';
import type { ImportModelResult } from '../../../app/domain/training-package';
import { AppFailure } from '../../../app/ipc/result';
import { encodeBundle } from '../../../native-workers/cnn/bundle';
import type { ModelFileHeader } from '../../../native-workers/cnn/serialize';
import { writeFileAtomic } from '../../../native-workers/training/atomic-file';
import type { Db } from '../../db/open-database';
import { inputSpecFor } from '../model-description';
import type { ProjectStore } from '../project-store';
import type { EventSink } from '../services';
import { classPlan, snapshotImages } from '../training/dataset-snapshot';
import { ensureRunDir, removeRunFiles, runFiles } from '../training/run-files';
import { toSummary, type NewImportedRun } from '../training/run-repository';
import type { TrainingService } from '../training/training-service';
import { importedSettings } from './imported-settings';
import { bestEpochOf, METRICS_FILE, readMetricsLog } from './metrics-log';
import { readModelSource, type ModelSource } from './model-source';
import { findTrainingJson, readLabelsTxt } from './package-files';

export class ModelImportService {
  constructor(
    private readonly projects: ProjectStore,
    private readonly training: TrainingService,
    private readonly events: EventSink,
  ) {}

  /** Imports `file` (an absolute path) as a completed run of the project. */
  importModel(projectId: string, file: string, options: { name?: string } = {}): ImportModelResult {
    const project = this.projects.get(projectId);
    const db = this.projects.db(projectId);
    if (!path.isAbsolute(file))
      throw new AppFailure('invalid-payload', 'The model file path must be absolute.', {
        code: 'import-model-unreadable',
        file,
        reason: 'relative path',
      });
    const name = options.name?.trim();
    if (name !== undefined && (!name || name.length > 100))
      throw new AppFailure('invalid-name', 'A run name has 1 to 100 characters.', {
        code: 'run-name-length',
        min: 1,
        max: 100,
      });
    const input = inputSpecFor(project.inputSize, project.color);
    const source = readModelSource(file, input);
    checkInput(source, input);
    const pkg = findTrainingJson(file);
    const labels = labelsFor(source, file, pkg?.contents.classNames ?? null, db);
    const classes = mapLabels(db, labels);
    const metricsFile = path.join(path.dirname(file), METRICS_FILE);
    const epochs = fs.existsSync(metricsFile) ? readMetricsLog(metricsFile) : [];
    const epochCount = epochs.length || source.trained?.epochs || 0;
    const bestEpoch = epochs.length ? bestEpochOf(epochs) : (source.trained?.bestEpoch ?? null);
    const { settings, preset } = importedSettings(source.spec, epochCount, pkg?.contents ?? null);
    const repo = this.training.repo(projectId);
    const runId = randomUUID();
    const files = runFiles(this.projects.projectDir(projectId), runId);
    const run: NewImportedRun = {
      id: runId,
      name,
      preset,
      settings,
      spec: source.spec,
      classNames: labels,
      classLabelIds: classes.labelIds,
      leftOutLabels: classes.leftOut,
      images: snapshotImages(db, classes.labelIds),
      epochsPlanned: epochCount,
      epochs,
      bestEpoch,
      // the kept weights' validation accuracy: what the file says, else the log's at the best epoch
      finalValAccuracy:
        source.trained?.valAccuracy ?? epochs.find((e) => e.epoch === bestEpoch)?.valAccuracy ?? null,
      imagesPerSecond: epochs.length
        ? epochs.reduce((s, e) => s + e.imagesPerSecond, 0) / epochs.length || null
        : null,
      imported: {
        format: source.format,
        fileName: path.basename(file),
        importedAt: new Date().toISOString(),
      },
    };
    let record;
    try {
      ensureRunDir(files);
      const header: ModelFileHeader = {
        format: 'cnn-studio-model',
        spec: source.spec,
        meta: { runId, classNames: labels, epoch: bestEpoch ?? epochCount },
      };
      writeFileAtomic(files.finalModel, encodeBundle(header, { params: source.params, state: source.state }));
      record = repo.createImported(run);
    } catch (error) {
      removeRunFiles(files);
      throw error;
    }
    this.events.emit('training:status', { projectId, runId, status: record.status, failure: null });
    return {
      run: toSummary(record),
      format: source.format,
      labels,
      epochs: epochs.length,
      metricsFile: epochs.length ? metricsFile : null,
    };
  }
}

function checkInput(source: ModelSource, input: InputSpec): void {
  const model = source.spec.input;
  if (model.height === input.height && model.width === input.width && model.channels === input.channels)
    return;
  const describe = (i: InputSpec) => ({
    width: i.width,
    height: i.height,
    color: i.channels === 3 ? 'rgb' : 'gray',
  });
  const text = (i: InputSpec) => `${i.width}×${i.height} ${i.channels === 3 ? 'RGB' : 'gray'}`;
  throw new AppFailure(
    'conflict',
    `The model takes ${text(model)} images; this project's are ${text(input)}.`,
    { code: 'import-model-input-mismatch', model: describe(model), project: describe(input) },
  );
}

/**
 * The model's class names in output order: from the file itself, else labels.txt beside it, else the training
 * package's classNames, else the project's class plan when it has as many classes as the model has outputs.
 */
function labelsFor(source: ModelSource, file: string, packageClasses: string[] | null, db: Db): string[] {
  const n = source.spec.numClasses;
  const fits = (l: string[] | null): l is string[] => l !== null && l.length === n;
  if (fits(source.labels)) return source.labels;
  const txt = readLabelsTxt(file);
  if (fits(txt)) return txt;
  if (fits(packageClasses)) return packageClasses;
  const plan = classPlan(db).classNames;
  if (fits(plan)) return plan;
  throw new AppFailure(
    'conflict',
    `The model has ${n} outputs but says nothing of its classes: put a labels.txt (one class per line, in output ` +
      'order) beside the file.',
    { code: 'import-model-no-labels', outputs: n, projectClasses: classPlan(db).classNames.length },
  );
}

/** The project's label id of each class (by exact name), and the project's labels the model does not know. */
function mapLabels(db: Db, labels: string[]): { labelIds: number[]; leftOut: string[] } {
  const rows = db.prepare('SELECT id, name FROM labels ORDER BY id').all() as { id: number; name: string }[];
  const byName = new Map(rows.map((r) => [r.name, r.id]));
  const duplicates = labels.filter((l, i) => labels.indexOf(l) !== i);
  if (duplicates.length)
    throw new AppFailure('conflict', `The model names a class twice: ${duplicates.join(', ')}.`, {
      code: 'import-model-duplicate-labels',
      labels: [...new Set(duplicates)],
    });
  const unknown = labels.filter((l) => !byName.has(l));
  if (unknown.length)
    throw new AppFailure(
      'conflict',
      `The model's classes ${unknown.map((l) => `"${l}"`).join(', ')} are not labels of this project ` +
        '(names must match exactly, including case).',
      { code: 'import-model-unknown-labels', labels: unknown, projectLabels: rows.map((r) => r.name) },
    );
  const wanted = new Set(labels);
  return {
    labelIds: labels.map((l) => byName.get(l)!),
    leftOut: rows.filter((r) => !wanted.has(r.name)).map((r) => r.name),
  };
}
