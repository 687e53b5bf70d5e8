import { importCaptured } from '../../services/dataset/capture';
import { listImageIds } from '../../services/dataset/image-ids';
import type { HandlerTable } from '../handler-table';

type DatasetChannel = Extract<keyof HandlerTable, `dataset:${string}` | `labels:${string}`>;

/** IPC handlers of the dataset and labels domains. */
export function datasetHandlers(): Pick<HandlerTable, DatasetChannel> {
  return {
    'dataset:import': (s, { projectId, paths, label }) =>
      s.dataset.startImport(projectId, { paths, ...(label !== undefined ? { label } : {}) }),
    'dataset:cancelImport': (s, { projectId, importId }) => s.dataset.cancelImport(importId, projectId),
    'dataset:importStatus': (s, { projectId, importId }) => s.dataset.importStatus(projectId, importId),
    'dataset:listImports': (s, { projectId }) => s.dataset.listImports(projectId),
    'dataset:dismissImportFailures': (s, { projectId }) => s.dataset.dismissImportFailures(projectId),
    'dataset:listImages': (s, { projectId, ...query }) => s.dataset.listImages(projectId, query),
    // Added by the dataset UI (selections of many images); see services/dataset/image-ids.ts.
    'dataset:imageIds': (s, { projectId, ...query }) => listImageIds(s.projects.db(projectId), query),
    // Added by the dataset UI (webcam bursts); see services/dataset/capture.ts.
    'dataset:importCaptured': (s, { projectId, label, images }) =>
      importCaptured(s, projectId, label, images),
    'dataset:imageDetails': (s, { projectId, imageId }) => s.dataset.imageDetails(projectId, imageId),
    'dataset:removeImages': (s, { projectId, imageIds }) => s.dataset.removeImages(projectId, imageIds),
    'dataset:restoreImages': (s, { projectId, imageIds }) => s.dataset.restoreImages(projectId, imageIds),
    'dataset:stats': (s, { projectId }) => s.dataset.stats(projectId),
    'dataset:health': (s, { projectId }) => s.dataset.health(projectId),
    'dataset:split': (s, { projectId, ...input }) => s.dataset.split(projectId, input),
    'dataset:setSplit': (s, { projectId, imageIds, split }) => s.dataset.setSplit(projectId, imageIds, split),
    'dataset:undo': (s, { projectId }) => s.dataset.undo(projectId),
    'dataset:redo': (s, { projectId }) => s.dataset.redo(projectId),
    'dataset:undoState': (s, { projectId }) => s.dataset.undoState(projectId),
    'dataset:rebuildTensors': (s, { projectId }) => s.dataset.rebuildTensors(projectId),
    'dataset:export': (s, { projectId, dir, ...options }) => s.dataset.exportFolders(projectId, dir, options),
    'labels:list': (s, { projectId }) => s.dataset.listLabels(projectId),
    'labels:create': (s, { projectId, name, color }) => s.dataset.createLabel(projectId, name, color),
    'labels:rename': (s, { projectId, labelId, name }) => s.dataset.renameLabel(projectId, labelId, name),
    'labels:setColor': (s, { projectId, labelId, color }) =>
      s.dataset.setLabelColor(projectId, labelId, color),
    'labels:merge': (s, { projectId, sourceIds, targetId }) =>
      s.dataset.mergeLabels(projectId, sourceIds, targetId),
    'labels:delete': (s, { projectId, labelId }) => s.dataset.deleteLabel(projectId, labelId),
    'labels:assign': (s, { projectId, imageIds, labelId }) =>
      s.dataset.assignLabel(projectId, imageIds, labelId),
  };
}
