import type {
  ActionDescription,
  DatasetStats,
  ExportResult,
  HealthReport,
  ImageDetails,
  ImageFilter,
  ImagePage,
  ImageSortKey,
  ImportOptions,
  ImportStatus,
  ImportSummary,
  LabelChangeCause,
  LabelInfo,
  SplitName,
  SplitRatios,
  UndoState,
} from '../../../app/domain/dataset';
import { actionText } from '../../cli/dataset-text';
import { type Db, writeTransaction } from '../../db/open-database';
import type { ProjectStore } from '../project-store';
import type { EventSink } from '../services';
import { redo, undo, undoState } from './actions';
import { exportDatasetFolders } from './dataset-export';
import { datasetStats, dismissImportFailures, healthReport } from './health';
import { imageDetails, listImages } from './image-queries';
import { setManualSplit, setRemoved, splitImages } from './image-ops';
import { ImportRunner, type LoggedImport } from './import-runner';
import type { ImportHooks } from './importer';
import { assignEach, assignLabel } from './label-assign';
import {
  createLabel,
  deleteLabel,
  labelInfo,
  listLabels,
  mergeLabels,
  renameLabel,
  setLabelColor,
  validateLabelName,
} from './label-ops';
import { mediaFile, rebuildTensors } from './media';
import { sweepInterruptedImports } from './orphan-sweep';
import { fillSplits } from './splits';
import { loadTrainingTensors, type LoadTensorOptions, type TrainingTensors } from './tensors';

/** Row-less blob files younger than this are left alone by the sweep on open (ms). */
const ORPHAN_GRACE_MS = 2 * 60_000;

/** Re-exported for callers that imported it from here; the type lives in app/domain/dataset.ts. */
export type { ImportStatus };

/** Re-exported: callers import the label-name rule from here. */
export { validateLabelName };

/**
 * The dataset of each project: import, images, labels, splits, health, export, undo. Long imports run in the
 * background of this process (decoding on sharp's thread pool) and report through the event sink.
 */
export class DatasetService {
  private readonly imports: ImportRunner;

  constructor(
    private readonly projects: ProjectStore,
    private readonly events: EventSink,
  ) {
    this.imports = new ImportRunner(projects, events);
  }

  /** Projects whose row-less blobs this process has swept (once each: see `db`). */
  private readonly swept = new Set<string>();

  /**
   * The project's database. The first dataset use in this process also removes the blob and thumbnail files an
   * interrupted import left without rows (see orphan-sweep.ts; files younger than ORPHAN_GRACE_MS are spared:
   * another process may be importing). Best effort, once per process: a read-only or busy project is swept by a
   * later process.
   */
  private db(projectId: string): Db {
    const db = this.projects.db(projectId);
    if (!this.swept.has(projectId)) {
      this.swept.add(projectId);
      try {
        sweepInterruptedImports(db, this.projects.projectDir(projectId), ORPHAN_GRACE_MS);
      } catch {
        // Read-only folder, busy writer: the next process tries again (retrying here would list every call).
      }
    }
    return db;
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
    const { importId } = this.imports.begin(projectId, options, {});
    return { importId };
  }

  /** Runs an import to the end (the CLI); `hooks` get progress and may cancel through `signal`. */
  async importAndWait(
    projectId: string,
    options: ImportOptions,
    hooks: ImportHooks = {},
  ): Promise<ImportSummary> {
    return this.imports.begin(projectId, options, hooks).promise;
  }

  /**
   * Stops a running import after its current batch. `projectId` (the IPC handler always passes it): only an import
   * of that project is cancelled — another project's import id answers `{cancelled: false}` like an unknown one.
   */
  cancelImport(importId: string, projectId?: string): { cancelled: boolean } {
    return { cancelled: this.imports.registry.cancel(importId, projectId) };
  }

  /** True while an import into the project runs in this process. */
  isImporting(projectId: string): boolean {
    return this.imports.registry.isImporting(projectId);
  }

