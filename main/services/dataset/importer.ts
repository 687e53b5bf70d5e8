import fs from 'node:fs';
import path from 'node:path';
import type {
  ImportIssue,
  ImportIssueCode,
  ImportOptions,
  ImportProgress,
  ImportSummary,
} from '../../../app/domain/dataset';
import type { ColorMode } from '../../../app/domain/project';
import { type Db, writeTransaction } from '../../db/open-database';
import { BlobStore } from './blob-store';
import { DecodeError, MAX_FILE_BYTES, decodeImage, sha256Hex } from './decode';
import { ensureLabel } from './labels';
import { fsIssueCode, fsReason, scanPaths, type ScannedFile } from './scan';
import { correctSummary, type Outcome, type Reclassified } from './import-outcomes';
import { throttledProgress } from './import-progress';
import { prepareImportStatements } from './import-statements';
import { fillSplits, getSplitSettings, splitKey } from './splits';

/** Files up to this size are read and written with synchronous calls (much cheaper per file). */
const SYNC_IO_BYTES = 256 * 1024;

/** Row-less blob files younger than this are left alone at the start of an import (see cleanOrphans). */
const ORPHAN_MIN_AGE_MS = 10 * 60_000;

/** A batch is committed once its first outcome is this old, even if it is not full (ms). */
const MAX_BATCH_MS = 10_000;

/** The import gives the event loop a turn at least this often (ms). */
const YIELD_EVERY_MS = 10;

/** Where and how one import runs. */
export interface ImportTarget {
  db: Db;
  projectId: string;
  projectDir: string;
  inputSize: number;
  color: ColorMode;
}

export interface ImportHooks {
  signal?: AbortSignal;
  onProgress?(progress: ImportProgress): void;
  /** Files per database transaction. */
  batchSize?: number;
  /** Files decoded at once (sharp decodes each on libuv's thread pool). */
  concurrency?: number;
  /** Minimum milliseconds between progress callbacks. */
  progressIntervalMs?: number;
  /** Test seam: reads a file whose size the scan found (default: fs, synchronously when small). */
  readFile?(file: string, size: number): Promise<Buffer>;
  /** Test seam: called after each committed batch with the number of files committed so far. */
  afterBatch?(committed: number): void;
}

interface Pending {
  /** Label the first copy carries (null = unlabeled), or the committed image's label. */
  label: string | null;
  path: string;
  /** Resolves true when the first copy was stored, false when it failed. */
  done: Promise<string | null>;
}

/**
 * Imports files into a project. Scans first (for a total), then decodes with bounded concurrency; every
 * `batchSize` outcomes are committed in ONE transaction after their blob files are fully written, so a cancelled,
 * crashed or killed import leaves a consistent database, and running it again skips files already imported from
 * the same path (same size and mtime) and never stores the same bytes twice. Bad files are listed, never thrown.
 */
