import { describeProjectModel, listPresets } from '../../services/model-description';
import { classPlan } from '../../services/training/dataset-snapshot';
import type { HandlerTable } from '../handler-table';

type TrainingChannel = Extract<keyof HandlerTable, `model:${string}` | `training:${string}`>;

/** IPC handlers of the model and training domains. */
export function trainingHandlers(): Pick<HandlerTable, TrainingChannel> {
  return {
    'model:presets': (s, { projectId }) =>
      listPresets(projectId === undefined ? undefined : s.projects.get(projectId).inputSize),
    'model:describe': (s, { projectId, preset, model }) => {
      // the classifier has one output per label that would train (labels without training images are left out)
      const project = s.projects.get(projectId);
      const training = classPlan(s.projects.db(projectId)).classNames.length;
      const classes = training >= 2 ? { ...project, labelCount: training } : project;
      return describeProjectModel(classes, model ?? { kind: 'preset', preset: preset ?? 'small' });
    },
    'training:defaults': (s, { projectId }) => s.training.defaults(projectId),
    'training:start': (s, { projectId, settings, name }) => s.training.start(projectId, settings, name),
    'training:pause': (s, { projectId, runId }) => s.training.pause(projectId, runId),
    'training:resume': (s, { projectId, runId }) => s.training.resume(projectId, runId),
    'training:stop': (s, { projectId, runId }) => s.training.stop(projectId, runId),
    'training:status': (s, { projectId }) => s.training.status(projectId),
    'training:augmentPreview': (s, { projectId, ...input }) => s.training.augmentPreview(projectId, input),
  };
}
