import { randomUUID } from 'node:crypto';
import type { HandlerTable } from '../handler-table';

type ModelExportChannel = Extract<keyof HandlerTable, `export:${string}`>;

/**
 * IPC handlers of the model export domain. `export:run` writes the project's model (or run `runId`) into `dir`
 * and checks it in a worker thread; each stage (writing, checking, done) is sent as `export:progress` with this
 * export's id. Failures are AppFailures whose details.code the renderer words: 'no-model' (nothing trained),
 * 'dir-not-empty' / 'not-a-folder' (conflict), 'check-failed' (the exported model could not be run).
 */
export function modelExportHandlers(): Pick<HandlerTable, ModelExportChannel> {
  return {
    'export:run': (s, { projectId, runId, format, dir }) => {
      const exportId = randomUUID();
      return s.modelExport.export(projectId, {
        format,
        outDir: dir,
        ...(runId !== undefined ? { run: runId } : {}),
        onStage: (stage) => s.events.emit('export:progress', { projectId, exportId, stage }),
      });
    },
  };
}
