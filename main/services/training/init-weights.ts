/**
 * Starting a run from trained weights (settings.initFrom): a finished run of the project, or a model file (a
 * `.cnnmodel` export or a run's final.model). The weights must have been trained on the project's classes, in
 * the same order, at its input size; the run then trains their architecture. The file is copied into the new
 * run's folder (init.model), so resuming never depends on the source, which may move or be deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { InputSpec, ModelSpec } from '../../../app/domain/model-spec';
import type { InitSource, ModelChoice } from '../../../app/domain/training';
import { AppFailure } from '../../../app/ipc/result';
import { ModelFileError, readModelFile } from '../../../native-workers/cnn/model-file';
import { trainingRefusal } from './dataset-snapshot';
import type { RunRepository } from './run-repository';
import { runFiles } from './run-files';

/** Larger files are not model files of this app (the large preset at 128 px is ~10 MB). */
const MAX_MODEL_BYTES = 512 * 1024 * 1024;

export interface InitWeights {
  /** The model file's bytes, copied into the run's folder as they are. */
  bytes: Uint8Array;
  spec: ModelSpec;
  /** The architecture as a model choice (the spec's layers before the classifier), for the run's settings. */
  model: ModelChoice;
}

/** Reads and checks the weights `source` names against the project's classes and input. */
export function resolveInitWeights(
  source: InitSource,
  project: { dir: string; repo: RunRepository; classNames: string[]; input: InputSpec },
): InitWeights {
  const file = sourceFile(source, project);
  let bytes: Uint8Array;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw trainingRefusal('init-unreadable', `${file} is not a file.`);
    if (stat.size > MAX_MODEL_BYTES)
      throw trainingRefusal('init-unreadable', `${file} is too large for a model file.`);
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    throw trainingRefusal('init-unreadable', `Cannot read ${file}: ${(error as Error).message}`);
  }
  let contents;
  try {
    contents = readModelFile(bytes);
  } catch (error) {
    if (error instanceof ModelFileError)
      throw trainingRefusal('init-unreadable', `${file}: ${error.message}`);
    throw error;
  }
  const { spec, meta } = contents;
  if (JSON.stringify(spec.input) !== JSON.stringify(project.input)) {
    const size = (i: InputSpec) => `${i.width}×${i.height}×${i.channels}`;
    throw trainingRefusal(
      'init-mismatch',
      `The model takes ${size(spec.input)} images; this project's are ${size(project.input)}.`,
    );
  }
  if (meta.labels.join('\n') !== project.classNames.join('\n')) {
    throw trainingRefusal(
      'init-mismatch',
      `The model's classes (${meta.labels.join(', ')}) are not this project's (${project.classNames.join(', ')}).`,
    );
  }
  return { bytes, spec, model: choiceOf(spec) };
}

/** The model file a source names: a run's final weights (of this project), or an absolute path. */
function sourceFile(source: InitSource, project: { dir: string; repo: RunRepository }): string {
  if (source.kind === 'run') {
    const run = project.repo.get(source.runId); // not-found for a run of another project
    const file = runFiles(project.dir, run.id).finalModel;
    if (!fs.existsSync(file))
      throw trainingRefusal(
        'init-unreadable',
        `Run "${run.name}" has no trained weights (it is ${run.status}).`,
      );
    return file;
  }
  if (!path.isAbsolute(source.file))
    throw trainingRefusal('init-unreadable', 'The model file path must be absolute.');
  return path.resolve(source.file);
}

/** The layer list the spec was built from: every layer but the final classifier (specFor adds it back). */
function choiceOf(spec: ModelSpec): ModelChoice {
  return { kind: 'custom', layers: spec.layers.slice(0, -1).map((l) => ({ ...l })) };
}
