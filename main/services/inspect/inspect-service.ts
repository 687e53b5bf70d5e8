/**
 * "Look inside" (issue 10) for the IPC handlers and `cnn-studio inspect`: resolves the weights and the image, and
 * asks an inference worker (inspect-client.ts) to compute on the CNN core (native-workers/inspect/inspect.ts).
 *
 * Weights (InspectModel):
 *  - default: the project's model (runs.modelRun) or run `runId`: the run's final.model;
 *  - `live`: run `runId` (default: the project's active run, running or paused; with none, the project's model)
 *    from its newest checkpoint.bin, which the training loop rewrites (atomically) after every epoch and on pause;
 *    workers are keyed by the file's path, size and mtime, so the next request after an epoch loads the new weights
 *    and the stale worker is closed. `epoch` is then the number of epochs the checkpoint has finished. A run that is
 *    no longer training (completed, stopped, …) shows the weights it kept (final.model) when it has them, with
 *    their epoch count.
 * Image (InspectSource): `imageId` reads the project's uint8 tensor cache (the very input training used); when
 * the cache does not match the model's input (size or colour changed since), the stored original is decoded again.
 * `file` (absolute) is read and preprocessed exactly like prediction (dataset/decode.ts preprocessImage).
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
  ConvolveResult,
  InspectModel,
  InspectSource,
  Inspection,
  ShiftExperiment,
} from '../../../app/domain/inspect';
import { AppFailure } from '../../../app/ipc/result';
import type { InferenceWorkerData } from '../../../native-workers/inference/messages';
import { BlobStore } from '../dataset/blob-store';
import { DecodeError, MAX_FILE_BYTES, preprocessImage } from '../dataset/decode';
import type { ProjectStore } from '../project-store';
import type { RunsApi, TrainingApi } from '../training/api';
import { runFiles } from '../training/run-files';
import { InspectCache, type InspectClient } from './inspect-client';
import { writeInspectionFiles, type InspectIndex } from './inspect-files';

/** Runs whose newest weights are in checkpoint.bin. */
const ACTIVE = new Set(['queued', 'running', 'paused']);

export interface InspectDeps {
  projects: Pick<ProjectStore, 'projectDir' | 'db'>;
  runs: Pick<RunsApi, 'modelRun' | 'show'>;
  training: Pick<TrainingApi, 'status'>;
}

/** The weights an inspection uses. */
export interface ResolvedModel {
  client: InspectClient;
  runId: string;
  /** The checkpoint's finished epochs for a live view; null otherwise. */
  epoch: number | null;
}

export class InspectService {
  private readonly cache: InspectCache;

  constructor(
    workersDir: string,
    private readonly deps: InspectDeps,
  ) {
    this.cache = new InspectCache(workersDir);
  }

  /** Loads the weights of `model` (see the module comment). */
  async model(projectId: string, model: InspectModel = {}): Promise<ResolvedModel> {
    const { projects, runs, training } = this.deps;
    const dir = projects.projectDir(projectId);
    let runId = model.runId;
    if (!runId && model.live) runId = training.status(projectId).active?.id;
    runId ??= runs.modelRun(projectId)?.id;
    if (!runId)
      throw new AppFailure(
        'not-found',
        model.live
          ? 'No run of this project is training.'
          : 'This project has no trained model yet; train one first.',
        { code: model.live ? 'no-live-run' : 'no-model' },
      );
    const files = runFiles(dir, runId);
    const finalStat = fs.statSync(files.finalModel, { throwIfNoEntry: false });
    if (model.live) {
      const stat = fs.statSync(files.checkpoint, { throwIfNoEntry: false });
      const run = stat?.isFile() ? runs.show(projectId, runId) : null;
      // a training (or paused) run: its checkpoint; a finished one: the weights it kept, unless it has none
      if (stat && run && (ACTIVE.has(run.status) || !finalStat?.isFile())) {
        const labels = run.dataset.classNames;
        const data: InferenceWorkerData = { checkpointPath: files.checkpoint, labels, runId };
        const client = await this.cache.get(files.checkpoint, stat, data);
        return { client, runId, epoch: client.meta.metrics.epochs };
      }
    }
    const stat = finalStat;
    if (!stat?.isFile()) {
      const run = runs.show(projectId, runId);
      throw new AppFailure(
        'conflict',
        model.live
          ? `Run "${run.name}" has no checkpoint yet (it is ${run.status}); wait for its first epoch.`
          : `Run "${run.name}" has no trained weights (it is ${run.status}).`,
        { code: 'no-weights' },
      );
    }
    const client = await this.cache.get(files.finalModel, stat, { modelPath: files.finalModel });
    return { client, runId, epoch: model.live ? client.meta.metrics.epochs : null };
  }

