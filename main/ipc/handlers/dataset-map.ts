import type { HandlerTable } from '../handler-table';

type DatasetMapChannel = Extract<keyof HandlerTable, `datasetMap:${string}`>;

/** IPC handlers of the dataset map (see services/dataset-map/). */
export function datasetMapHandlers(): Pick<HandlerTable, DatasetMapChannel> {
  return {
    'datasetMap:compute': (s, { projectId, ...options }) => s.datasetMap.compute(projectId, options),
    'datasetMap:get': (s, { projectId, ...options }) => ({ map: s.datasetMap.get(projectId, options) }),
    'datasetMap:cancel': (s, { projectId }) => s.datasetMap.cancel(projectId),
  };
}
