import type { ImportProgress, ImportSummary } from '../../../app/domain/dataset';
import { AppFailure } from '../../../app/ipc/result';

/** One import running in this process. */
export interface ActiveImport {
  projectId: string;
  controller: AbortController;
  /** The latest progress event (null until the first). */
  progress: ImportProgress | null;
  promise: Promise<ImportSummary>;
}

/**
 * The imports running in this process, by import id. Every lookup that comes from the page names its project:
 * an import id of another project is treated as unknown (a page must not see or cancel other projects' imports).
 */
export class ImportRegistry {
  private readonly active = new Map<string, ActiveImport>();

  /** Refuses a second import into a project while one runs (both would race for the same files and labels). */
  assertIdle(projectId: string): void {
    if (this.isImporting(projectId))
      throw new AppFailure('busy', 'An import is already running in this project.', {
        code: 'import-running',
      });
  }

  add(importId: string, entry: ActiveImport): void {
    this.active.set(importId, entry);
  }

  remove(importId: string): void {
    this.active.delete(importId);
  }

  /** The running import of that project with that id, or undefined (also when it belongs to another project). */
  get(projectId: string, importId: string): ActiveImport | undefined {
    const a = this.active.get(importId);
    return a?.projectId === projectId ? a : undefined;
  }

  /**
   * Asks a running import to stop after its current batch. With a project id (the IPC handler always passes one)
   * only that project's import is cancelled; without, any (in-process callers: tests, the CLI).
   */
  cancel(importId: string, projectId?: string): boolean {
    const a = this.active.get(importId);
    if (!a || (projectId !== undefined && a.projectId !== projectId)) return false;
    a.controller.abort();
    return true;
  }

  isImporting(projectId: string): boolean {
    return [...this.active.values()].some((a) => a.projectId === projectId);
  }

  /** Cancels the project's running import(s), or every import, and waits until each has committed. */
  async cancelAndWait(projectId?: string): Promise<void> {
    const running = [...this.active.values()].filter(
      (a) => projectId === undefined || a.projectId === projectId,
    );
    for (const a of running) a.controller.abort();
    await Promise.allSettled(running.map((a) => a.promise));
  }
}
