/**
 * The runs tables of a project database (migration 004): rows in, domain objects out. No business rules here
 * beyond keeping each write in one transaction.
 */
import type { ModelSpec } from '../../../app/domain/model-spec';
import type {
  EpochMetrics,
  RunStatus,
  RunSummary,
  TrainingFailure,
  TrainingFailureCode,
  TrainingSettings,
} from '../../../app/domain/training';
import type { ImportedModelOrigin } from '../../../app/domain/training-package';
import { AppFailure } from '../../../app/ipc/result';
import { type Db, writeTransaction } from '../../db/open-database';

interface RunRow {
  id: string;
  seq: number;
  name: string;
  status: RunStatus;
  preset: string;
  settings_json: string;
  spec_json: string;
  class_names_json: string;
  class_label_ids_json: string;
  left_out_json: string;
  train_count: number;
  val_count: number;
  test_count: number;
  epochs_planned: number;
  workers: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  best_epoch: number | null;
  final_val_accuracy: number | null;
  images_per_second: number | null;
  kernels: string | null;
  early_stopped: number;
  failure_code: string | null;
  failure_detail: string | null;
  checkpoint_epoch: number | null;
  has_model: number;
  owner_pid: number | null;
  owner_token: string | null;
  heartbeat_at: number | null;
  epochs_done: number;
  best_val_accuracy: number | null;
  is_model: number;
  imported_json: string | null;
}

/** What a run needs that lists do not show. */
export interface RunRecord extends RunSummary {
  seq: number;
  settings: TrainingSettings;
  spec: ModelSpec;
  classNames: string[];
  classLabelIds: number[];
  leftOutLabels: string[];
  counts: { train: number; val: number; test: number };
  workers: number;
  hasModel: boolean;
  earlyStopped: boolean;
  /** The kernel backend that trained it (e.g. native-avx512), once started. */
  kernels: string | null;
  owner: { pid: number; token: string; heartbeatAt: number } | null;
}

const SPLITS = ['train', 'val', 'test'] as const;
type SplitCode = (typeof SPLITS)[number];

/** The snapshot as int32 triples (image id, class index, split code), sorted by image id. */
function packSnapshot(images: NewRun['images']): Buffer {
  const sorted = [...images].sort((a, b) => a.imageId - b.imageId);
  const triples = new Int32Array(sorted.length * 3);
  sorted.forEach((img, i) => triples.set([img.imageId, img.classIndex, SPLITS.indexOf(img.split)], i * 3));
  return Buffer.from(triples.buffer);
}

// every column but the snapshot blob (read only when a run starts)
const SELECT_RUN = `
  SELECT r.id, r.seq, r.name, r.status, r.preset, r.settings_json, r.spec_json, r.class_names_json,
    r.class_label_ids_json, r.left_out_json, r.train_count, r.val_count, r.test_count, r.epochs_planned, r.workers,
    r.created_at, r.started_at, r.finished_at, r.best_epoch, r.final_val_accuracy, r.images_per_second, r.kernels,
    r.early_stopped, r.failure_code, r.failure_detail, r.checkpoint_epoch, r.has_model, r.owner_pid, r.owner_token,
    r.heartbeat_at, r.imported_json,
    -- an imported run without a metrics log did all the epochs its model file says
    CASE WHEN r.imported_json IS NOT NULL AND NOT EXISTS (SELECT 1 FROM run_epochs e WHERE e.run_id = r.id)
      THEN r.epochs_planned ELSE (SELECT COUNT(*) FROM run_epochs e WHERE e.run_id = r.id) END AS epochs_done,
    -- an imported run without a metrics log: the validation accuracy its model file gives
    COALESCE((SELECT e.val_accuracy FROM run_epochs e WHERE e.run_id = r.id AND e.epoch = r.best_epoch),
      CASE WHEN r.imported_json IS NOT NULL AND NOT EXISTS (SELECT 1 FROM run_epochs e WHERE e.run_id = r.id)
        THEN r.final_val_accuracy END) AS best_val_accuracy,
    r.id IS (SELECT id FROM model_run) AS is_model
  FROM runs r`;

