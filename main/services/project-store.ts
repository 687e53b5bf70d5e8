import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {
  ColorMode,
  ProjectBackup,
  ProjectSummary,
  RestoredBackup,
  TrashedProject,
} from '../../app/domain/project';
import { AppFailure } from '../../app/ipc/result';
import { CatalogLock } from '../db/catalog-lock';
import { openDatabase, type Db } from '../db/open-database';
import { projectMigrations } from '../db/migrations/index';
import { readProjectName } from '../db/read-only';
import { BACKUPS_DIR, chooseBackup, listBackups, writeBackup } from './project-backups';
import { validateProjectName } from './project-name';

const DB_FILE = 'project.sqlite';
/** A project folder's name (its id); anything else in `projects/` (a `.new-…` folder being built) is not listed. */
const PROJECT_ID = /^[a-z0-9-]{1,64}$/;
/** A project opened after this long without a backup gets one. */
const OPEN_BACKUP_AGE_MS = 24 * 3_600_000;

/** What asked for a backup: 'open' only backs up when the newest backup is older than a day. */
export type BackupReason = 'open' | 'import' | 'training' | 'manual';

interface ProjectRow {
  id: string;
  name: string;
  input_size: number;
  color: ColorMode;
  created_at: string;
  updated_at: string;
}

/**
 * The catalog of projects under a data folder. Each project is one self-contained folder
 * (`projects/<id>/project.sqlite` plus its managed files), so it can be moved, backed up or shared whole;
 * the catalog is the folder listing itself, so there is no second copy of the truth to drift.
 * Deleting moves the folder to `trash/`, from which it can be restored. Steps that check names across the catalog
 * (create, rename, restore) hold a cross-process lock (CatalogLock), so names stay unique with the app and CLIs
 * running at once. Each project keeps a few automatic backups of its database (project-backups.ts).
 */
export class ProjectStore {
  private readonly open = new Map<string, Db>();
  private readonly lock: CatalogLock;
  /** Set by closeAll: no new backups start (the folder may be about to go). */
  private closed = false;
  /**
   * The backups of this process, one after the other (the app opening many projects at start would otherwise copy
   * them all at once on the main thread); settleBackups waits for its end.
   */
  private backupQueue: Promise<unknown> = Promise.resolve();
  /** Projects this process has opened for work (each asks for its opening backup once). */
  private readonly openedForWork = new Set<string>();

  constructor(readonly dataDir: string) {
    this.lock = new CatalogLock(dataDir);
  }

  private get projectsDir(): string {
    return path.join(this.dataDir, 'projects');
  }

  private get trashDir(): string {
    return path.join(this.dataDir, 'trash');
  }

  /** The folder holding a project's database and files. */
  projectDir(id: string): string {
    return path.join(this.projectsDir, id);
  }

  /** A project's SQLite file (workers open their own read-only connections to it). */
  dbPath(id: string): string {
    return path.join(this.projectDir(id), DB_FILE);
  }

  /** Creates the data folder layout; a read-only or unusable folder fails with a clear storage error. */
  ensureLayout(): void {
    try {
      fs.mkdirSync(this.projectsDir, { recursive: true });
      fs.mkdirSync(this.trashDir, { recursive: true });
      fs.accessSync(this.dataDir, fs.constants.W_OK);
    } catch (error) {
      throw new AppFailure(
        'storage',
        `Data folder ${this.dataDir} is not writable: ${(error as Error).message}`,
        { code: 'data-folder-not-writable', dir: this.dataDir },
      );
    }
  }

  /** Every project, newest first. A damaged project is listed with its problem instead of hiding it. */
  list(): ProjectSummary[] {
    if (!fs.existsSync(this.projectsDir)) return [];
    const ids = fs
      .readdirSync(this.projectsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && PROJECT_ID.test(d.name))
      .map((d) => d.name);
    const projects = ids.flatMap((id) => {
      try {
        return [this.summary(id)];
      } catch (error) {
        // Moved away meanwhile (deleted or restored by another process): not in the catalog any more.
        if (failureCode(error) === 'project-missing' || !fs.existsSync(this.projectDir(id))) return [];
        throw error;
      }
    });
    return projects.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
  }

