import { AppFailure } from '../../../app/ipc/result';
import type { HandlerTable } from '../handler-table';

type DatasetMapChannel = Extract<keyof HandlerTable, `datasetMap:${string}`>;

const notYet = (): never => {
  throw new AppFailure('internal', 'The dataset map is being built (issue 11).');
};

/** IPC handlers of the dataset map (see services/dataset-map/). */
export function datasetMapHandlers(): Pick<HandlerTable, DatasetMapChannel> {
  return {
    'datasetMap:compute': notYet,
    'datasetMap:get': notYet,
    'datasetMap:cancel': notYet,
  };
}
