import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  type ActionDescription,
  type DatasetStats,
  type ExportResult,
  type HealthReport,
  type ImageDetails,
  type ImageFilter,
  type ImagePage,
  type ImageSortKey,
  type ImageSummary,
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
import { healthReport } from './health';
import { IMAGE_LIST_FROM, imageQuerySql } from './image-ids';
import { ImportRegistry, type ActiveImport } from './import-registry';
import { emptyImportSummary, runImport, type ImportHooks } from './importer';
import { LABEL_NAME_MAX, nextLabelColor } from './labels';
import { applySplitSettings, fillSplits, getSplitSettings, normaliseRatios, reshuffleSplits } from './splits';
import { loadTrainingTensors, type LoadTensorOptions, type TrainingTensors } from './tensors';

/** Re-exported for callers that imported it from here; the type lives in app/domain/dataset.ts. */
export type { ImportStatus };

/** Columns of an image summary over IMAGE_LIST_FROM (image-ids.ts). */
const IMAGE_COLUMNS = `i.id, i.sha256, i.file_name AS fileName, i.label_id AS labelId, l.name AS labelName, i.split,
  i.split_source AS splitSource, i.width, i.height, i.format, i.added_at AS addedAt, i.conflict,
  i.dup_count AS duplicateCount, i.removed_at AS removedAt,
  s.label AS suggestedLabel, sl.id AS suggestedLabelId, s.confidence AS suggestedConfidence`;

interface ImageRow extends Omit<ImageSummary, 'conflictLabels' | 'suggestion'> {
  conflict: string | null;
  /** The suggestion's columns: null unless the image is unlabeled and has one. */
  suggestedLabel: string | null;
  suggestedLabelId: number | null;
  suggestedConfidence: number | null;
}

function toSummary(row: ImageRow): ImageSummary {
  const { conflict, suggestedLabel, suggestedLabelId, suggestedConfidence, ...rest } = row;
  return {
    ...rest,
    conflictLabels: conflict ? (JSON.parse(conflict) as string[]) : [],
    suggestion:
      suggestedLabel === null
        ? null
        : { label: suggestedLabel, labelId: suggestedLabelId, confidence: suggestedConfidence as number },
  };
}