  /** One project's summary, or its damage (with the backups that can restore it) when it cannot be read. */
  summary(id: string): ProjectSummary {
    try {
      return this.read(id, this.connect(id));
    } catch (error) {
      if (failureCode(error) === 'project-missing') throw error;
      return this.damagedSummary(id, error);
    }
  }

  /** One project's summary (opening it for work: see db()). */
  get(id: string): ProjectSummary {
    return this.read(id, this.db(id));
  }

  private read(id: string, db: Db): ProjectSummary {
    const row = db.prepare('SELECT * FROM project LIMIT 1').get() as ProjectRow | undefined;
    if (!row)
      throw new AppFailure('storage', `Project ${id} has no settings row; its database is incomplete.`, {
        code: 'settings-missing',
        projectId: id,
      });
    return { ...toSummary(row), ...countContents(db) };
  }

  /**
   * Creates a project folder and database; the name must be valid and unique (case-insensitive). The folder is
   * built under a name the listing skips (`.new-<id>`) and renamed into place, so a killed process never leaves a
   * half-made project behind.
   */
  create(input: { name: string; inputSize: number; color: ColorMode }): ProjectSummary {
    const name = validateProjectName(input.name);
    this.ensureLayout();
    const id = randomUUID();
    this.lock.run(() => {
      this.removeUnfinishedCreates();
      this.assertNameFree(name);
      const staging = path.join(this.projectsDir, `.new-${id}`);
      const now = new Date().toISOString();
      fs.mkdirSync(staging);
      try {
        const db = openDatabase(path.join(staging, DB_FILE), projectMigrations);
        try {
          db.prepare(
            'INSERT INTO project (id, name, input_size, color, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
          ).run(id, name, input.inputSize, input.color, now, now);
        } finally {
          db.close();
        }
        fs.renameSync(staging, this.projectDir(id));
      } catch (error) {
        fs.rmSync(staging, { recursive: true, force: true });
        throw error;
      }
      // A new project needs no opening backup.
      this.open.set(id, openDatabase(this.dbPath(id), projectMigrations, { create: false }));
      this.openedForWork.add(id);
    });
    return this.get(id);
  }

  /** Renames a project (same rules as create). */
  rename(id: string, rawName: string): ProjectSummary {
    const name = validateProjectName(rawName);
    this.lock.run(() => {
      this.assertNameFree(name, id);
      this.db(id)
        .prepare('UPDATE project SET name = ?, updated_at = ? WHERE id = ?')
        .run(name, new Date().toISOString(), id);
    });
    return this.get(id);
  }

  /**
   * Moves a project to the trash; nothing is erased. A damaged project goes too, under the name its database
   * still tells, else its id.
   */
  delete(id: string): TrashedProject {
    const summary = this.summary(id);
    this.close(id);
    const deletedAt = new Date().toISOString();
    fs.mkdirSync(this.trashDir, { recursive: true });
    fs.renameSync(this.projectDir(id), path.join(this.trashDir, id));
    fs.writeFileSync(
      path.join(this.trashDir, id, 'deleted.json'),
      JSON.stringify({ name: summary.name, deletedAt }),
    );
    return { id, name: summary.name, deletedAt };
  }

  /** Projects in the trash, most recently deleted first. */
  listTrash(): TrashedProject[] {
    if (!fs.existsSync(this.trashDir)) return [];
    return fs
      .readdirSync(this.trashDir)
      .flatMap((id) => {
        try {
          const meta = JSON.parse(fs.readFileSync(path.join(this.trashDir, id, 'deleted.json'), 'utf8'));
          return [{ id, name: String(meta.name), deletedAt: String(meta.deletedAt) }];
        } catch {
          return [];
        }
      })
      .sort((a, b) => b.deletedAt.localeCompare(a.deletedAt));
  }

