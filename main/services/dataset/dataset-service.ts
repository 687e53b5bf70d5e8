import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import {
  type ActionDescription,
  type DatasetStats,
  type ExportResult,
  type HealthReport,
  type ImageDetails,
  type ImageFilter,
  type ImagePage,
  type ImageSortKey,
  type ImportOptions,
  type ImportStatus,
  type ImportSummary,
  type LabelChangeCause,
  type LabelInfo,
  type SplitName,
  type SplitRatios,
  type UndoState,
} from '../../../app/domain/dataset';
import { AppFailure } from '../../../app/ipc/result';
import { actionText } from '../../cli/dataset-text';
import type { Db } from '../../db/open-database';
import type { ProjectStore } from '../project-store';
import type { EventSink } from '../services';
import { recordAction, redo, undo, undoState, type LabelRow, type Op } from './actions';
import { BlobStore } from './blob-store';
import { MIME_BY_EXT, differenceHash, preprocessImage } from './decode';
import { exportDatasetFolders } from './dataset-export';
import { datasetStats, dismissImportFailures, healthReport } from './health';
import { existingImageRows, imageDetails, listImages, type ImageStateRow } from './image-queries';
import { ImportRegistry, type ActiveImport } from './import-registry';
import { emptyImportSummary, runImport, type ImportHooks } from './importer';
import {
  createLabel,
  deleteLabel,
  labelInfo,
  labelRow,
  listLabels,
  mergeLabels,
  relabelOps,
  renameLabel,
  setLabelColor,
  validateLabelName,
} from './label-ops';
import { applySplitSettings, fillSplits, getSplitSettings, normaliseRatios, reshuffleSplits } from './splits';
import { loadTrainingTensors, type LoadTensorOptions, type TrainingTensors } from './tensors';

/** Re-exported for callers that imported it from here; the type lives in app/domain/dataset.ts. */
export type { ImportStatus };

/** Re-exported: callers import the label-name rule from here. */
export { validateLabelName };

/**
 * The dataset of each project: import, images, labels, splits, health, export, undo. Long imports run in the
 * background of this process (decoding on sharp's thread pool) and report through the event sink.
 */
export class DatasetService {
  private readonly imports = new ImportRegistry();

  constructor(
    private readonly projects: ProjectStore,
    private readonly events: EventSink,
  ) {}

  private db(projectId: string): Db {
    return this.projects.db(projectId);
  }

  private now(): string {
    return new Date().toISOString();
  }

  private changed(projectId: string, reason: string): void {
    this.events.emit('dataset:changed', { projectId, reason });
  }

  // ---------------------------------------------------------------- import

  /** Starts an import in the background; progress and the final summary arrive as events. */
  startImport(projectId: string, options: ImportOptions): { importId: string } {
    const { importId } = this.beginImport(projectId, options, {});
    return { importId };
  }

  /** Runs an import to the end (the CLI); `hooks` get progress and may cancel through `signal`. */
  async importAndWait(
    projectId: string,
    options: ImportOptions,
    hooks: ImportHooks = {},
  ): Promise<ImportSummary> {
    return this.beginImport(projectId, options, hooks).promise;
  }

  private beginImport(
    projectId: string,
    options: ImportOptions,
    hooks: ImportHooks,
  ): { importId: string; promise: Promise<ImportSummary> } {
    this.imports.assertIdle(projectId);
    const project = this.projects.get(projectId);
    const label = options.label === undefined ? undefined : validateLabelName(options.label);
    const importId = randomUUID();
    const controller = new AbortController();
    hooks.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const entry: ActiveImport = { projectId, controller, progress: null, promise: undefined as never };
    const promise = runImport(
      {
        db: this.db(projectId),
        projectId,
        projectDir: this.projects.projectDir(projectId),
        inputSize: project.inputSize,
        color: project.color,
      },
      importId,
      { paths: options.paths, ...(label ? { label } : {}) },
      {
        ...hooks,
        signal: controller.signal,
        onProgress: (p) => {
          entry.progress = p;
          this.events.emit('dataset:importProgress', p);
          hooks.onProgress?.(p);
        },
      },
    ).then(
      (summary) => {
        this.imports.remove(importId);
        this.events.emit('dataset:importFinished', summary);
        this.changed(projectId, 'import');
        return summary;
      },
      (error: unknown) => {
        this.imports.remove(importId);
        // The page still hears that the import ended (e.g. the project was deleted or its disk failed).
        this.events.emit('dataset:importFinished', failedSummary(projectId, importId, error));
        this.changed(projectId, 'import');
        throw error;
      },
    );
    entry.promise = promise;
    this.imports.add(importId, entry);
    // A background import's failure is reported by importStatus; never an unhandled rejection.
    promise.catch(() => undefined);
    return { importId, promise };
  }