  /** The network input [C, H, W] uint8 for the model's input size and colour. */
  async pixels(projectId: string, source: InspectSource, client: InspectClient): Promise<Uint8Array> {
    const { inputSize, color, channels } = client.meta.preprocessing;
    if ('file' in source) {
      if (!path.isAbsolute(source.file))
        throw new AppFailure('invalid-payload', `Not an absolute path: ${source.file}`, {
          code: 'not-absolute',
          path: source.file,
        });
      return decoding(source.file, async () =>
        preprocessImage(await readImageFile(source.file), inputSize, color),
      );
    }
    const row = this.deps.projects
      .db(projectId)
      .prepare(
        `SELECT i.sha256, i.ext, t.size, t.channels, t.pixels FROM images i
         LEFT JOIN image_tensors t ON t.image_id = i.id WHERE i.id = ?`,
      )
      .get(source.imageId) as
      | { sha256: string; ext: string; size: number | null; channels: number | null; pixels: Buffer | null }
      | undefined;
    if (!row)
      throw new AppFailure('not-found', `No image ${source.imageId} in this project.`, {
        code: 'image-missing',
        imageId: source.imageId,
      });
    const length = channels * inputSize * inputSize;
    if (row.pixels && row.size === inputSize && row.channels === channels && row.pixels.length === length)
      return new Uint8Array(row.pixels); // a copy: it is transferred to the worker
    const blob = await new BlobStore(this.deps.projects.projectDir(projectId)).readableBlob(
      row.sha256,
      row.ext,
      source.imageId,
    ); // checked: a crafted row must not read a file outside the project
    return decoding(blob, async () => preprocessImage(await readImageFile(blob), inputSize, color));
  }

  /** `inspect:image`: every layer's output, the filters, the top classes and Grad-CAM of `label` (default: top). */
  async inspect(
    projectId: string,
    model: InspectModel,
    source: InspectSource,
    label?: string,
  ): Promise<Inspection> {
    return (await this.inspectWith(projectId, model, source, label)).inspection;
  }

  private async inspectWith(
    projectId: string,
    model: InspectModel,
    source: InspectSource,
    label?: string,
  ): Promise<{ inspection: Inspection; client: InspectClient }> {
    const started = performance.now();
    const resolved = await this.model(projectId, model);
    const classIndex = classOf(resolved.client, label);
    const pixels = await this.pixels(projectId, source, resolved.client);
    const { inspection } = await resolved.client.inspect(pixels, classIndex);
    return {
      inspection: {
        ...inspection,
        runId: resolved.runId,
        epoch: resolved.epoch,
        millis: performance.now() - started,
      },
      client: resolved.client,
    };
  }

  /**
   * `cnn-studio inspect`: inspects an image file and writes the PNGs and index.json into `outDir` (created, or
   * an existing empty folder; anything else is refused with 'conflict', before any work). See inspect-files.ts.
   */
  async inspectToFolder(
    projectId: string,
    model: InspectModel,
    file: string,
    outDir: string,
    label?: string,
  ): Promise<{ dir: string; index: InspectIndex; inspection: Inspection }> {
    const dir = checkOutDir(outDir);
    const { inspection, client } = await this.inspectWith(
      projectId,
      model,
      { file: path.resolve(file) },
      label,
    );
    fs.mkdirSync(dir, { recursive: true });
    return { dir, index: await writeInspectionFiles(inspection, client.spec, dir), inspection };
  }

  /** `inspect:shift`: the translation experiment. */
  async shift(
    projectId: string,
    model: InspectModel,
    source: InspectSource,
    offsets: { dx: number; dy: number }[],
    flip: boolean,
  ): Promise<ShiftExperiment> {
    const { client } = await this.model(projectId, model);
    return client.shift(await this.pixels(projectId, source, client), offsets, flip);
  }

  /** `inspect:convolve`: the filter playground. */
  async convolve(
    projectId: string,
    model: InspectModel,
    source: InspectSource,
    kernel: number[],
  ): Promise<ConvolveResult> {
    if (kernel.length !== 9)
      throw new AppFailure('invalid-payload', 'The kernel needs 9 values (3×3).', { code: 'bad-kernel' });
    const { client } = await this.model(projectId, model);
    return client.convolve(await this.pixels(projectId, source, client), kernel);
  }

  /** Ends every worker. */
  dispose(): Promise<void> {
    return this.cache.dispose();
  }
}

/** The class index of `label` (undefined: the predicted class); an unknown label is 'invalid-payload'. */
function classOf(client: InspectClient, label: string | undefined): number | undefined {
  if (label === undefined) return undefined;
  const i = client.labels.indexOf(label);
  if (i < 0)
    throw new AppFailure('invalid-payload', `The model has no class "${label}".`, {
      code: 'unknown-class',
      label,
      labels: client.labels,
    });
  return i;
}

/** The absolute dir when it does not exist or is an empty folder; anything else is refused. */
function checkOutDir(outDir: string): string {
  const dir = path.resolve(outDir);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory())
    throw new AppFailure('conflict', `${dir} exists and is not a folder.`, { code: 'not-a-folder', dir });
  if (stat && fs.readdirSync(dir).length > 0)
    throw new AppFailure('conflict', `${dir} is not empty; write into a new or empty folder.`, {
      code: 'dir-not-empty',
      dir,
    });
  return dir;
}

async function readImageFile(file: string): Promise<Buffer> {
  let stat;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    throw new AppFailure('not-found', `No such image file: ${file}`, { code: 'image-file-missing', file });
  }
  if (!stat.isFile())
    throw new AppFailure('invalid-payload', `${file}: not a regular file`, { code: 'not-a-file', file });
  if (stat.size > MAX_FILE_BYTES)
    throw new AppFailure(
      'invalid-payload',
      `${file}: file too large (${stat.size} bytes, limit ${MAX_FILE_BYTES})`,
      { code: 'file-too-large', file, size: stat.size, limit: MAX_FILE_BYTES },
    );
  return fs.promises.readFile(file);
}

/** Runs a decoding step; its failures become 'invalid-payload' naming the file. */
async function decoding<T>(file: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    const detail =
      error instanceof DecodeError ? error.message : `cannot decode the image (${String(error)})`;
    throw new AppFailure('invalid-payload', `${file}: ${detail}`, { code: 'unreadable-image', file, detail });
  }
}