  /** Brings a project back from the trash; refuses if its name has been taken meanwhile. */
  restore(id: string): ProjectSummary {
    const from = path.join(this.trashDir, id);
    if (!PROJECT_ID.test(id) || !fs.existsSync(from)) {
      throw new AppFailure('not-found', `No project ${id} in the trash.`, {
        code: 'project-not-in-trash',
        projectId: id,
      });
    }
    this.lock.run(() => {
      const meta = JSON.parse(fs.readFileSync(path.join(from, 'deleted.json'), 'utf8'));
      this.assertNameFree(String(meta.name));
      fs.rmSync(path.join(from, 'deleted.json'));
      fs.renameSync(from, this.projectDir(id));
    });
    return this.summary(id);
  }

  /**
   * Takes a backup of a project's database now ('open': only when the newest is older than a day). Never throws:
   * a backup is a safety net, and its failure (a damaged or deleted project) must not fail the step that asked;
   * answers the backup or null. Queued behind the process's other backups.
   */
  backup(id: string, reason: BackupReason): Promise<ProjectBackup | null> {
    const next = this.backupQueue.then(async () => {
      try {
        const dir = this.projectDir(id);
        if (this.closed || !PROJECT_ID.test(id) || !fs.existsSync(dir)) return null;
        if (reason === 'open') {
          const newest = listBackups(dir)[0];
          if (newest && Date.now() - Date.parse(newest.createdAt) < OPEN_BACKUP_AGE_MS) return null;
        }
        return await writeBackup(this.dbPath(id), dir);
      } catch {
        return null; // the queue never rejects: the next backups still run
      }
    });
    this.backupQueue = next;
    return next;
  }

  /** Waits for the backups in progress (before the process exits). */
  async settleBackups(): Promise<void> {
    await this.backupQueue;
  }

