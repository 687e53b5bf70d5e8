import { AppFailure } from '../../../app/ipc/result';
import type { HandlerTable } from '../handler-table';

type PredictionChannel = Extract<keyof HandlerTable, `prediction:${string}`>;

const notYet = (): never => {
  throw new AppFailure('internal', 'prediction is being built');
};

/** IPC handlers of the prediction domain. */
export function predictionHandlers(): Pick<HandlerTable, PredictionChannel> {
  return {
    'prediction:start': notYet,
    'prediction:cancel': notYet,
    'prediction:explain': notYet,
    'prediction:savePasted': notYet,
    'prediction:exportCsv': notYet,
    'prediction:copyToFolders': notYet,
    'prediction:addToDataset': notYet,
  };
}