function toRecord(row: RunRow): RunRecord {
  const failure: TrainingFailure | null = row.failure_code
    ? { code: row.failure_code as TrainingFailureCode, detail: row.failure_detail ?? '' }
    : null;
  const resumable =
    (row.status === 'paused' || row.status === 'interrupted') && row.checkpoint_epoch !== null;
  return {
    id: row.id,
    seq: row.seq,
    name: row.name,
    status: row.status,
    preset: row.preset as RunSummary['preset'],
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    epochsPlanned: row.epochs_planned,
    epochsDone: row.epochs_done,
    bestEpoch: row.best_epoch,
    bestValAccuracy: row.best_val_accuracy,
    finalValAccuracy: row.final_val_accuracy,
    imagesPerSecond: row.images_per_second,
    failure,
    isModel: row.is_model === 1,
    resumable,
    checkpointEpoch: row.checkpoint_epoch,
    imported: row.imported_json ? (JSON.parse(row.imported_json) as ImportedModelOrigin) : null,
    settings: JSON.parse(row.settings_json) as TrainingSettings,
    spec: JSON.parse(row.spec_json) as ModelSpec,
    classNames: JSON.parse(row.class_names_json) as string[],
    classLabelIds: JSON.parse(row.class_label_ids_json) as number[],
    leftOutLabels: JSON.parse(row.left_out_json) as string[],
    counts: { train: row.train_count, val: row.val_count, test: row.test_count },
    workers: row.workers,
    hasModel: row.has_model === 1,
    earlyStopped: row.early_stopped === 1,
    kernels: row.kernels,
    owner:
      row.owner_pid !== null && row.owner_token !== null
        ? { pid: row.owner_pid, token: row.owner_token, heartbeatAt: row.heartbeat_at ?? 0 }
        : null,
  };
}

/** The summary part of a record (what crosses IPC in lists). */
export function toSummary(r: RunRecord): RunSummary {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    preset: r.preset,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    epochsPlanned: r.epochsPlanned,
    epochsDone: r.epochsDone,
    bestEpoch: r.bestEpoch,
    bestValAccuracy: r.bestValAccuracy,
    finalValAccuracy: r.finalValAccuracy,
    imagesPerSecond: r.imagesPerSecond,
    failure: r.failure,
    isModel: r.isModel,
    resumable: r.resumable,
    checkpointEpoch: r.checkpointEpoch,
    imported: r.imported,
  };
}

export interface NewRun {
  id: string;
  name: string | undefined;
  preset: string;
  settings: TrainingSettings;
  spec: ModelSpec;
  classNames: string[];
  classLabelIds: number[];
  leftOutLabels: string[];
  workers: number;
  /** The snapshot: image, class index, split. */
  images: { imageId: number; classIndex: number; split: 'train' | 'val' | 'test' }[];
  status: 'queued' | 'running';
  owner: { pid: number; token: string };
}

/** A run imported from a model file (import-model): completed, with the epochs of its training log. */
export interface NewImportedRun extends Pick<
  NewRun,
  'id' | 'name' | 'preset' | 'settings' | 'spec' | 'classNames' | 'classLabelIds' | 'leftOutLabels' | 'images'
> {
  epochsPlanned: number;
  epochs: EpochMetrics[];
  bestEpoch: number | null;
  finalValAccuracy: number | null;
  imagesPerSecond: number | null;
  imported: ImportedModelOrigin;
}

export class RunRepository {
  constructor(private readonly db: Db) {}

  get(runId: string): RunRecord {
    const row = this.db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(runId) as RunRow | undefined;
    if (!row)
      throw new AppFailure('not-found', `No run ${runId} in this project.`, {
        code: 'run-missing',
        run: runId,
      });
    return toRecord(row);
  }