  /**
   * Stops a running import after its current batch. `projectId` (the IPC handler always passes it): only an import
   * of that project is cancelled — another project's import id answers `{cancelled: false}` like an unknown one.
   */
  cancelImport(importId: string, projectId?: string): { cancelled: boolean } {
    return { cancelled: this.imports.cancel(importId, projectId) };
  }

  /** True while an import into the project runs in this process. */
  isImporting(projectId: string): boolean {
    return this.imports.isImporting(projectId);
  }

  /** Cancels the project's running import(s) and waits until they have committed (call before moving its folder). */
  async cancelProjectImports(projectId: string): Promise<void> {
    await this.imports.cancelAndWait(projectId);
  }

  /** Cancels every running import and waits for each to commit its last batch. */
  async cancelAll(): Promise<void> {
    await this.imports.cancelAndWait();
  }

  importStatus(projectId: string, importId: string): ImportStatus {
    const a = this.imports.get(projectId, importId);
    if (a) return { importId, state: 'running', progress: a.progress };
    const row = this.db(projectId)
      .prepare('SELECT started_at, status, summary FROM imports WHERE id = ?')
      .get(importId) as { started_at: string; status: string; summary: string | null } | undefined;
    if (!row)
      throw new AppFailure('not-found', `No import ${importId} in this project.`, {
        code: 'import-missing',
        importId,
      });
    if (!row.summary) return { importId, state: 'interrupted', startedAt: row.started_at };
    return { importId, state: 'finished', summary: JSON.parse(row.summary) as ImportSummary };
  }

  listImports(
    projectId: string,
  ): { importId: string; startedAt: string; finishedAt: string | null; status: string; imported: number }[] {
    const rows = this.db(projectId)
      .prepare('SELECT id, started_at, finished_at, status, summary FROM imports ORDER BY started_at DESC')
      .all() as {
      id: string;
      started_at: string;
      finished_at: string | null;
      status: string;
      summary: string | null;
    }[];
    return rows.map((r) => ({
      importId: r.id,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      status: this.imports.get(projectId, r.id) ? 'running' : r.summary ? r.status : 'interrupted',
      imported: r.summary ? (JSON.parse(r.summary) as ImportSummary).imported : 0,
    }));
  }

  // ---------------------------------------------------------------- images

  listImages(
    projectId: string,
    query: { filter: ImageFilter; sort: ImageSortKey; descending: boolean; offset: number; limit: number },
  ): ImagePage {
    return listImages(this.db(projectId), query);
  }

  imageDetails(projectId: string, imageId: number): ImageDetails {
    return imageDetails(this.db(projectId), imageId);
  }

  private existingIds(db: Db, imageIds: number[]): ImageStateRow[] {
    return existingImageRows(db, imageIds);
  }

  /** Moves images to the project's bin (recoverable with restoreImages). */
  removeImages(projectId: string, imageIds: number[]): { changed: number } {
    return this.setRemoved(projectId, imageIds, true);
  }

  restoreImages(projectId: string, imageIds: number[]): { changed: number } {
    return this.setRemoved(projectId, imageIds, false);
  }

