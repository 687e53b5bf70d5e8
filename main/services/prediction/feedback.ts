/**
 * Feedback from the Predict view: an image added to the dataset with the right label (through the import, so
 * duplicates and label conflicts are handled as import handles them), and pasted images kept as files main owns.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { AddToDatasetResult } from '../../../app/domain/prediction';
import { AppFailure } from '../../../app/ipc/result';
import type { DatasetService } from '../dataset/dataset-service';
import type { ProjectStore } from '../project-store';
import { writeFileAtomic } from './batch-output';

/** Formats a pasted image may have. */
const PASTED_FORMATS: Record<string, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', gif: 'gif' };

export interface FeedbackDeps {
  dataset: Pick<DatasetService, 'importAndWait'>;
  projects: Pick<ProjectStore, 'db'>;
}

/** Adds one image to the dataset with `label`, through the import (duplicates and conflicts as import does). */
export async function addToDataset(
  { dataset, projects }: FeedbackDeps,
  projectId: string,
  file: string,
  label: string,
): Promise<AddToDatasetResult> {
  if (!path.isAbsolute(file))
    throw new AppFailure('invalid-payload', `Not an absolute path: ${file}`, {
      code: 'not-absolute',
      path: file,
    });
  const wanted = label.normalize('NFC').trim();
  const summary = await dataset.importAndWait(projectId, { paths: [file], label: wanted });
  const issue = summary.failed[0] ?? summary.skipped[0];
  if (summary.status === 'failed' || (summary.imported === 0 && issue)) {
    return { outcome: 'failed', label: wanted, imageId: null, reason: issue?.reason ?? summary.error };
  }
  let image: { id: number; label: string | null } | undefined;
  try {
    const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    image = projects
      .db(projectId)
      .prepare(
        'SELECT i.id AS id, l.name AS label FROM images i LEFT JOIN labels l ON l.id = i.label_id WHERE i.sha256 = ?',
      )
      .get(sha) as { id: number; label: string | null } | undefined;
  } catch {
    image = undefined;
  }
  if (summary.imported > 0)
    return { outcome: 'added', label: image?.label ?? wanted, imageId: image?.id ?? null };
  if (summary.conflicts > 0) {
    const existing = summary.conflictList[0]?.labels[0] ?? image?.label ?? wanted;
    return {
      outcome: 'duplicate',
      label: image?.label ?? existing,
      imageId: image?.id ?? null,
      reason: `already in the project labeled "${existing}"; marked as a label conflict`,
    };
  }
  if (summary.duplicates > 0 || summary.alreadyImported > 0)
    return { outcome: 'duplicate', label: image?.label ?? wanted, imageId: image?.id ?? null };
  return {
    outcome: 'failed',
    label: wanted,
    imageId: null,
    reason: summary.error ?? 'nothing was imported',
  };
}

/** Stores a pasted PNG/JPEG/WebP/GIF as `<dataDir>/pasted/<sha256>.<ext>` so that it can be predicted. */
export async function savePasted(
  projects: Pick<ProjectStore, 'get' | 'dataDir'>,
  projectId: string,
  base64: string,
): Promise<{ file: string }> {
  projects.get(projectId); // not-found for an unknown project
  const bytes = Buffer.from(base64, 'base64');
  const notImage = () =>
    new AppFailure('invalid-payload', 'The pasted data is not a PNG, JPEG, WebP or GIF image.', {
      code: 'not-an-image',
    });
  if (bytes.length === 0) throw notImage();
  let format: string | undefined;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    format = meta.format && meta.width && meta.height ? meta.format : undefined;
  } catch {
    throw notImage();
  }
  const ext = format ? PASTED_FORMATS[format] : undefined;
  if (!ext) throw notImage();
  const dir = path.join(projects.dataDir, 'pasted');
  const sha = createHash('sha256').update(bytes).digest('hex');
  const file = path.join(dir, `${sha}.${ext}`);
  const rel = path.relative(dir, file);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel))
    throw new AppFailure('internal', 'pasted file outside its folder', { code: 'path-escape' });
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(file)) writeFileAtomic(file, bytes);
  return { file };
}