  find(runId: string): RunRecord | null {
    const row = this.db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(runId) as RunRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Newest first. */
  list(): RunRecord[] {
    return (this.db.prepare(`${SELECT_RUN} ORDER BY r.seq DESC`).all() as RunRow[]).map(toRecord);
  }

  byName(name: string): RunRecord | null {
    const row = this.db.prepare(`${SELECT_RUN} WHERE r.name = ?`).get(name) as RunRow | undefined;
    return row ? toRecord(row) : null;
  }

  modelRunId(): string | null {
    return (this.db.prepare('SELECT id FROM model_run').pluck().get() as string | undefined) ?? null;
  }

  /** The next sequence number and the run's name: the one asked for (unique), else the first free run-N. */
  private nextSeqAndName(asked: string | undefined): { seq: number; name: string } {
    const seq = ((this.db.prepare('SELECT MAX(seq) FROM runs').pluck().get() as number | null) ?? 0) + 1;
    let name = asked?.trim();
    if (name && this.byName(name))
      throw new AppFailure('conflict', `A run named "${name}" already exists.`, {
        code: 'run-exists',
        name,
      });
    if (!name) for (let n = seq; !name || this.byName(name); n++) name = `run-${n}`;
    return { seq, name };
  }

  /** Inserts the run and its dataset snapshot in one transaction. */
  create(run: NewRun): RunRecord {
    const now = new Date().toISOString();
    writeTransaction(this.db, () => {
      this.insertRun({
        ...this.commonColumns(run, now),
        status: run.status,
        epochs_planned: run.settings.epochs,
        workers: run.workers,
        started_at: run.status === 'running' ? now : null,
        owner_pid: run.owner.pid,
        owner_token: run.owner.token,
        heartbeat_at: Date.now(),
      });
    })();
    return this.get(run.id);
  }

  /**
   * Inserts a run imported from a model file, completed with its weights, its epochs and its dataset snapshot, in
   * one transaction (the model file is already in the run's folder).
   */
  createImported(run: NewImportedRun): RunRecord {
    const now = new Date().toISOString();
    writeTransaction(this.db, () => {
      this.insertRun({
        ...this.commonColumns(run, now),
        status: 'completed',
        epochs_planned: run.epochsPlanned,
        workers: 1,
        started_at: null,
        finished_at: now,
        best_epoch: run.bestEpoch,
        final_val_accuracy: run.finalValAccuracy,
        images_per_second: run.imagesPerSecond,
        has_model: 1,
        imported_json: JSON.stringify(run.imported),
      });
      for (const e of run.epochs) this.insertEpoch(run.id, e);
    })();
    return this.get(run.id);
  }

  /** The columns every new run has: identity, name, model, classes and the dataset snapshot (call in a transaction). */
  private commonColumns(run: NewImportedRun | NewRun, now: string): Record<string, unknown> {
    const { seq, name } = this.nextSeqAndName(run.name);
    const counts = { train: 0, val: 0, test: 0 };
    for (const i of run.images) counts[i.split]++;
    return {
      id: run.id,
      seq,
      name,
      preset: run.preset,
      settings_json: JSON.stringify(run.settings),
      spec_json: JSON.stringify(run.spec),
      class_names_json: JSON.stringify(run.classNames),
      class_label_ids_json: JSON.stringify(run.classLabelIds),
      left_out_json: JSON.stringify(run.leftOutLabels),
      train_count: counts.train,
      val_count: counts.val,
      test_count: counts.test,
      created_at: now,
      snapshot: packSnapshot(run.images),
    };
  }

  /** INSERT INTO runs of these columns (names from this file only, never from data). */
  private insertRun(columns: Record<string, unknown>): void {
    const names = Object.keys(columns);
    this.db
      .prepare(`INSERT INTO runs (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)
      .run(...Object.values(columns));
  }

  /** The whole snapshot: int32 triples (image id, class index, split code 0 train / 1 val / 2 test). */
  snapshotTriples(runId: string): Int32Array {
    const blob = this.db.prepare('SELECT snapshot FROM runs WHERE id = ?').pluck().get(runId) as
      Buffer | undefined;
    if (!blob)
      throw new AppFailure('not-found', `No run ${runId} in this project.`, {
        code: 'run-missing',
        run: runId,
      });
    return new Int32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
  }

  /** The snapshot's images of some splits, in image id order. */
  snapshot(runId: string, splits: readonly SplitCode[]): { imageIds: Int32Array; classes: Int32Array } {
    const blob = this.db.prepare('SELECT snapshot FROM runs WHERE id = ?').pluck().get(runId) as
      Buffer | undefined;
    if (!blob)
      throw new AppFailure('not-found', `No run ${runId} in this project.`, {
        code: 'run-missing',
        run: runId,
      });
    const triples = new Int32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
    const want = new Set(splits.map((s) => SPLITS.indexOf(s)));
    const ids: number[] = [];
    const classes: number[] = [];
    for (let i = 0; i < triples.length; i += 3) {
      if (!want.has(triples[i + 2])) continue;
      ids.push(triples[i]);
      classes.push(triples[i + 1]);
    }
    return { imageIds: Int32Array.from(ids), classes: Int32Array.from(classes) };
  }

  setStatus(
    runId: string,
    status: RunStatus,
    extra: { failure?: TrainingFailure | null; finished?: boolean; started?: boolean } = {},
  ): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `UPDATE runs SET status = ?,
           failure_code = CASE WHEN ? THEN ? ELSE failure_code END,
           failure_detail = CASE WHEN ? THEN ? ELSE failure_detail END,
           finished_at = CASE WHEN ? THEN ? ELSE finished_at END,
           started_at = CASE WHEN ? AND started_at IS NULL THEN ? ELSE started_at END
         WHERE id = ?`,
      )
      .run(
        status,
        extra.failure !== undefined ? 1 : 0,
        extra.failure?.code ?? null,
        extra.failure !== undefined ? 1 : 0,
        extra.failure?.detail ?? null,
        extra.finished ? 1 : 0,
        now,
        extra.started ? 1 : 0,
        now,
        runId,
      );
  }

  setOwner(runId: string, owner: { pid: number; token: string } | null): void {
    this.db
      .prepare('UPDATE runs SET owner_pid = ?, owner_token = ?, heartbeat_at = ? WHERE id = ?')
      .run(owner?.pid ?? null, owner?.token ?? null, owner ? Date.now() : null, runId);
  }

  heartbeat(runIds: string[], token: string): void {
    const stmt = this.db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ? AND owner_token = ?');
    const now = Date.now();
    for (const id of runIds) stmt.run(now, id, token);
  }

  /** Replaces the epochs from `fromEpoch` on with the given ones (a resumed run reconciles with its checkpoint). */
  reconcileEpochs(runId: string, epochs: EpochMetrics[]): void {
    writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM run_epochs WHERE run_id = ?').run(runId);
      for (const e of epochs) this.insertEpoch(runId, e);
      const last = epochs.length ? epochs[epochs.length - 1].epoch : null;
      this.db
        .prepare('UPDATE runs SET checkpoint_epoch = COALESCE(?, checkpoint_epoch) WHERE id = ?')
        .run(last, runId);
    })();
  }

  /** Records a finished epoch and that its checkpoint exists. */
  recordEpoch(runId: string, e: EpochMetrics, bestEpoch: number): void {
    writeTransaction(this.db, () => {
      this.insertEpoch(runId, e);
      this.db
        .prepare('UPDATE runs SET checkpoint_epoch = ?, best_epoch = ?, heartbeat_at = ? WHERE id = ?')
        .run(e.epoch, bestEpoch, Date.now(), runId);
    })();
  }

  private insertEpoch(runId: string, e: EpochMetrics): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO run_epochs (run_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy, seconds,
           images_per_second, learning_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        runId,
        e.epoch,
        e.trainLoss,
        e.trainAccuracy,
        e.valLoss,
        e.valAccuracy,
        e.seconds,
        e.imagesPerSecond,
        e.learningRate,
      );
  }

  setKernels(runId: string, kernels: string): void {
    this.db.prepare('UPDATE runs SET kernels = ? WHERE id = ?').run(kernels, runId);
  }

  /** A mid-epoch checkpoint was written (on pause): resumable even before the first epoch ends. */
  markCheckpoint(runId: string): void {
    this.db
      .prepare('UPDATE runs SET checkpoint_epoch = COALESCE(checkpoint_epoch, 0) WHERE id = ?')
      .run(runId);
  }

  epochs(runId: string): EpochMetrics[] {
    return (
      this.db.prepare('SELECT * FROM run_epochs WHERE run_id = ? ORDER BY epoch').all(runId) as {
        epoch: number;
        train_loss: number;
        train_accuracy: number;
        val_loss: number | null;
        val_accuracy: number | null;
        seconds: number;
        images_per_second: number;
        learning_rate: number;
      }[]
    ).map((r) => ({
      epoch: r.epoch,
      trainLoss: r.train_loss,
      trainAccuracy: r.train_accuracy,
      valLoss: r.val_loss,
      valAccuracy: r.val_accuracy,
      seconds: r.seconds,
      imagesPerSecond: r.images_per_second,
      learningRate: r.learning_rate,
    }));
  }

  /** The run ended with a model file: its outcome, in one transaction with its status. */
  finish(
    runId: string,
    outcome: {
      status: 'completed' | 'stopped';
      earlyStopped: boolean;
      bestEpoch: number | null;
      finalValAccuracy: number | null;
      imagesPerSecond: number;
    },
  ): void {
    this.db
      .prepare(
        `UPDATE runs SET status = ?, early_stopped = ?, best_epoch = COALESCE(?, best_epoch), final_val_accuracy = ?,
           images_per_second = ?, has_model = 1, finished_at = ?, owner_pid = NULL, owner_token = NULL
         WHERE id = ?`,
      )
      .run(
        outcome.status,
        outcome.earlyStopped ? 1 : 0,
        outcome.bestEpoch,
        outcome.finalValAccuracy,
        outcome.imagesPerSecond,
        new Date().toISOString(),
        runId,
      );
  }

  /** Stores the model's predictions (replacing earlier ones for the same images). */
  savePredictions(
    runId: string,
    classLabelIds: number[],
    imageIds: ArrayLike<number>,
    predicted: Int32Array,
    confidence: Float32Array,
    probabilities: Float32Array,
    classes: number,
    range: [from: number, to: number] = [0, imageIds.length],
  ): void {
    const stmt = this.db.prepare(
      `INSERT OR REPLACE INTO run_predictions (run_id, image_id, predicted, predicted_label_id, confidence, probabilities)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    writeTransaction(this.db, () => {
      for (let i = range[0]; i < range[1]; i++) {
        const p = predicted[i];
        const probs = probabilities.subarray(i * classes, (i + 1) * classes);
        stmt.run(
          runId,
          imageIds[i],
          p,
          classLabelIds[p] ?? null,
          confidence[i],
          Buffer.from(probs.buffer, probs.byteOffset, probs.byteLength),
        );
      }
    })();
  }

  rename(runId: string, name: string): void {
    const other = this.byName(name);
    if (other && other.id !== runId)
      throw new AppFailure('conflict', `A run named "${name}" already exists.`, { code: 'run-exists', name });
    this.db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(name, runId);
  }

  delete(runId: string): void {
    writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
      this.db.prepare("DELETE FROM project_settings WHERE key = 'model.runId' AND value = ?").run(runId);
    })();
  }

  setting(key: string): string | null {
    return (
      (this.db.prepare('SELECT value FROM project_settings WHERE key = ?').pluck().get(key) as string) ?? null
    );
  }

  setSetting(key: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM project_settings WHERE key = ?').run(key);
    else
      this.db.prepare('INSERT OR REPLACE INTO project_settings (key, value) VALUES (?, ?)').run(key, value);
  }
}