  private setRemoved(projectId: string, imageIds: number[], remove: boolean): { changed: number } {
    const db = this.db(projectId);
    const now = this.now();
    const changed = db.transaction(() => {
      const rows = this.existingIds(db, imageIds).filter((r) => (r.removedAt !== null) !== remove);
      if (rows.length === 0) return 0;
      const op: Op = {
        t: 'removed',
        ids: rows.map((r) => r.id),
        before: rows.map((r) => r.removedAt),
        after: rows.map(() => (remove ? now : null)),
      };
      recordAction(db, { kind: remove ? 'remove' : 'restore', count: rows.length }, [op], now);
      fillSplits(db);
      return rows.length;
    })();
    if (changed) this.changed(projectId, remove ? 'removed' : 'restored');
    return { changed };
  }

  // ---------------------------------------------------------------- labels

  listLabels(projectId: string): LabelInfo[] {
    return listLabels(this.db(projectId));
  }

  private labelRow(db: Db, labelId: number): LabelRow {
    return labelRow(db, labelId);
  }

  private label(projectId: string, labelId: number): LabelInfo {
    return labelInfo(this.db(projectId), labelId);
  }

  createLabel(projectId: string, rawName: string, color?: string): LabelInfo {
    const id = createLabel(this.db(projectId), rawName, color, this.now());
    this.changed(projectId, 'labels');
    return this.label(projectId, id);
  }

  renameLabel(projectId: string, labelId: number, rawName: string): LabelInfo {
    renameLabel(this.db(projectId), labelId, rawName, this.now());
    this.changed(projectId, 'labels');
    return this.label(projectId, labelId);
  }

  setLabelColor(projectId: string, labelId: number, color: string): LabelInfo {
    setLabelColor(this.db(projectId), labelId, color, this.now());
    this.changed(projectId, 'labels');
    return this.label(projectId, labelId);
  }

  /** Moves every image of the source labels to the target, then deletes the sources (undoable). */
  mergeLabels(projectId: string, sourceIds: number[], targetId: number): LabelInfo {
    mergeLabels(this.db(projectId), sourceIds, targetId, this.now());
    this.changed(projectId, 'labels');
    return this.label(projectId, targetId);
  }

  /** Deletes a label; its images become unlabeled (undoable). */
  deleteLabel(projectId: string, labelId: number): { deleted: number; unlabeledImages: number } {
    const unlabeledImages = deleteLabel(this.db(projectId), labelId, this.now());
    this.changed(projectId, 'labels');
    return { deleted: labelId, unlabeledImages };
  }

  /** Sets (or clears, with null) the label of many images; also resolves their label conflicts. */
  assignLabel(projectId: string, imageIds: number[], labelId: number | null): { changed: number } {
    const db = this.db(projectId);
    const changed = db.transaction(() => {
      const name = labelId === null ? null : this.labelRow(db, labelId).name;
      const rows = this.existingIds(db, imageIds).filter((r) => r.labelId !== labelId || r.conflict !== null);
      if (rows.length === 0) return 0;
      const ops = relabelOps(rows, () => labelId);
      recordAction(db, { kind: 'label', count: rows.length, label: name }, ops, this.now());
      return rows.length;
    })();
    if (changed) this.changed(projectId, 'labels');
    return { changed };
  }

  /**
   * Gives each image its own label as ONE undoable action (accepting suggestions), resolving label conflicts as
   * assignLabel does. With `unlabeledOnly`, images that are labeled or removed by now are left alone. Answers the
   * images changed; nothing changed: no action is recorded.
   */
  assignEach(
    projectId: string,
    pairs: { imageId: number; labelId: number }[],
    options: {
      /** Legacy English description (suggestions pass one); the action is logged as data from `cause`. */
      description: (changed: number) => string;
      cause: LabelChangeCause;
      unlabeledOnly?: boolean;
    },
  ): { changed: number; imageIds: number[] } {
    const db = this.db(projectId);
    const target = new Map(pairs.map((p) => [p.imageId, p.labelId]));
    const imageIds = db.transaction(() => {
      for (const labelId of new Set(target.values())) this.labelRow(db, labelId);
      const rows = this.existingIds(db, [...target.keys()]).filter(
        (r) =>
          (!options.unlabeledOnly || (r.labelId === null && r.removedAt === null)) &&
          (r.labelId !== target.get(r.id) || r.conflict !== null),
      );
      if (rows.length === 0) return [];
      const ops = relabelOps(rows, (id) => target.get(id) as number);
      const action: ActionDescription =
        options.cause === 'suggestion'
          ? { kind: 'accept-suggestions', count: rows.length }
          : { kind: 'other', text: options.description(rows.length) };
      recordAction(db, action, ops, this.now(), options.cause);
      return rows.map((r) => r.id);
    })();
    if (imageIds.length) this.changed(projectId, 'labels');
    return { changed: imageIds.length, imageIds };
  }

