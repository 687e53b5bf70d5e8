/**
 * Our own model format for export: a run's kept weights (final.model) as a `.cnnmodel` file with its labels,
 * preprocessing, per-split accuracy, epochs and the app version (native-workers/cnn/model-file.ts). The export
 * service (`export --format native`) and tests call exportNativeModel; `predict MODEL_FILE` reads the result.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EvalSplit } from '../../../app/domain/training';
import { AppFailure } from '../../../app/ipc/result';
import {
  preprocessingFor,
  readModelFile,
  writeModelFile,
  type CnnModelMeta,
} from '../../../native-workers/cnn/model-file';
import type { Services } from '../services';
import { PredictionService } from './prediction-service';

export interface NativeModelExport {
  /** The absolute path written. */
  file: string;
  bytes: number;
  meta: CnnModelMeta;
}

/** Builds the `.cnnmodel` bytes of a run (default: the project's model) without writing them. */
export async function buildNativeModel(
  services: Services,
  projectId: string,
  runId?: string,
): Promise<{ bytes: Uint8Array; meta: CnnModelMeta }> {
  const project = services.projects.get(projectId);
  const modelPath = new PredictionService(services.config.workersDir, services).modelPath(
    runId === undefined ? { projectId } : { projectId, runId },
  );
  const run = services.runs.show(projectId, runId ?? (services.runs.modelRun(projectId)?.id as string));
  const weights = readModelFile(new Uint8Array(fs.readFileSync(modelPath)));
  const accuracy: CnnModelMeta['metrics']['accuracy'] = { train: null, val: null, test: null };
  for (const split of ['train', 'val', 'test'] as EvalSplit[]) {
    if (run.dataset[split] === 0) continue;
    try {
      const report = await services.evaluation.evaluate(projectId, split, run.id);
      accuracy[split] = report.count > 0 ? report.accuracy : null;
    } catch {
      // unknown: left null
    }
  }
  const meta: CnnModelMeta = {
    kind: 'cnnmodel',
    version: 1,
    labels: run.dataset.classNames,
    preprocessing: preprocessingFor(weights.spec),
    metrics: { accuracy, epochs: run.epochsDone, bestEpoch: run.bestEpoch },
    appVersion: services.config.version,
    run: { id: run.id, name: run.name, project: project.name },
    createdAt: new Date().toISOString(),
  };
  return { bytes: writeModelFile(weights, meta), meta };
}

/**
 * Writes a run's (default: the project's model's) `.cnnmodel` to `outFile` (temp file + rename, so a reader never
 * sees half a file). Fails with `not-found` / `conflict` when the project has no model or the run no weights.
 */
export async function exportNativeModel(
  services: Services,
  projectId: string,
  runId: string | undefined,
  outFile: string,
): Promise<NativeModelExport> {
  const { bytes, meta } = await buildNativeModel(services, projectId, runId);
  const file = path.resolve(outFile);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, bytes);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new AppFailure('storage', `Cannot write ${file}: ${(error as Error).message}`);
  }
  return { file, bytes: bytes.length, meta };
}