  /** Cancels the project's running import(s) and waits until they have committed (call before moving its folder). */
  async cancelProjectImports(projectId: string): Promise<void> {
    await this.imports.registry.cancelAndWait(projectId);
  }

  /** Cancels every running import and waits for each to commit its last batch. */
  async cancelAll(): Promise<void> {
    await this.imports.registry.cancelAndWait();
  }

  importStatus(projectId: string, importId: string): ImportStatus {
    return this.imports.status(projectId, importId);
  }

  /** The import log: every import of the project, newest first. */
  listImports(projectId: string): LoggedImport[] {
    return this.imports.list(projectId);
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

  /** Moves images to the project's bin (recoverable with restoreImages). */
  removeImages(projectId: string, imageIds: number[]): { changed: number } {
    const changed = setRemoved(this.db(projectId), imageIds, true, this.now());
    if (changed) this.changed(projectId, 'removed');
    return { changed };
  }

  restoreImages(projectId: string, imageIds: number[]): { changed: number } {
    const changed = setRemoved(this.db(projectId), imageIds, false, this.now());
    if (changed) this.changed(projectId, 'restored');
    return { changed };
  }

  // ---------------------------------------------------------------- labels

  listLabels(projectId: string): LabelInfo[] {
    return listLabels(this.db(projectId));
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
    const changed = assignLabel(this.db(projectId), imageIds, labelId, this.now());
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
    const imageIds = assignEach(this.db(projectId), pairs, options, this.now());
    if (imageIds.length) this.changed(projectId, 'labels');
    return { changed: imageIds.length, imageIds };
  }

  // ---------------------------------------------------------------- undo

  undo(projectId: string): UndoState & { undone: string | null; undoneAction: ActionDescription | null } {
    const db = this.db(projectId);
    const undoneAction = undo(db, this.now());
    writeTransaction(db, () => fillSplits(db))();
    if (undoneAction) this.changed(projectId, 'undo');
    return { ...undoState(db), undone: undoneAction && actionText(undoneAction), undoneAction };
  }

  redo(projectId: string): UndoState & { redone: string | null; redoneAction: ActionDescription | null } {
    const db = this.db(projectId);
    const redoneAction = redo(db, this.now());
    writeTransaction(db, () => fillSplits(db))();
    if (redoneAction) this.changed(projectId, 'redo');
    return { ...undoState(db), redone: redoneAction && actionText(redoneAction), redoneAction };
  }

  undoState(projectId: string): UndoState {
    return undoState(this.db(projectId));
  }

  // ---------------------------------------------------------------- splits

  /** `fill` (images without a split), `reshuffle` (every automatic split) or `all` (also folder splits). */
  split(
    projectId: string,
    input: { ratios?: SplitRatios; seed?: number; mode: 'fill' | 'reshuffle' | 'all' },
  ): DatasetStats {
    splitImages(this.db(projectId), input);
    this.changed(projectId, 'splits');
    return this.stats(projectId);
  }

  /** Manual split override for many images; null gives them back to the automatic assignment. */
  setSplit(projectId: string, imageIds: number[], split: SplitName | null): { changed: number } {
    const changed = setManualSplit(this.db(projectId), imageIds, split, this.now());
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

  /** Re-decodes every image from its stored original into the tensor cache (see media.ts). */
  async rebuildTensors(
    projectId: string,
  ): Promise<{ rebuilt: number; failed: { imageId: number; reason: string }[] }> {
    const { inputSize, color } = this.projects.get(projectId);
    const projectDir = this.projects.projectDir(projectId);
    return rebuildTensors({ db: this.db(projectId), projectDir, inputSize, color });
  }

  /** File and MIME type of an image's original or thumbnail, by sha256; null when unknown. */
  mediaFile(
    projectId: string,
    sha256: string,
    kind: 'thumb' | 'original',
  ): { file: string; mimeType: string } | null {
    return mediaFile(this.db(projectId), this.projects.projectDir(projectId), sha256, kind);
  }
}
