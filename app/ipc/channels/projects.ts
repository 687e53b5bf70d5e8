import { z } from 'zod';
import {
  PROJECT_LIMITS,
  type ProjectSummary,
  type RestoredBackup,
  type TrashedProject,
} from '../../domain/project';
import type { AppInfo } from '../../domain/app-info';
import { DOC_LINKS } from '../../domain/doc-links';
import { invoke } from '../define';
import { projectId } from '../schemas';

/** Names are checked fully by the service (reserved words, duplicates); here only type and rough size. */
const projectName = z.string().max(1000);

/** Invoke channels of the projects domain. */
export const projectChannels = {
  'app:info': invoke<AppInfo>()(z.object({}).strict()),
  /** Opens one documentation page (by key, never by URL) in the browser; `opened` is false without the desktop app. */
  'app:openLink': invoke<{ opened: boolean }>()(z.object({ link: z.enum(DOC_LINKS) }).strict()),
  'projects:list': invoke<ProjectSummary[]>()(z.object({}).strict()),
  'projects:get': invoke<ProjectSummary>()(z.object({ id: projectId }).strict()),
  'projects:create': invoke<ProjectSummary>()(
    z
      .object({
        name: projectName,
        inputSize: z
          .number()
          .int()
          .min(PROJECT_LIMITS.minInputSize)
          .max(PROJECT_LIMITS.maxInputSize)
          .default(PROJECT_LIMITS.defaultInputSize),
        color: z.enum(['gray', 'rgb']).default('gray'),
      })
      .strict(),
  ),
  'projects:rename': invoke<ProjectSummary>()(z.object({ id: projectId, name: projectName }).strict()),
  'projects:delete': invoke<TrashedProject>()(z.object({ id: projectId }).strict()),
  'projects:listTrash': invoke<TrashedProject[]>()(z.object({}).strict()),
  'projects:restore': invoke<ProjectSummary>()(z.object({ id: projectId }).strict()),
  /** A damaged project's database replaced by one of its backups (a name from its `damage.backups`; default the newest sound one). */
  'projects:restoreBackup': invoke<RestoredBackup>()(
    z.object({ id: projectId, backup: z.string().max(200).optional() }).strict(),
  ),
} as const;

export { projectId as projectIdSchema };