export async function runImport(
  target: ImportTarget,
  importId: string,
  options: ImportOptions,
  hooks: ImportHooks = {},
): Promise<ImportSummary> {
  const started = Date.now();
  const { db } = target;
  const blobs = new BlobStore(target.projectDir);
  const batchSize = hooks.batchSize ?? 256;
  const concurrency = hooks.concurrency ?? 4;
  // Small files are read synchronously: ~10 µs instead of ~80 µs of CPU through the promise API, which matters
  // at thousands of files per second; big ones go through the thread pool so the event loop stays free.
  const readFile =
    hooks.readFile ??
    (async (f: string, size: number) =>
      size <= SYNC_IO_BYTES ? fs.readFileSync(f) : fs.promises.readFile(f));
  const interval = hooks.progressIntervalMs ?? 250;
  const nowIso = () => new Date().toISOString();

  const summary = emptyImportSummary(importId, target.projectId, 'completed');

  db.prepare('INSERT INTO imports (id, started_at, status, options) VALUES (?, ?, ?, ?)').run(
    importId,
    nowIso(),
    'running',
    JSON.stringify(options),
  );
  // Files a killed import left without a row; recent ones may belong to an import running in another process.
  blobs.cleanOrphans(db, { olderThanMs: ORPHAN_MIN_AGE_MS });
  /** Every blob and thumbnail this run wrote, to remove the uncommitted ones if it stops early. */
  const written = new Set<string>();

  let total = 0;
  let done = 0;
  const progress = throttledProgress(hooks.onProgress, interval, () => ({
    projectId: target.projectId,
    importId,
    started,
    done,
    total,
    summary,
  }));

  progress('scanning', true);
  const scan = await scanPaths(options.paths, options.label ?? null);
  total = scan.files.length;
  summary.filesSeen = total + scan.failed.length + scan.skipped.length;

  const {
    sourceByPath,
    imageBySha,
    insertImage,
    insertTensor,
    insertSource,
    insertHistory,
    insertIssue,
    idBySha,
    setLabel,
    setConflict,
    bumpDup,
  } = prepareImportStatements(db);

  /** True when this very file (path, size, mtime, label) was recorded by an earlier import. */
  const alreadyRecorded = (file: ScannedFile) =>
    (sourceByPath.all(file.path) as { size: number; mtime: number; label: string | null }[]).some(
      (p) => p.size === file.size && p.mtime === file.mtimeMs && p.label === file.label,
    );

  const { seed } = getSplitSettings(db);
  const channels = target.color === 'gray' ? 1 : 3;
  let committed = 0;

  // Issues found by the scan are committed with the first batch.
  let batch: Outcome[] = [
    ...scan.failed.map((i) => ({ kind: 'issue' as const, issueKind: 'failed' as const, ...i })),
    ...scan.skipped.map((i) => ({ kind: 'issue' as const, issueKind: 'skipped' as const, ...i })),
  ];
  summary.failed.push(...scan.failed);
  summary.skipped.push(...scan.skipped);

  /**
   * Commits a batch. Another process may have imported some of these files since they were looked up (two imports
   * of one folder at once), so each is checked again under the write lock: a file whose path the other import
   * recorded is "already imported", one whose bytes it stored is a duplicate, as a second import run after the
   * first would say. Answers those re-classified files so the summary can be corrected.
   */
  const commit = writeTransaction(db, (items: Outcome[]): Reclassified[] => {
    const now = nowIso();
    const reclassified: Reclassified[] = [];
    const addDuplicate = (
      file: ScannedFile,
      row: { id: number; labelId: number | null; conflict: string | null },
      applyLabel: string | null,
      conflictLabel: string | null,
    ) => {
      insertSource.run(row.id, file.path, file.size, file.mtimeMs, file.label, importId, now);
      bumpDup.run(row.id);
      if (applyLabel) {
        setLabel.run(ensureLabel(db, applyLabel, now), row.id);
        insertHistory.run(row.id, applyLabel, 'import', now); // a duplicate carried the label
      }
      if (conflictLabel) {
        const set = new Set<string>(row.conflict ? (JSON.parse(row.conflict) as string[]) : []);
        set.add(conflictLabel);
        setConflict.run(JSON.stringify([...set]), row.id);
      }
    };
    for (const item of items) {
      if (item.kind === 'issue') {
        insertIssue.run(
          importId,
          item.issueKind,
          item.path,
          item.reason,
          item.code,
          item.params ? JSON.stringify(item.params) : null,
        );
      } else if (item.kind === 'new') {
        const { file, image } = item;
        const stored = idBySha.get(item.sha) as
          { id: number; labelId: number | null; conflict: string | null } | undefined;
        if (stored) {
          // Another process committed these bytes since our lookup.
          if (alreadyRecorded(file)) {
            reclassified.push({ item, as: 'already' });
            continue;
          }
          const existing = imageBySha.get(item.sha) as { path: string; label: string | null };
          const { applyLabel, conflictLabel } = copyLabelling(file.label, existing.label);
          addDuplicate(file, stored, applyLabel, conflictLabel);
          reclassified.push(
            conflictLabel
              ? { item, as: 'conflict', labels: [existing.label!, conflictLabel] }
              : { item, as: 'duplicate', duplicateOf: existing.path },
          );
          continue;
        }
        // An orphan sweep of another process may have removed a blob nobody had committed yet: never commit a
        // row without its file (the import stops with this error; running it again stores the file afresh).
        if (!fs.existsSync(item.blobFile))
          throw new Error(`stored file ${path.basename(item.blobFile)} vanished before its commit`);
        const labelId = file.label ? ensureLabel(db, file.label, now) : null;
        const info = insertImage.run({
          sha: item.sha,
          ext: image.ext,
          fileName: path.basename(file.path),
          path: file.path,
          byteSize: item.byteSize,
          format: image.format,
          width: image.width,
          height: image.height,
          channels: image.channels,
          hasAlpha: image.hasAlpha ? 1 : 0,
          labelId,
          split: file.split,
          splitSource: file.split ? 'folder' : null,
          splitKey: splitKey(seed, item.sha),
          dhash: image.dhash,
          importId,
          now,
        });
        const id = Number(info.lastInsertRowid);
        insertTensor.run(id, target.inputSize, channels, image.tensor);
        insertSource.run(id, file.path, file.size, file.mtimeMs, file.label, importId, now);
        insertHistory.run(id, file.label, 'import', now);
      } else {
        const { file } = item;
        const row = idBySha.get(item.sha) as
          { id: number; labelId: number | null; conflict: string | null } | undefined;
        if (!row) continue; // cannot happen: the first copy is committed first
        if (alreadyRecorded(file)) {
          reclassified.push({ item, as: 'already' }); // the other process recorded this very file
          continue;
        }
        addDuplicate(file, row, item.applyLabel, item.conflictLabel);
      }
    }
    return reclassified;
  });

  const flush = () => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    correctSummary(summary, commit(items));
    committed += items.length;
    hooks.afterBatch?.(committed);
  };
  let batchStarted = Date.now();
  const push = (item: Outcome) => {
    if (batch.length === 0) batchStarted = Date.now();
    batch.push(item);
    // Also by time: a blob waits for its row no longer than this, which keeps other processes' orphan sweeps
    // (which spare young files) away from it, and a slow import of big photos commits as it goes.
    if (batch.length >= batchSize || Date.now() - batchStarted >= MAX_BATCH_MS) flush();
  };
  const issue = (
    issueKind: 'failed' | 'skipped',
    file: string,
    reason: string,
    code: ImportIssueCode,
    params?: Record<string, string | number>,
  ) => {
    const found: ImportIssue = params ? { path: file, reason, code, params } : { path: file, reason, code };
    (issueKind === 'failed' ? summary.failed : summary.skipped).push(found);
    push({ kind: 'issue', issueKind, ...found });
  };

  /** First copies seen in this run, by sha256, so concurrent duplicates wait for them. */
  const pending = new Map<string, Pending>();

  /*
   * Copies with the same bytes are matched by sha256 after an (concurrent) read, so without care the copy whose
   * read finished first would become "the" image. Files take turns, in scan order, for that matching step:
   * the first copy in scan order names the image, whatever the timing.
   */
  let turn: Promise<void> = Promise.resolve();

  const handle = async (file: ScannedFile): Promise<void> => {
    const myTurn = turn;
    let release!: () => void;
    turn = new Promise<void>((resolve) => (release = resolve));
    try {
      await handleInTurn(file, myTurn, release);
    } finally {
      release(); // also when the file never reached its turn (already imported, unreadable, …)
    }
  };

  const handleInTurn = async (
    file: ScannedFile,
    myTurn: Promise<void>,
    endTurn: () => void,
  ): Promise<void> => {
    if (alreadyRecorded(file)) {
      summary.alreadyImported++;
      return;
    }
    if (file.size === 0) return issue('failed', file.path, 'empty file (0 bytes)', 'empty-file');
    if (file.size > MAX_FILE_BYTES) {
      const mebibytes = Math.round(file.size / 2 ** 20);
      return issue('failed', file.path, `file too large (${mebibytes} MiB)`, 'file-too-large', { mebibytes });
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(file.path, file.size);
    } catch (error) {
      return issue('failed', file.path, `cannot read: ${fsReason(error)}`, fsIssueCode(error));
    }
    if (bytes.length === 0) return issue('failed', file.path, 'empty file (0 bytes)', 'empty-file');
    const sha = sha256Hex(bytes);

    await myTurn;
    const first = pending.get(sha);
    let existing: { path: string; label: string | null } | undefined;
    if (first) {
      endTurn();
      const storedPath = await first.done;
      if (storedPath === null)
        return issue('failed', file.path, 'same bytes as a file that failed to import', 'same-as-failed');
      existing = first;
    } else {
      const row = imageBySha.get(sha) as { id: number; path: string; label: string | null } | undefined;
      if (row) {
        // Remember it in memory too, so later copies in this run see label changes not yet committed.
        existing = { path: row.path, label: row.label };
        pending.set(sha, { ...existing, done: Promise.resolve(row.path) });
        existing = pending.get(sha);
      }
    }
    if (!first) endTurn();
    if (existing) {
      const { applyLabel, conflictLabel } = copyLabelling(file.label, existing.label);
      if (applyLabel) existing.label = applyLabel;
      if (conflictLabel) {
        summary.conflicts++;
        summary.conflictList.push({ path: file.path, sha256: sha, labels: [existing.label!, conflictLabel] });
      } else {
        summary.duplicates++;
        summary.duplicateList.push({ path: file.path, duplicateOf: existing.path, sha256: sha });
      }
      push({ kind: 'dup', file, sha, applyLabel, conflictLabel });
      return;
    }

    let resolveDone!: (v: string | null) => void;
    const entry: Pending = {
      label: file.label,
      path: file.path,
      done: new Promise((r) => (resolveDone = r)),
    };
    pending.set(sha, entry);
    endTurn();
    try {
      const image = await decodeImage(bytes, target.inputSize, target.color);
      // Blob (and thumbnail) are on disk before the row that refers to them is committed.
      const blobFile = blobs.blobPath(sha, image.ext);
      written.add(blobFile);
      await blobs.write(blobFile, bytes);
      if (image.thumb) {
        written.add(blobs.thumbPath(sha));
        await blobs.write(blobs.thumbPath(sha), image.thumb);
      }
      push({ kind: 'new', file, sha, image, byteSize: bytes.length, blobFile });
      summary.imported++;
      if (file.label) summary.perLabel[file.label] = (summary.perLabel[file.label] ?? 0) + 1;
      else summary.unlabeled++;
      resolveDone(file.path);
    } catch (error) {
      pending.delete(sha);
      resolveDone(null);
      if (error instanceof DecodeError)
        return issue('failed', file.path, error.message, error.code, error.params);
      throw error;
    }
  };

  let next = 0;
  let fatal: unknown;
  // Small PNGs are handled without any real I/O wait (sync reads, JS decoding), so the lanes would otherwise
  // chain microtasks for the whole import and starve the event loop (no IPC, no timers, no cancel).
  let lastYield = Date.now();
  const lane = async () => {
    while (next < scan.files.length && !hooks.signal?.aborted && fatal === undefined) {
      if (Date.now() - lastYield >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = Date.now();
        if (hooks.signal?.aborted || next >= scan.files.length) break;
      }
      const file = scan.files[next++];
      try {
        await handle(file);
      } catch (error) {
        // A storage failure (disk full, database) stops the import; it is reported, not swallowed.
        fatal ??= error;
      }
      done++;
      progress('importing');
    }
  };
  progress('importing', true);
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));

  progress('finishing', true);
  try {
    flush();
  } catch (error) {
    fatal ??= error; // the last batch failed like any other: reported in the summary, the log row finished
  }
  writeTransaction(db, () => fillSplits(db))();
  if (hooks.signal?.aborted || fatal !== undefined) blobs.cleanOrphans(db, { only: written });

  const status: ImportSummary['status'] =
    fatal !== undefined ? 'failed' : hooks.signal?.aborted ? 'cancelled' : 'completed';
  summary.status = status;
  if (fatal !== undefined) summary.error = fatal instanceof Error ? fatal.message : String(fatal);
  const perSplit = db
    .prepare(
      "SELECT COALESCE(split, 'none') AS split, COUNT(*) AS n FROM images WHERE import_id = ? GROUP BY split",
    )
    .all(importId) as { split: string; n: number }[];
  summary.perSplit = Object.fromEntries(perSplit.map((r) => [r.split, r.n]));
  summary.elapsedMs = Date.now() - started;
  summary.imagesPerSecond = Math.round((summary.imported / Math.max(1, summary.elapsedMs)) * 1000 * 10) / 10;
  db.prepare('UPDATE imports SET finished_at = ?, status = ?, summary = ? WHERE id = ?').run(
    nowIso(),
    status,
    JSON.stringify({
      ...summary,
      duplicateList: summary.duplicateList.slice(0, 1000),
      conflictList: summary.conflictList.slice(0, 1000),
    }),
    importId,
  );
  progress('finishing', true);
  return summary;
}

/** A summary with nothing counted yet; the importer fills it in, a failed start reports it as is. */
export function emptyImportSummary(
  importId: string,
  projectId: string,
  status: ImportSummary['status'],
): ImportSummary {
  return {
    importId,
    projectId,
    status,
    imported: 0,
    duplicates: 0,
    conflicts: 0,
    alreadyImported: 0,
    failed: [],
    skipped: [],
    perLabel: {},
    unlabeled: 0,
    perSplit: {},
    duplicateList: [],
    conflictList: [],
    filesSeen: 0,
    elapsedMs: 0,
    imagesPerSecond: 0,
  };
}

/**
 * What a copy of already-stored bytes does to the stored image's label: gives it its folder label when the image
 * has none (applyLabel), or is a conflict when the labels differ (case-insensitively).
 */
function copyLabelling(
  copyLabel: string | null,
  storedLabel: string | null,
): { applyLabel: string | null; conflictLabel: string | null } {
  if (copyLabel && storedLabel === null) return { applyLabel: copyLabel, conflictLabel: null };
  if (copyLabel && storedLabel && storedLabel.toLowerCase() !== copyLabel.toLowerCase())
    return { applyLabel: null, conflictLabel: copyLabel };
  return { applyLabel: null, conflictLabel: null };
}
