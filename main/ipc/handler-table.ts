import type { InvokeName, InvokeOutput, InvokeParsed } from '../../app/ipc/contract';
import type { Services } from '../services/services';
import { datasetHandlers } from './handlers/dataset';
import { datasetMapHandlers } from './handlers/dataset-map';
import { dialogHandlers } from './handlers/dialog';
import { inspectHandlers } from './handlers/inspect';
import { modelExportHandlers } from './handlers/model-export';
import { predictionHandlers } from './handlers/prediction';
import { projectHandlers } from './handlers/projects';
import { runsHandlers } from './handlers/runs';
import { suggestionsHandlers } from './handlers/suggestions';
import { trainingHandlers } from './handlers/training';
import { trainingPackageHandlers } from './handlers/training-package';

/** One handler: gets the validated payload, returns (or resolves to) the answer, throws AppFailure on failure. */
export type Handler<C extends InvokeName> = (
  services: Services,
  input: InvokeParsed<C>,
) => InvokeOutput<C> | Promise<InvokeOutput<C>>;

/** A handler for every invoke channel; a missing one is a compile error. */
export type HandlerTable = { [C in InvokeName]: Handler<C> };

/** The one table Electron's ipcMain, the e2e bridge and tests all dispatch to. */
export function createHandlerTable(): HandlerTable {
  return {
    ...projectHandlers(),
    ...datasetHandlers(),
    ...trainingHandlers(),
    ...runsHandlers(),
    ...predictionHandlers(),
    ...modelExportHandlers(),
    ...dialogHandlers(),
    ...inspectHandlers(),
    ...suggestionsHandlers(),
    ...datasetMapHandlers(),
    ...trainingPackageHandlers(),
  };
}