  // ---------------------------------------------------------------- undo

  undo(projectId: string): UndoState & { undone: string | null; undoneAction: ActionDescription | null } {
    const db = this.db(projectId);
    const undoneAction = undo(db, this.now());
    db.transaction(() => fillSplits(db))();
    if (undoneAction) this.changed(projectId, 'undo');
    return { ...undoState(db), undone: undoneAction && actionText(undoneAction), undoneAction };
  }

  redo(projectId: string): UndoState & { redone: string | null; redoneAction: ActionDescription | null } {
    const db = this.db(projectId);
    const redoneAction = redo(db, this.now());
    db.transaction(() => fillSplits(db))();
    if (redoneAction) this.changed(projectId, 'redo');
    return { ...undoState(db), redone: redoneAction && actionText(redoneAction), redoneAction };
  }

  undoState(projectId: string): UndoState {
    return undoState(this.db(projectId));
  }

  // ---------------------------------------------------------------- splits

  /**
   * `fill`: give images without a split one (stable); `reshuffle`: recompute every automatic split with the
   * (new) ratios and seed; `folders`: like reshuffle but also replaces splits that came from folder names.
   */
  split(
    projectId: string,
    input: { ratios?: SplitRatios; seed?: number; mode: 'fill' | 'reshuffle' | 'all' },
  ): DatasetStats {
    const db = this.db(projectId);
    db.transaction(() => {
      const current = getSplitSettings(db);
      const settings = {
        ratios: input.ratios ? normaliseRatios(input.ratios) : current.ratios,
        seed: input.seed ?? current.seed,
      };
      if (input.mode === 'fill') {
        // Never moves an assigned image: new ratios/seed apply to images without a split.
        applySplitSettings(db, settings);
        fillSplits(db);
      } else {
        reshuffleSplits(db, settings, input.mode === 'all');
      }
    })();
    this.changed(projectId, 'splits');
    return this.stats(projectId);
  }

  /** Manual split override for many images; null gives them back to the automatic assignment. */
  setSplit(projectId: string, imageIds: number[], split: SplitName | null): { changed: number } {
    const db = this.db(projectId);
    const changed = db.transaction(() => {
      const rows = this.existingIds(db, imageIds).filter((r) =>
        split === null ? r.splitSource === 'manual' : r.split !== split || r.splitSource !== 'manual',
      );
      if (rows.length === 0) return 0;
      const op: Op = {
        t: 'split',
        ids: rows.map((r) => r.id),
        before: rows.map((r) => [r.split, r.splitSource]),
        after: rows.map(() => (split === null ? [null, null] : [split, 'manual'])),
      };
      recordAction(db, { kind: 'split', count: rows.length, split }, [op], this.now());
      fillSplits(db);
      return rows.length;
    })();
    if (changed) this.changed(projectId, 'splits');
    return { changed };
  }

  // ---------------------------------------------------------------- stats & health

  stats(projectId: string): DatasetStats {
    return datasetStats(this.db(projectId), this.listLabels(projectId));
  }

  health(projectId: string): HealthReport {
    return healthReport(this.db(projectId), this.stats(projectId));
  }

  /** Dismisses every current import failure: Health leaves them out; the import log keeps them. */
  dismissImportFailures(projectId: string): { dismissed: number } {
    const dismissed = dismissImportFailures(this.db(projectId), this.now());
    if (dismissed) this.changed(projectId, 'health');
    return { dismissed };
  }

