import { PredictionService } from '../../services/prediction/prediction-service';
import type { HandlerTable } from '../handler-table';

const sourceOf = PredictionService.sourceOf;

type PredictionChannel = Extract<keyof HandlerTable, `prediction:${string}`>;

/** IPC handlers of the prediction domain (see services/prediction/prediction-service.ts). */
export function predictionHandlers(): Pick<HandlerTable, PredictionChannel> {
  return {
    'prediction:start': (s, { projectId, paths, topK, ...model }) =>
      s.prediction.startBatch(projectId, sourceOf(projectId, model), paths, topK),
    'prediction:model': (s, { projectId, ...model }) => s.prediction.modelInfo(sourceOf(projectId, model)),
    'prediction:cancel': (s, { batchId }) => s.prediction.cancelBatch(batchId),
    'prediction:explain': (s, { projectId, file, label, topK, ...model }) =>
      s.prediction.explain(sourceOf(projectId, model), file, {
        ...(label !== undefined ? { label } : {}),
        topK,
      }),
    'prediction:savePasted': (s, { projectId, base64 }) => s.prediction.savePasted(projectId, base64),
    'prediction:exportCsv': (s, { batchId, file }) => s.prediction.exportCsv(batchId, file),
    'prediction:copyToFolders': (s, { batchId, dir }) => s.prediction.copyToFolders(batchId, dir),
    'prediction:addToDataset': (s, { projectId, file, label }) =>
      s.prediction.addToDataset(projectId, file, label),
  };
}
