import { kernelsInfo } from '../../../native-workers/kernels/kernels-info';
import type { HandlerTable } from '../handler-table';

/** IPC handlers of the projects domain. */
export function projectHandlers(): Pick<
  HandlerTable,
  | 'app:info'
  | 'app:openLink'
  | 'projects:list'
  | 'projects:get'
  | 'projects:create'
  | 'projects:rename'
  | 'projects:delete'
  | 'projects:listTrash'
  | 'projects:restore'
  | 'projects:restoreBackup'
> {
  return {
    'app:info': (s) => ({
      version: s.config.version,
      dataDir: s.config.dataDir,
      mediaBaseUrl: s.config.mediaBaseUrl,
      platform: process.platform,
      kernels: kernelsInfo(),
    }),
    'app:openLink': async (s, { link }) => {
      if (!s.config.openDocLink) return { opened: false };
      await s.config.openDocLink(link);
      return { opened: true };
    },
    'projects:list': (s) => s.projects.list(),
    'projects:get': (s, { id }) => s.projects.get(id),
    'projects:create': (s, input) => {
      const created = s.projects.create(input);
      s.events.emit('projects:changed', { reason: 'created' });
      return created;
    },
    'projects:rename': (s, { id, name }) => {
      const renamed = s.projects.rename(id, name);
      s.events.emit('projects:changed', { reason: 'renamed' });
      return renamed;
    },
    'projects:delete': async (s, { id }) => {
      // An import still writing into the folder must stop (committing its batch) before the folder moves.
      await s.dataset.cancelProjectImports(id);
      const trashed = s.projects.delete(id);
      s.events.emit('projects:changed', { reason: 'deleted' });
      return trashed;
    },
    'projects:listTrash': (s) => s.projects.listTrash(),
    'projects:restore': (s, { id }) => {
      const restored = s.projects.restore(id);
      s.events.emit('projects:changed', { reason: 'restored' });
      return restored;
    },
    'projects:restoreBackup': (s, { id, backup }) => {
      const restored = s.projects.restoreBackup(id, { file: backup });
      s.events.emit('projects:changed', { reason: 'backup-restored' });
      return restored;
    },
  };
}
