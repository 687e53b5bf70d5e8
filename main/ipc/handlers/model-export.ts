import { AppFailure } from '../../../app/ipc/result';
import type { HandlerTable } from '../handler-table';

type ModelExportChannel = Extract<keyof HandlerTable, `export:${string}`>;

/** IPC handlers of the model export domain. */
export function modelExportHandlers(): Pick<HandlerTable, ModelExportChannel> {
  return {
    'export:run': () => {
      throw new AppFailure('internal', 'export is being built');
    },
  };
}