/** Validates a label name: trimmed, 1–100 characters, no control characters or slashes. */
export function validateLabelName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  if (name.length === 0) throw new AppFailure('invalid-name', 'A label name cannot be empty.');
  if (name.length > LABEL_NAME_MAX)
    throw new AppFailure('invalid-name', `A label name has at most ${LABEL_NAME_MAX} characters.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f/\\]/.test(name))
    throw new AppFailure('invalid-name', 'A label name cannot contain control characters or slashes.');
  return name;
}

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
    if (!row) throw new AppFailure('not-found', `No import ${importId} in this project.`);
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
    const db = this.db(projectId);
    const { from, where, params, order } = imageQuerySql(query);
    // Only the 'suggested' filter needs the joins to count.
    const counted = query.filter.kind === 'suggested' ? from : 'images i';
    const total = db
      .prepare(`SELECT COUNT(*) FROM ${counted} WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    const rows = db
      .prepare(`SELECT ${IMAGE_COLUMNS} FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, query.limit, query.offset) as ImageRow[];
    return { total, offset: query.offset, items: rows.map(toSummary) };
  }

  imageDetails(projectId: string, imageId: number): ImageDetails {
    const db = this.db(projectId);
    const row = db
      .prepare(
        `SELECT ${IMAGE_COLUMNS}, i.byte_size AS byteSize, i.source_path AS sourcePath, i.channels, i.has_alpha AS hasAlpha
         FROM ${IMAGE_LIST_FROM} WHERE i.id = ?`,
      )
      .get(imageId) as
      (ImageRow & { byteSize: number; sourcePath: string; channels: number; hasAlpha: number }) | undefined;
    if (!row) throw new AppFailure('not-found', `No image ${imageId}.`);
    const sources = db
      .prepare(
        'SELECT path, label_name AS label, import_id AS importId, seen_at AS seenAt FROM image_sources WHERE image_id = ? ORDER BY id',
      )
      .all(imageId) as ImageDetails['sources'];
    const labelHistory = db
      .prepare('SELECT label, at, cause FROM label_history WHERE image_id = ? ORDER BY id')
      .all(imageId) as ImageDetails['labelHistory'];
    return {
      ...toSummary(row),
      byteSize: row.byteSize,
      sourcePath: row.sourcePath,
      channels: row.channels,
      hasAlpha: row.hasAlpha === 1,
      sources,
      labelHistory,
    };
  }

  private existingIds(
    db: Db,
    imageIds: number[],
  ): {
    id: number;
    labelId: number | null;
    conflict: string | null;
    removedAt: string | null;
    split: string | null;
    splitSource: string | null;
  }[] {
    const out: {
      id: number;
      labelId: number | null;
      conflict: string | null;
      removedAt: string | null;
      split: string | null;
      splitSource: string | null;
    }[] = [];
    const stmt = db.prepare(
      'SELECT id, label_id AS labelId, conflict, removed_at AS removedAt, split, split_source AS splitSource FROM images WHERE id = ?',
    );
    for (const id of new Set(imageIds)) {
      const row = stmt.get(id) as (typeof out)[number] | undefined;
      if (!row) throw new AppFailure('not-found', `No image ${id}.`);
      out.push(row);
    }
    return out;
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
    const rows = this.db(projectId)
      .prepare(
        `SELECT l.id, l.name, l.color, l.created_at AS createdAt,
           (SELECT COUNT(*) FROM images i WHERE i.label_id = l.id AND i.removed_at IS NULL) AS imageCount
         FROM labels l ORDER BY l.id`,
      )
      .all() as Omit<LabelInfo, 'index'>[];
    return rows.map((r, index) => ({ ...r, index }));
  }

  private labelRow(db: Db, labelId: number): LabelRow {
    const row = db.prepare('SELECT id, name, color, created_at FROM labels WHERE id = ?').get(labelId) as
      LabelRow | undefined;
    if (!row) throw new AppFailure('not-found', `No label ${labelId}.`);
    return row;
  }

  private assertLabelFree(db: Db, name: string, exceptId?: number): void {
    const other = db.prepare('SELECT id FROM labels WHERE name = ?').pluck().get(name) as number | undefined;
    if (other !== undefined && other !== exceptId)
      throw new AppFailure('conflict', `A label named ${JSON.stringify(name)} already exists.`);
  }

  private label(projectId: string, labelId: number): LabelInfo {
    const found = this.listLabels(projectId).find((l) => l.id === labelId);
    if (!found) throw new AppFailure('not-found', `No label ${labelId}.`);
    return found;
  }

  createLabel(projectId: string, rawName: string, color?: string): LabelInfo {
    const name = validateLabelName(rawName);
    const db = this.db(projectId);
    const id = db.transaction(() => {
      this.assertLabelFree(db, name);
      const row: LabelRow = {
        id: db.prepare('SELECT COALESCE(MAX(id), 0) + 1 FROM labels').pluck().get() as number,
        name,
        color: color ?? nextLabelColor(db),
        created_at: this.now(),
      };
      recordAction(
        db,
        { kind: 'create-label', label: name },
        [{ t: 'labelRow', before: null, after: row }],
        row.created_at,
      );
      return row.id;
    })();
    this.changed(projectId, 'labels');
    return this.label(projectId, id);
  }

  renameLabel(projectId: string, labelId: number, rawName: string): LabelInfo {
    const name = validateLabelName(rawName);
    const db = this.db(projectId);
    db.transaction(() => {
      const before = this.labelRow(db, labelId);
      this.assertLabelFree(db, name, labelId);
      if (before.name === name) return;
      recordAction(
        db,
        { kind: 'rename-label', from: before.name, to: name },
        [{ t: 'labelRow', before, after: { ...before, name } }],
        this.now(),
      );
    })();
    this.changed(projectId, 'labels');
    return this.label(projectId, labelId);
  }

  setLabelColor(projectId: string, labelId: number, color: string): LabelInfo {
    const db = this.db(projectId);
    db.transaction(() => {
      const before = this.labelRow(db, labelId);
      recordAction(
        db,
        { kind: 'recolor-label', label: before.name },
        [{ t: 'labelRow', before, after: { ...before, color } }],
        this.now(),
      );
    })();
    this.changed(projectId, 'labels');
    return this.label(projectId, labelId);
  }

  /** Moves every image of the source labels to the target, then deletes the sources. */
  mergeLabels(projectId: string, sourceIds: number[], targetId: number): LabelInfo {
    const db = this.db(projectId);
    db.transaction(() => {
      const target = this.labelRow(db, targetId);
      const sources = [...new Set(sourceIds)]
        .filter((id) => id !== targetId)
        .map((id) => this.labelRow(db, id));
      if (sources.length === 0)
        throw new AppFailure('invalid-payload', 'Merge needs at least one label other than the target.');
      const rows = db
        .prepare(`SELECT id, label_id FROM images WHERE label_id IN (${sources.map(() => '?').join(',')})`)
        .raw()
        .all(...sources.map((s) => s.id)) as [number, number][];
      const ops: Op[] = [
        {
          t: 'label',
          ids: rows.map((r) => r[0]),
          before: rows.map((r) => r[1]),
          after: rows.map(() => targetId),
        },
        ...sources.map((s): Op => ({ t: 'labelRow', before: s, after: null })),
      ];
      recordAction(
        db,
        {
          kind: 'merge-labels',
          sources: sources.map((s) => s.name),
          target: target.name,
          count: rows.length,
        },
        ops,
        this.now(),
        'merge-labels',
      );
    })();
    this.changed(projectId, 'labels');
    return this.label(projectId, targetId);
  }

  /** Deletes a label; its images become unlabeled (undoable). */
  deleteLabel(projectId: string, labelId: number): { deleted: number; unlabeledImages: number } {
    const db = this.db(projectId);
    const n = db.transaction(() => {
      const row = this.labelRow(db, labelId);
      const ids = db.prepare('SELECT id FROM images WHERE label_id = ?').pluck().all(labelId) as number[];
      const ops: Op[] = [
        { t: 'label', ids, before: ids.map(() => labelId), after: ids.map(() => null) },
        { t: 'labelRow', before: row, after: null },
      ];
      recordAction(
        db,
        { kind: 'delete-label', label: row.name, count: ids.length },
        ops,
        this.now(),
        'delete-label',
      );
      return ids.length;
    })();
    this.changed(projectId, 'labels');
    return { deleted: labelId, unlabeledImages: n };
  }

  /** Sets (or clears, with null) the label of many images; also resolves their label conflicts. */
  assignLabel(projectId: string, imageIds: number[], labelId: number | null): { changed: number } {
    const db = this.db(projectId);
    const changed = db.transaction(() => {
      const name = labelId === null ? null : this.labelRow(db, labelId).name;
      const rows = this.existingIds(db, imageIds).filter((r) => r.labelId !== labelId || r.conflict !== null);
      if (rows.length === 0) return 0;
      const relabel = rows.filter((r) => r.labelId !== labelId);
      const conflicted = rows.filter((r) => r.conflict !== null);
      const ops: Op[] = [];
      if (relabel.length)
        ops.push({
          t: 'label',
          ids: relabel.map((r) => r.id),
          before: relabel.map((r) => r.labelId),
          after: relabel.map(() => labelId),
        });
      if (conflicted.length)
        ops.push({
          t: 'conflict',
          ids: conflicted.map((r) => r.id),
          before: conflicted.map((r) => r.conflict),
          after: conflicted.map(() => null),
        });
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
      const relabel = rows.filter((r) => r.labelId !== target.get(r.id));
      const conflicted = rows.filter((r) => r.conflict !== null);
      const ops: Op[] = [];
      if (relabel.length)
        ops.push({
          t: 'label',
          ids: relabel.map((r) => r.id),
          before: relabel.map((r) => r.labelId),
          after: relabel.map((r) => target.get(r.id) as number),
        });
      if (conflicted.length)
        ops.push({
          t: 'conflict',
          ids: conflicted.map((r) => r.id),
          before: conflicted.map((r) => r.conflict),
          after: conflicted.map(() => null),
        });
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
    const db = this.db(projectId);
    const zero = (): Record<SplitName, number> => ({ train: 0, val: 0, test: 0 });
    const perLabel = this.listLabels(projectId).map((l) => ({
      labelId: l.id,
      name: l.name,
      count: l.imageCount,
      perSplit: zero(),
    }));
    const byId = new Map(perLabel.map((p) => [p.labelId, p]));
    const perSplit: Record<SplitName | 'none', number> = { train: 0, val: 0, test: 0, none: 0 };
    let total = 0;
    let unlabeled = 0;
    for (const r of db
      .prepare(
        'SELECT label_id AS labelId, split, COUNT(*) AS n FROM images WHERE removed_at IS NULL GROUP BY label_id, split',
      )
      .all() as { labelId: number | null; split: SplitName | null; n: number }[]) {
      total += r.n;
      perSplit[r.split ?? 'none'] += r.n;
      if (r.labelId === null) unlabeled += r.n;
      else if (r.split) byId.get(r.labelId)!.perSplit[r.split] += r.n;
    }
    const one = (sql: string) => db.prepare(sql).pluck().get() as number;
    return {
      total,
      removed: one('SELECT COUNT(*) FROM images WHERE removed_at IS NOT NULL'),
      unlabeled,
      perLabel,
      perSplit,
      duplicates: one('SELECT COALESCE(SUM(dup_count), 0) FROM images WHERE removed_at IS NULL'),
      conflicts: one('SELECT COUNT(*) FROM images WHERE conflict IS NOT NULL AND removed_at IS NULL'),
      split: getSplitSettings(db),
      splitSources: Object.fromEntries(
        (
          db
            .prepare(
              "SELECT COALESCE(split_source, 'none') AS s, COUNT(*) AS n FROM images WHERE removed_at IS NULL GROUP BY split_source",
            )
            .all() as { s: string; n: number }[]
        ).map((r) => [r.s, r.n]),
      ) as DatasetStats['splitSources'],
    };
  }

  health(projectId: string): HealthReport {
    return healthReport(this.db(projectId), this.stats(projectId));
  }

  // ---------------------------------------------------------------- export

  /**
   * Writes the images back out as class folders (`<dir>/<label>/<file>`, or `<dir>/<split>/<label>/<file>` with
   * bySplit; unlabeled images loose at the top when included) plus `manifest.csv`. Importing the folder again
   * recreates the dataset. The folder must be new or empty.
   */
  async exportFolders(
    projectId: string,
    dir: string,
    options: { bySplit: boolean; includeUnlabeled: boolean; split?: SplitName },
  ): Promise<ExportResult> {
    const db = this.db(projectId);
    const target = path.resolve(dir);
    if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
      throw new AppFailure('conflict', `Export folder ${target} is not empty.`);
    }
    fs.mkdirSync(target, { recursive: true });
    const blobs = new BlobStore(this.projects.projectDir(projectId));
    const where = ['i.removed_at IS NULL'];
    const params: unknown[] = [];
    if (!options.includeUnlabeled) where.push('i.label_id IS NOT NULL');
    if (options.split) {
      where.push('i.split = ?');
      params.push(options.split);
    }
    const rows = db
      .prepare(
        `SELECT i.id, i.sha256, i.ext, i.file_name AS fileName, i.split, i.width, i.height, l.name AS label
         FROM images i LEFT JOIN labels l ON l.id = i.label_id WHERE ${where.join(' AND ')} ORDER BY l.name, i.file_name, i.id`,
      )
      .all(...params) as {
      id: number;
      sha256: string;
      ext: string;
      fileName: string;
      split: SplitName | null;
      width: number;
      height: number;
      label: string | null;
    }[];
    const used = new Set<string>();
    const lines = ['path,label,split,sha256,width,height'];
    const perLabel: Record<string, number> = {};
    for (const r of rows) {
      const parts: string[] = [];
      if (options.bySplit) parts.push(r.split ?? 'unassigned');
      if (r.label !== null) parts.push(safeName(r.label));
      const base = safeName(r.fileName.replace(/\.[^.]*$/, '')) || 'image';
      let rel = path.join(...parts, `${base}.${r.ext}`);
      if (used.has(rel.toLowerCase())) rel = path.join(...parts, `${base}-${r.sha256.slice(0, 10)}.${r.ext}`);
      used.add(rel.toLowerCase());
      const out = path.join(target, rel);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await fs.promises.copyFile(blobs.blobPath(r.sha256, r.ext), out);
      lines.push(
        [rel.split(path.sep).join('/'), r.label ?? '', r.split ?? '', r.sha256, r.width, r.height]
          .map(csv)
          .join(','),
      );
      const key = r.label ?? '';
      perLabel[key] = (perLabel[key] ?? 0) + 1;
    }
    const manifest = path.join(target, 'manifest.csv');
    fs.writeFileSync(manifest, lines.join('\n') + '\n');
    return { dir: target, exported: rows.length, manifest, perLabel };
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

/** A label or file name made safe as one path segment on every OS. */
function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  let s = name.replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_').replace(/[. ]+$/, '');
  if (s === '' || s === '.' || s === '..') s = '_';
  if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(s)) s = `_${s}`;
  return s;
}

function csv(v: unknown): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
