import { useSyncExternalStore } from 'react';
import type { ProjectSummary, TrashedProject } from '../../../../app/domain/project';
import type { AppError } from '../../../../app/ipc/result';
import { call, desktop } from '../../bridge/desktop';

/** The project list and the Trash as the UI shows them. */
export interface ProjectsSnapshot {
  projects: ProjectSummary[];
  trash: TrashedProject[];
  /** False until the first list arrives. */
  loaded: boolean;
  /** Set when the last refresh failed. */
  error: AppError | null;
}

let snapshot: ProjectsSnapshot = { projects: [], trash: [], loaded: false, error: null };
const listeners = new Set<() => void>();
let unsubscribeMain: (() => void) | null = null;
// Answers can arrive out of order when events come in bursts; only the newest request may update the snapshot.
let generation = 0;

/** Reloads projects and trash from main and notifies subscribers. */
export async function refreshProjects(): Promise<void> {
  const mine = ++generation;
  const [list, trashed] = await Promise.all([
    call((api) => api.projects.list({})),
    call((api) => api.projects.listTrash({})),
  ]);
  if (mine !== generation) return;
  snapshot = {
    projects: list.ok ? list.value : snapshot.projects,
    trash: trashed.ok ? trashed.value : snapshot.trash,
    loaded: true,
    error: !list.ok ? list.error : !trashed.ok ? trashed.error : null,
  };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!unsubscribeMain) {
    // First subscriber: follow main's `projects:changed` (this window, the CLI or another window) and load.
    // Dataset changes (imports, removals) alter the image and label counts the list shows.
    const offProjects = desktop().on('projects:changed', () => void refreshProjects());
    const offDataset = desktop().on('dataset:changed', () => void refreshProjects());
    unsubscribeMain = () => {
      offProjects();
      offDataset();
    };
    void refreshProjects();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      unsubscribeMain?.();
      unsubscribeMain = null;
    }
  };
}

/** The live project list and Trash, kept fresh by `projects:changed` and `dataset:changed`. */
export function useProjects(): ProjectsSnapshot {
  return useSyncExternalStore(subscribe, () => snapshot);
}
