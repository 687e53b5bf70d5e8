import type { HandlerTable } from '../handler-table';

type PredictionChannel = Extract<keyof HandlerTable, `prediction:${string}`>;

/** IPC handlers of the prediction domain (see services/prediction/prediction-service.ts). */
export function predictionHandlers(): Pick<HandlerTable, PredictionChannel> {
  return {
    'prediction:start': (s, { projectId, runId, paths, topK }) =>
      s.prediction.startBatch(projectId, runId, paths, topK),
    'prediction:cancel': (s, { batchId }) => s.prediction.cancelBatch(batchId),
    'prediction:explain': (s, { projectId, runId, file, label, topK }) =>
      s.prediction.explain(runId ? { projectId, runId } : { projectId }, file, {
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
