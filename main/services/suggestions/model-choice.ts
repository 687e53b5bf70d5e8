/**
 * Notices when the project's model changes outside training: `runs:use` picks another run, or deleting a run
 * removes the model. RunsService has no listeners of its own, so its two methods that can change the model are
 * wrapped on the shared instance (the IPC handlers and the CLI call that instance).
 */
import type { RunsApi } from '../training/api';

/** Calls `changed(projectId)` after `use` or `delete` changed the project's model; returns the unwatch function. */
export function watchModelChoice(runs: RunsApi, changed: (projectId: string) => void): () => void {
  const use = runs.use;
  const remove = runs.delete;
  const modelOf = (projectId: string): string | null => {
    try {
      return runs.modelRun(projectId)?.id ?? null;
    } catch {
      return null;
    }
  };
  const watched =
    <A extends unknown[], R>(call: (projectId: string, ...rest: A) => R) =>
    (projectId: string, ...rest: A): R => {
      const before = modelOf(projectId);
      const result = call.call(runs, projectId, ...rest);
      if (modelOf(projectId) !== before) changed(projectId);
      return result;
    };
  runs.use = watched(use);
  runs.delete = watched(remove);
  return () => {
    runs.use = use;
    runs.delete = remove;
  };
}
