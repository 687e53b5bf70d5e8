import { randomUUID } from 'node:crypto';
import type { ImportOptions, ImportStatus, ImportSummary } from '../../../app/domain/dataset';
import { AppFailure } from '../../../app/ipc/result';
import type { ProjectStore } from '../project-store';
import type { EventSink } from '../services';
import { ImportRegistry, type ActiveImport } from './import-registry';
import { emptyImportSummary, runImport, type ImportHooks } from './importer';
import { validateLabelName } from './label-ops';

/** One row of the import log (`dataset:listImports`). */
export interface LoggedImport {
  importId: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  imported: number;
}

/**
 * Starts imports in the background of this process (one per project at a time), relays their progress and end
 * as events, and answers their status from the registry of running imports or the project's `imports` table.
 */
export class ImportRunner {
  readonly registry = new ImportRegistry();

  constructor(
    private readonly projects: ProjectStore,
    private readonly events: EventSink,
  ) {}

  /** Starts an import; `promise` settles with its summary (rejects when it fails as a whole). */
  begin(
    projectId: string,
    options: ImportOptions,
    hooks: ImportHooks,
  ): { importId: string; promise: Promise<ImportSummary> } {
    this.registry.assertIdle(projectId);
    const project = this.projects.get(projectId);
    const label = options.label === undefined ? undefined : validateLabelName(options.label);
    const importId = randomUUID();
    const controller = new AbortController();
    hooks.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const entry: ActiveImport = { projectId, controller, progress: null, promise: undefined as never };
    const promise = runImport(
      {
        db: this.projects.db(projectId),
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
      (summary) => this.finished(projectId, importId, summary),
      (error: unknown) => {
        // The page still hears that the import ended (e.g. the project was deleted or its disk failed).
        this.finished(projectId, importId, failedSummary(projectId, importId, error));
        throw error;
      },
    );
    entry.promise = promise;
    this.registry.add(importId, entry);
    // A background import's failure is reported by importStatus; never an unhandled rejection.
    promise.catch(() => undefined);
    return { importId, promise };
  }

  private finished(projectId: string, importId: string, summary: ImportSummary): ImportSummary {
    this.registry.remove(importId);
    void this.projects.backup(projectId, 'import'); // a safe point: the import's batches are committed
    this.events.emit('dataset:importFinished', summary);
    this.events.emit('dataset:changed', { projectId, reason: 'import' });
    return summary;
  }

  status(projectId: string, importId: string): ImportStatus {
    const a = this.registry.get(projectId, importId);
    if (a) return { importId, state: 'running', progress: a.progress };
    const row = this.projects
      .db(projectId)
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

  /** Every import of the project, newest first; one without a summary that is not running was interrupted. */
  list(projectId: string): LoggedImport[] {
    const rows = this.projects
      .db(projectId)
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
      status: this.registry.get(projectId, r.id) ? 'running' : r.summary ? r.status : 'interrupted',
      imported: r.summary ? (JSON.parse(r.summary) as ImportSummary).imported : 0,
    }));
  }
}

function failedSummary(projectId: string, importId: string, error: unknown): ImportSummary {
  return {
    ...emptyImportSummary(importId, projectId, 'failed'),
    error: error instanceof Error ? error.message : String(error),
  };
}
