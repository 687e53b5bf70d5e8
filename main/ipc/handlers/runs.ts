import type { HandlerTable } from '../handler-table';

type RunsChannel = Extract<keyof HandlerTable, `runs:${string}` | `evaluation:${string}`>;

/** IPC handlers of the runs and evaluation domains. */
export function runsHandlers(): Pick<HandlerTable, RunsChannel> {
  return {
    'runs:list': (s, { projectId }) => s.runs.list(projectId),
    'runs:show': (s, { projectId, runId }) => s.runs.show(projectId, runId),
    'runs:rename': (s, { projectId, runId, name }) => s.runs.rename(projectId, runId, name),
    'runs:delete': (s, { projectId, runId }) => {
      s.runs.delete(projectId, runId);
      return { deleted: true as const };
    },
    'runs:use': (s, { projectId, runId }) => ({ model: s.runs.use(projectId, runId) }),
    'runs:importModel': (s, { projectId, file, name }) =>
      s.modelImport.importModel(projectId, file, name === undefined ? {} : { name }),
    'evaluation:evaluate': (s, { projectId, runId, split }) => s.evaluation.evaluate(projectId, split, runId),
    'evaluation:predictions': (s, { projectId, ...query }) => s.evaluation.predictions(projectId, query),
  };
}