  /**
   * Replaces a project's database with one of its backups (`file`, else the newest sound one). The replaced file
   * (and its -wal/-shm) is kept beside as `project.sqlite.damaged-<time>`, never deleted. Only for a damaged
   * project unless `force` (a project that opens may be open in another process, which would keep writing to the
   * renamed file).
   */
  restoreBackup(id: string, options: { file?: string; force?: boolean } = {}): RestoredBackup {
    const dir = this.projectDir(id);
    if (!PROJECT_ID.test(id) || !fs.existsSync(dir))
      throw new AppFailure('not-found', `No project with id ${id}.`, {
        code: 'project-missing',
        project: id,
      });
    const { backup, keptAs } = this.lock.run(() => {
      const current = this.summary(id);
      if (!current.problem && !options.force)
        throw new AppFailure(
          'conflict',
          `Project ${id} opens fine; restoring a backup would replace its current data (--force to do it anyway).`,
          { code: 'project-not-damaged', projectId: id },
        );
      const source = chooseBackup(dir, options.file);
      const restoredName = readProjectName(source);
      if (restoredName) this.assertNameFree(restoredName, id);
      this.close(id);
      const file = this.dbPath(id);
      const kept = `${file}.damaged-${new Date().toISOString().replace(/:/g, '-')}`;
      const hadFile = fs.existsSync(file);
      // The -wal and -shm go with it: a stale WAL beside the restored file would be replayed into it.
      for (const suffix of ['', '-wal', '-shm'])
        if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, kept + suffix);
      fs.copyFileSync(source, `${file}.restoring`);
      fs.renameSync(`${file}.restoring`, file);
      return { backup: path.basename(source), keptAs: hadFile ? path.basename(kept) : null };
    });
    return { project: this.get(id), backup, keptAs };
  }

  /**
   * The open connection to a project's database, for work on it: the first time in a process this also asks for
   * an opening backup (taken when the newest is older than a day). Listing and resolving projects do not: a CLI
   * command would otherwise copy every project of the data folder.
   */
  db(id: string): Db {
    const db = this.connect(id);
    if (!this.openedForWork.has(id)) {
      this.openedForWork.add(id);
      void this.backup(id, 'open');
    }
    return db;
  }

  /** The project's connection (opened on first use). */
  private connect(id: string): Db {
    const cached = this.open.get(id);
    if (cached) return cached;
    if (!PROJECT_ID.test(id) || !fs.existsSync(this.projectDir(id))) {
      throw new AppFailure('not-found', `No project with id ${id}.`, {
        code: 'project-missing',
        project: id,
      });
    }
    // An existing project's missing or empty database is damage, never a new empty project.
    const db = openDatabase(this.dbPath(id), projectMigrations, { create: false });
    this.open.set(id, db);
    this.closed = false;
    return db;
  }

  /**
   * Finds a project by id or (case-insensitive) name, for the CLI. A damaged project has no readable name: with
   * `damaged`, it is found by its id (for delete and restore-backup).
   */
  resolve(idOrName: string, options: { damaged?: boolean } = {}): ProjectSummary {
    const listed = this.list();
    const damagedById = options.damaged ? listed.find((p) => p.problem && p.id === idOrName) : undefined;
    if (damagedById) return damagedById;
    const all = listed.filter((p) => !p.problem);
    const found =
      all.find((p) => p.id === idOrName) ?? all.find((p) => p.name.toLowerCase() === idOrName.toLowerCase());
    if (!found)
      throw new AppFailure('not-found', `No project named or with id ${JSON.stringify(idOrName)}.`, {
        code: 'project-missing',
        project: idOrName,
      });
    return found;
  }

  /** Closes one project's connection (before moving its folder). */
  close(id: string): void {
    this.open.get(id)?.close();
    this.open.delete(id);
  }

  /** Closes every connection. */
  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
    this.lock.close();
    this.closed = true;
  }

  /** The summary of a project that cannot be read: the failure's code, the best name there is, its backups. */
  private damagedSummary(id: string, error: unknown): ProjectSummary {
    const dir = this.projectDir(id);
    const stat = fs.statSync(dir);
    const code = failureCode(error) ?? 'project-unreadable';
    const backups = listBackups(dir);
    // The name its file still tells, else its newest backup's, else its id (the folder's name).
    const name =
      readProjectName(this.dbPath(id)) ??
      (backups[0] ? readProjectName(path.join(dir, BACKUPS_DIR, backups[0].file)) : null) ??
      id;
    return {
      id,
      name,
      inputSize: 0,
      color: 'gray',
      createdAt: stat.birthtime.toISOString(),
      updatedAt: stat.mtime.toISOString(),
      imageCount: 0,
      labelCount: 0,
      problem: (error as Error).message,
      damage: { code, backups },
    };
  }

  /** Removes folders of creates whose process died (only called under the catalog lock: none is in progress). */
  private removeUnfinishedCreates(): void {
    for (const name of fs.readdirSync(this.projectsDir))
      if (name.startsWith('.new-'))
        fs.rmSync(path.join(this.projectsDir, name), { recursive: true, force: true });
  }

  private assertNameFree(name: string, exceptId?: string): void {
    const taken = this.list().some((p) => p.id !== exceptId && p.name.toLowerCase() === name.toLowerCase());
    if (taken)
      throw new AppFailure('conflict', `A project named ${JSON.stringify(name)} already exists.`, {
        code: 'project-exists',
        name,
      });
  }
}

/** The details code of a failure (an AppFailure's `details.code`), or null. */
function failureCode(error: unknown): string | null {
  if (!(error instanceof AppFailure)) return null;
  const details = error.details as { code?: unknown } | undefined;
  return typeof details?.code === 'string' ? details.code : null;
}

function toSummary(row: ProjectRow): Omit<ProjectSummary, 'imageCount' | 'labelCount'> {
  return {
    id: row.id,
    name: row.name,
    inputSize: row.input_size,
    color: row.color,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Counts images and labels once the dataset tables exist (a later migration adds them). */
function countContents(db: Db): { imageCount: number; labelCount: number } {
  const has = (table: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    imageCount: has('images') ? count('SELECT COUNT(*) AS n FROM images WHERE removed_at IS NULL') : 0,
    labelCount: has('labels') ? count('SELECT COUNT(*) AS n FROM labels') : 0,
  };
}
