import { randomUUID } from 'node:crypto';
import type { HandlerTable } from '../handler-table';

type TrainingPackageChannel = Extract<keyof HandlerTable, `trainingPackage:${string}`>;

/**
 * IPC handlers of the training package. `trainingPackage:export` writes the package and sends its progress (images
 * copied, then the files, then done) as `trainingPackage:progress` events with this export's id.
 */
export function trainingPackageHandlers(): Pick<HandlerTable, TrainingPackageChannel> {
  return {
    'trainingPackage:export': (s, { projectId, source, dir }) => {
      const exportId = randomUUID();
      return s.trainingPackage.export(projectId, {
        source,
        outDir: dir,
        onProgress: (p) => s.events.emit('trainingPackage:progress', { projectId, exportId, ...p }),
      });
    },
  };
}
