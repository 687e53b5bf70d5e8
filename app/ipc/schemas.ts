import { z } from 'zod';
import { LABEL_NAME_MAX_LENGTH } from '../domain/dataset';

/**
 * Zod schemas shared by the channel files (app/ipc/channels/*), declared once so every channel validates an id
 * or a list query the same way.
 */

/** A project's id (also a folder name: lower-case letters, digits and dashes). */
export const projectId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'not a project id');
/** A training run's id (a UUID). */
export const runId = z.string().regex(/^[0-9a-f-]{36}$/, 'not a run id');
export const imageId = z.number().int().positive();
/** The images one action may touch (a whole 60k-image dataset fits). */
export const imageIds = z.array(imageId).min(1).max(100_000);
export const labelId = z.number().int().positive();
/** A label's name as sent (main trims it and checks its characters). */
export const labelName = z.string().min(1).max(LABEL_NAME_MAX_LENGTH);
export const splitName = z.enum(['train', 'val', 'test']);
/**
 * A local file or folder path as the page sends it (main checks it again). No NUL character: no file system has
 * one in a path, and Node's fs throws on it instead of failing like a missing file.
 */
export const localPath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[^\0]*$/, 'not a path: contains a NUL character');

/** The image list's filter (app/domain/dataset.ts ImageFilter) and sort key (ImageSortKey). */
export const imageFilter = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('unlabeled') }).strict(),
  z.object({ kind: z.literal('label'), labelId }).strict(),
  z.object({ kind: z.literal('split'), split: splitName }).strict(),
  z.object({ kind: z.literal('duplicates') }).strict(),
  z.object({ kind: z.literal('conflicts') }).strict(),
  z.object({ kind: z.literal('removed') }).strict(),
  z.object({ kind: z.literal('misclassified') }).strict(),
  z.object({ kind: z.literal('suggested'), labelId }).strict(),
]);
export const imageSortKey = z.enum(['name', 'added', 'label', 'confidence']);
