import { describeProjectNetwork, listPresets } from '../../services/network';
import type { HandlerTable } from '../handler-table';

/** IPC handlers of the training domain: the network explorer's presets and descriptions. */
export function trainingHandlers(): Pick<HandlerTable, 'model:presets' | 'model:describe'> {
  return {
    'model:presets': (s, { projectId }) =>
      listPresets(projectId === undefined ? undefined : s.projects.get(projectId).inputSize),
    'model:describe': (s, { projectId, preset }) => describeProjectNetwork(s.projects.get(projectId), preset),
  };
}
