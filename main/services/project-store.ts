import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ColorMode, ProjectSummary, TrashedProject } from '../../app/domain/project';
import { AppFailure } from '../../app/ipc/result';
import { openDatabase, type Db } from '../db/open-database';
import { projectMigrations } from '../db/migrations/index';
import { validateProjectName } from './project-name';

const DB_FILE = 'project.sqlite';

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
 * Deleting moves the folder to `trash/`, from which it can be restored.
 */
export class ProjectStore {
  private readonly open = new Map<string, Db>();

  constructor(readonly dataDir: string) {}

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
      .filter((d) => d.isDirectory() && /^[a-z0-9-]{1,64}$/.test(d.name))
      .map((d) => d.name);
    const projects = ids.map((id) => {
      try {
        return this.get(id);
      } catch (error) {
        const stat = fs.statSync(this.projectDir(id));
        return {
          id,
          name: id,
          inputSize: 0,
          color: 'gray' as const,
          createdAt: stat.birthtime.toISOString(),
          updatedAt: stat.mtime.toISOString(),
          imageCount: 0,
          labelCount: 0,
          problem: (error as Error).message,
        };
      }
    });
    return projects.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
  }

  /** One project's summary. */
  get(id: string): ProjectSummary {
    const db = this.db(id);
    const row = db.prepare('SELECT * FROM project LIMIT 1').get() as ProjectRow | undefined;
    if (!row)
      throw new AppFailure('storage', `Project ${id} has no settings row; its database is incomplete.`, {
        code: 'settings-missing',
        projectId: id,
      });
    return { ...toSummary(row), ...countContents(db) };
  }

  /** Creates a project folder and database; the name must be valid and unique (case-insensitive). */
  create(input: { name: string; inputSize: number; color: ColorMode }): ProjectSummary {
    const name = validateProjectName(input.name);
    this.ensureLayout();
    this.assertNameFree(name);
    const id = randomUUID();
    const dir = this.projectDir(id);
    const now = new Date().toISOString();
    fs.mkdirSync(dir);
    try {
      const db = openDatabase(path.join(dir, DB_FILE), projectMigrations);
      db.prepare(
        'INSERT INTO project (id, name, input_size, color, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(id, name, input.inputSize, input.color, now, now);
      this.open.set(id, db);
    } catch (error) {
      this.close(id);
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return this.get(id);
  }

  /** Renames a project (same rules as create). */
  rename(id: string, rawName: string): ProjectSummary {
    const name = validateProjectName(rawName);
    this.assertNameFree(name, id);
    const db = this.db(id);
    db.prepare('UPDATE project SET name = ?, updated_at = ? WHERE id = ?').run(
      name,
      new Date().toISOString(),
      id,
    );
    return this.get(id);
  }

  /** Moves a project to the trash; nothing is erased. */
  delete(id: string): TrashedProject {
    const summary = this.get(id);
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
    if (!/^[a-z0-9-]{1,64}$/.test(id) || !fs.existsSync(from)) {
      throw new AppFailure('not-found', `No project ${id} in the trash.`, {
        code: 'project-not-in-trash',
        projectId: id,
      });
    }
    const meta = JSON.parse(fs.readFileSync(path.join(from, 'deleted.json'), 'utf8'));
    this.assertNameFree(String(meta.name));
    fs.rmSync(path.join(from, 'deleted.json'));
    fs.renameSync(from, this.projectDir(id));
    return this.get(id);
  }

  /** The open connection to a project's database (opened on first use). */
  db(id: string): Db {
    const cached = this.open.get(id);
    if (cached) return cached;
    const dir = this.projectDir(id);
    if (!/^[a-z0-9-]{1,64}$/.test(id) || !fs.existsSync(path.join(dir, DB_FILE))) {
      throw new AppFailure('not-found', `No project with id ${id}.`, {
        code: 'project-missing',
        project: id,
      });
    }
    const db = openDatabase(path.join(dir, DB_FILE), projectMigrations);
    this.open.set(id, db);
    return db;
  }

  /** Finds a project by id or (case-insensitive) name, for the CLI. */
  resolve(idOrName: string): ProjectSummary {
    const all = this.list().filter((p) => !p.problem);
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