  // ---------------------------------------------------------------- export

  /** Writes the images back out as class folders plus `manifest.csv` (see dataset-export.ts). */
  async exportFolders(
    projectId: string,
    dir: string,
    options: { bySplit: boolean; includeUnlabeled: boolean; split?: SplitName },
  ): Promise<ExportResult> {
    return exportDatasetFolders(this.db(projectId), this.projects.projectDir(projectId), dir, options);
  }

  // ---------------------------------------------------------------- training data & media

  loadTrainingTensors(projectId: string, options: LoadTensorOptions = {}): TrainingTensors {
    return loadTrainingTensors(this.db(projectId), options);
  }

  /**
   * Re-decodes every image from its stored original into the tensor cache (to repair it, or after a change of
   * the preprocessing). Four decodes at a time, 256 images per transaction.
   */
  async rebuildTensors(
    projectId: string,
  ): Promise<{ rebuilt: number; failed: { imageId: number; reason: string }[] }> {
    const project = this.projects.get(projectId);
    const db = this.db(projectId);
    const blobs = new BlobStore(this.projects.projectDir(projectId));
    const channels = project.color === 'gray' ? 1 : 3;
    const rows = db.prepare('SELECT id, sha256, ext FROM images ORDER BY id').all() as {
      id: number;
      sha256: string;
      ext: string;
    }[];
    const upsert = db.prepare(
      `INSERT INTO image_tensors (image_id, size, channels, pixels) VALUES (?, ?, ?, ?)
       ON CONFLICT(image_id) DO UPDATE SET size = excluded.size, channels = excluded.channels, pixels = excluded.pixels`,
    );
    const setHash = db.prepare('UPDATE images SET dhash = ? WHERE id = ?');
    const failed: { imageId: number; reason: string }[] = [];
    let rebuilt = 0;
    for (let start = 0; start < rows.length; start += 256) {
      const chunk = rows.slice(start, start + 256);
      const done: { id: number; tensor: Uint8Array }[] = [];
      let next = 0;
      const lane = async () => {
        while (next < chunk.length) {
          const r = chunk[next++];
          try {
            const bytes = await fs.promises.readFile(blobs.blobPath(r.sha256, r.ext));
            done.push({ id: r.id, tensor: await preprocessImage(bytes, project.inputSize, project.color) });
          } catch (error) {
            failed.push({ imageId: r.id, reason: error instanceof Error ? error.message : String(error) });
          }
        }
      };
      await Promise.all([lane(), lane(), lane(), lane()]);
      db.transaction(() => {
        for (const d of done) {
          upsert.run(d.id, project.inputSize, channels, d.tensor);
          setHash.run(differenceHash(d.tensor, project.inputSize, channels), d.id);
        }
      })();
      rebuilt += done.length;
    }
    return { rebuilt, failed };
  }

  /** File and MIME type of an image's original or thumbnail, by sha256; null when unknown. */
  mediaFile(
    projectId: string,
    sha256: string,
    kind: 'thumb' | 'original',
  ): { file: string; mimeType: string } | null {
    const row = this.db(projectId).prepare('SELECT ext FROM images WHERE sha256 = ?').get(sha256) as
      { ext: string } | undefined;
    if (!row) return null;
    const blobs = new BlobStore(this.projects.projectDir(projectId));
    if (kind === 'thumb') {
      const thumb = blobs.thumbPath(sha256);
      if (fs.existsSync(thumb)) return { file: thumb, mimeType: 'image/webp' };
      // Small originals in a browser format are their own thumbnail.
      if (!['jpg', 'png', 'webp', 'gif'].includes(row.ext)) return null;
    }
    return {
      file: blobs.blobPath(sha256, row.ext),
      mimeType: MIME_BY_EXT[row.ext] ?? 'application/octet-stream',
    };
  }
}

function failedSummary(projectId: string, importId: string, error: unknown): ImportSummary {
  return {
    ...emptyImportSummary(importId, projectId, 'failed'),
    error: error instanceof Error ? error.message : String(error),
  };
}
