/**
 * Evaluation of a run's model: on a split with the current labels (from the stored predictions, computing the
 * missing ones in a worker), or on a class-per-folder tree that is not imported.
 */
import fs from 'node:fs/promises';
import type { EvalSplit, EvaluationReport, ImagePrediction } from '../../../app/domain/training';
import { AppFailure } from '../../../app/ipc/result';
import { sqliteNativeBinding } from '../../db/open-database';
import { preprocessImage } from '../dataset/decode';
import { scanPaths } from '../dataset/scan';
import type { ProjectStore } from '../project-store';
import type { EvaluationApi } from './api';
import { reportFrom, type Scored } from './metrics';
import { runPredictJob } from './predict-job';
import { runFiles } from './run-files';
import type { RunRecord, RunRepository } from './run-repository';
import type { RunsService } from './runs-service';
import type { TrainingService } from './training-service';

interface PredictionRow {
  image_id: number;
  sha256: string;
  file_name: string;
  label_id: number | null;
  predicted: number;
  confidence: number;
  probabilities: Buffer;
}

export class EvaluationService implements EvaluationApi {
  constructor(
    private readonly projects: ProjectStore,
    private readonly training: TrainingService,
    private readonly runs: RunsService,
    private readonly workersDir: string,
  ) {}

  async evaluate(projectId: string, split: EvalSplit, runId?: string): Promise<EvaluationReport> {
    const run = this.runs.record(projectId, runId);
    const rows = await this.splitPredictions(projectId, run, split);
    const classOf = new Map(run.classLabelIds.map((id, i) => [id, i]));
    const scored: Scored[] = [];
    let unknown = 0;
    for (const r of rows) {
      if (r.label_id === null) continue;
      const t = classOf.get(r.label_id);
      if (t === undefined) {
        unknown++;
        continue;
      }
      scored.push({ trueClass: t, predicted: r.predicted, labelProbability: probabilityOf(r, t) });
    }
    return reportFrom(run.id, split, run.classNames, scored, unknown);
  }

  async predictions(
    projectId: string,
    q: Parameters<EvaluationApi['predictions']>[1],
  ): Promise<ImagePrediction[]> {
    const run = this.runs.record(projectId, q.runId);
    const rows = await this.splitPredictions(projectId, run, q.split);
    const labelName = new Map(
      (
        this.projects.db(projectId).prepare('SELECT id, name FROM labels').raw().all() as [number, string][]
      ).map(([id, name]) => [id, name]),
    );
    const classOf = new Map(run.classLabelIds.map((id, i) => [id, i]));
    const want = (s: string | undefined) => (s === undefined ? undefined : s.toLowerCase());
    const trueWant = want(q.trueLabel);
    const predictedWant = want(q.predicted);
    const out: ImagePrediction[] = [];
    for (const r of rows) {
      const label = r.label_id === null ? null : (labelName.get(r.label_id) ?? null);
      const predicted = run.classNames[r.predicted];
      if (trueWant !== undefined && label?.toLowerCase() !== trueWant) continue;
      if (predictedWant !== undefined && predicted.toLowerCase() !== predictedWant) continue;
      const t = r.label_id === null ? undefined : classOf.get(r.label_id);
      if (q.onlyWrong && (t === undefined || t === r.predicted)) continue;
      const p = t === undefined ? null : probabilityOf(r, t);
      out.push({
        imageId: r.image_id,
        sha256: r.sha256,
        fileName: r.file_name,
        label,
        predicted,
        confidence: r.confidence,
        labelProbability: p,
        loss: p === null ? null : -Math.log(Math.max(p, 1e-12)),
      });
    }
    out.sort((a, b) =>
      q.order === 'loss'
        ? (b.loss ?? -1) - (a.loss ?? -1) || a.imageId - b.imageId
        : b.confidence - a.confidence,
    );
    return out.slice(0, q.limit);
  }

