import { z } from 'zod';
import type {
  ActionDescription,
  DatasetStats,
  ExportResult,
  HealthReport,
  ImageDetails,
  ImagePage,
  ImportStatus,
  LabelInfo,
  UndoState,
} from '../../domain/dataset';
import { invoke } from '../define';
import {
  imageFilter as filter,
  imageId,
  imageIds,
  imageSortKey as sortKey,
  labelId,
  labelName,
  localPath,
  projectId,
  splitName as split,
} from '../schemas';

const importId = z.string().regex(/^[0-9a-f-]{36}$/, 'not an import id');
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'not a #rrggbb colour');
const ratio = z.number().min(0).max(1);
const ratios = z
  .object({ train: ratio, val: ratio, test: ratio })
  .strict()
  .refine((r) => r.train + r.val + r.test > 0, 'ratios must not all be 0');

/** Invoke channels of the dataset and labels domains. */
export const datasetChannels = {
  /** Starts importing files/folders; answers at once. Progress: `dataset:importProgress`; end: `dataset:importFinished`. */
  'dataset:import': invoke<{ importId: string }>()(
    z
      .object({
        projectId,
        paths: z.array(localPath).min(1).max(10_000),
        label: labelName.optional(),
      })
      .strict(),
  ),
  /** Imports a burst of webcam frames (base64 PNG/JPEG) under a label; like dataset:import. Added by the dataset UI. */
  'dataset:importCaptured': invoke<{ importId: string }>()(
    z
      .object({
        projectId,
        label: labelName,
        images: z.array(z.string().min(16).max(8_000_000)).min(1).max(300),
      })
      .strict(),
  ),
  'dataset:cancelImport': invoke<{ cancelled: boolean }>()(z.object({ projectId, importId }).strict()),
  'dataset:importStatus': invoke<ImportStatus>()(z.object({ projectId, importId }).strict()),
  'dataset:listImports': invoke<
    { importId: string; startedAt: string; finishedAt: string | null; status: string; imported: number }[]
  >()(z.object({ projectId }).strict()),
  /** Dismisses every current import failure: Health no longer lists them; the import log keeps them. */
  'dataset:dismissImportFailures': invoke<{ dismissed: number }>()(z.object({ projectId }).strict()),
  'dataset:listImages': invoke<ImagePage>()(
    z
      .object({
        projectId,
        filter: filter.default({ kind: 'all' }),
        sort: sortKey.default('added'),
        descending: z.boolean().default(false),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),
  /** Ids only of what listImages lists (same filter and order), for selections of many images. Added by the dataset UI. */
  'dataset:imageIds': invoke<number[]>()(
    z
      .object({
        projectId,
        filter: filter.default({ kind: 'all' }),
        sort: sortKey.default('added'),
        descending: z.boolean().default(false),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(100_000).default(100_000),
      })
      .strict(),
  ),
  'dataset:imageDetails': invoke<ImageDetails>()(z.object({ projectId, imageId }).strict()),
  'dataset:removeImages': invoke<{ changed: number }>()(z.object({ projectId, imageIds }).strict()),
  'dataset:restoreImages': invoke<{ changed: number }>()(z.object({ projectId, imageIds }).strict()),
  'dataset:stats': invoke<DatasetStats>()(z.object({ projectId }).strict()),
  'dataset:health': invoke<HealthReport>()(z.object({ projectId }).strict()),
  /** fill: assign images without a split; reshuffle: redo automatic splits; all: also replace folder splits. */
  'dataset:split': invoke<DatasetStats>()(
    z
      .object({
        projectId,
        ratios: ratios.optional(),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1)
          .optional(),
        mode: z.enum(['fill', 'reshuffle', 'all']).default('reshuffle'),
      })
      .strict(),
  ),
  /** Manual split for images; `split: null` hands them back to the automatic assignment. */
  'dataset:setSplit': invoke<{ changed: number }>()(
    z.object({ projectId, imageIds, split: split.nullable() }).strict(),
  ),
  'dataset:undo': invoke<UndoState & { undone: string | null; undoneAction: ActionDescription | null }>()(
    z.object({ projectId }).strict(),
  ),
  'dataset:redo': invoke<UndoState & { redone: string | null; redoneAction: ActionDescription | null }>()(
    z.object({ projectId }).strict(),
  ),
  'dataset:undoState': invoke<UndoState>()(z.object({ projectId }).strict()),
  /** Re-decodes every original into the tensor cache (repair; not needed in normal use). */
  'dataset:rebuildTensors': invoke<{ rebuilt: number; failed: { imageId: number; reason: string }[] }>()(
    z.object({ projectId }).strict(),
  ),
  'dataset:export': invoke<ExportResult>()(
    z
      .object({
        projectId,
        dir: localPath,
        bySplit: z.boolean().default(false),
        includeUnlabeled: z.boolean().default(false),
        split: split.optional(),
      })
      .strict(),
  ),

  'labels:list': invoke<LabelInfo[]>()(z.object({ projectId }).strict()),
  'labels:create': invoke<LabelInfo>()(
    z.object({ projectId, name: labelName, color: color.optional() }).strict(),
  ),
  'labels:rename': invoke<LabelInfo>()(z.object({ projectId, labelId, name: labelName }).strict()),
  'labels:setColor': invoke<LabelInfo>()(z.object({ projectId, labelId, color }).strict()),
  'labels:merge': invoke<LabelInfo>()(
    z.object({ projectId, sourceIds: z.array(labelId).min(1).max(1000), targetId: labelId }).strict(),
  ),
  'labels:delete': invoke<{ deleted: number; unlabeledImages: number }>()(
    z.object({ projectId, labelId }).strict(),
  ),
  /** Sets the label of many images (null = unlabel); also resolves their conflicts. Undoable. */
  'labels:assign': invoke<{ changed: number }>()(
    z.object({ projectId, imageIds, labelId: labelId.nullable() }).strict(),
  ),
} as const;