  async evaluateFolder(projectId: string, folder: string, runId?: string): Promise<EvaluationReport> {
    const run = this.runs.record(projectId, runId);
    const project = this.projects.get(projectId);
    const stat = await fs.stat(folder).catch(() => null);
    if (!stat?.isDirectory())
      throw new AppFailure('not-found', `${folder} is not a folder.`, { code: 'not-a-folder', dir: folder });
    const scan = await scanPaths([folder]);
    const byName = new Map(run.classNames.map((n, i) => [n.toLowerCase(), i]));
    const files = scan.files.filter((f) => f.label !== null);
    const unknownFolders = [...new Set(files.map((f) => f.label as string))].filter(
      (l) => !byName.has(l.toLowerCase()),
    );
    if (unknownFolders.length)
      throw new AppFailure(
        'invalid-payload',
        `Folder names that are not classes of the model: ${unknownFolders.join(', ')} (classes: ${run.classNames.join(', ')}).`,
        { code: 'unknown-class-folders', unknownFolders },
      );
    if (files.length === 0)
      throw new AppFailure('invalid-payload', `No labeled images in ${folder} (one subfolder per class).`, {
        code: 'no-labeled-images',
        dir: folder,
      });
    const size = project.inputSize * project.inputSize * (project.color === 'rgb' ? 3 : 1);
    const pixels = new Uint8Array(files.length * size);
    const ok: boolean[] = new Array(files.length).fill(false);
    let next = 0;
    const decodeNext = async (): Promise<void> => {
      while (next < files.length) {
        const i = next++;
        try {
          const tensor = await preprocessImage(
            await fs.readFile(files[i].path),
            project.inputSize,
            project.color,
          );
          pixels.set(tensor, i * size);
          ok[i] = true;
        } catch {
          // an unreadable image is not counted (the CLI reports the count)
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, decodeNext));
    const keep = ok.map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
    const packed = new Uint8Array(keep.length * size);
    keep.forEach((i, k) => packed.set(pixels.subarray(i * size, (i + 1) * size), k * size));
    const batch = await runPredictJob(this.workersDir, {
      kind: 'predict',
      modelPath: this.modelFile(projectId, run),
      input: { kind: 'pixels', pixels: packed, count: keep.length },
    });
    const scored: Scored[] = keep.map((i, k) => {
      const t = byName.get((files[i].label as string).toLowerCase()) as number;
      return {
        trueClass: t,
        predicted: batch.predicted[k],
        labelProbability: batch.probabilities[k * batch.classes + t],
      };
    });
    return reportFrom(run.id, 'folder', run.classNames, scored, 0);
  }

  private modelFile(projectId: string, run: RunRecord): string {
    if (!run.hasModel)
      throw new AppFailure('conflict', `Run "${run.name}" has no trained weights.`, {
        code: 'no-weights',
        run: run.name,
      });
    return runFiles(this.projects.projectDir(projectId), run.id).finalModel;
  }

  /** Predictions of the split's current (non-removed) images, computing those the run has not stored yet. */
  private async splitPredictions(
    projectId: string,
    run: RunRecord,
    split: EvalSplit,
  ): Promise<PredictionRow[]> {
    const db = this.projects.db(projectId);
    const repo: RunRepository = this.training.repo(projectId);
    const missing = db
      .prepare(
        `SELECT i.id FROM images i JOIN image_tensors t ON t.image_id = i.id
         WHERE i.removed_at IS NULL AND i.split = ? AND NOT EXISTS
           (SELECT 1 FROM run_predictions p WHERE p.run_id = ? AND p.image_id = i.id) ORDER BY i.id`,
      )
      .pluck()
      .all(split, run.id) as number[];
    if (missing.length) {
      const imageIds = Int32Array.from(missing);
      const binding = sqliteNativeBinding();
      const batch = await runPredictJob(this.workersDir, {
        kind: 'predict',
        modelPath: this.modelFile(projectId, run),
        input: {
          kind: 'tensors',
          source: {
            dbPath: this.projects.dbPath(projectId),
            imageIds,
            ...(binding ? { sqliteBinding: binding } : {}),
          },
        },
      });
      repo.savePredictions(
        run.id,
        run.classLabelIds,
        imageIds,
        batch.predicted,
        batch.confidence,
        batch.probabilities,
        batch.classes,
      );
    }
    return db
      .prepare(
        `SELECT i.id AS image_id, i.sha256, i.file_name, i.label_id, p.predicted, p.confidence, p.probabilities
         FROM images i JOIN run_predictions p ON p.image_id = i.id AND p.run_id = ?
         WHERE i.removed_at IS NULL AND i.split = ? ORDER BY i.id`,
      )
      .all(run.id, split) as PredictionRow[];
  }
}

function probabilityOf(r: PredictionRow, classIndex: number): number {
  const b = r.probabilities;
  return b.readFloatLE(classIndex * 4);
}
