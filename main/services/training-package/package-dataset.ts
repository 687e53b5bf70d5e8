/**
 * The dataset of a training package: the original files as `dataset/<split>/<label>/<file>`, `dataset/manifest.csv`
 * (file,label,split,sha256; snapshot order) and `dataset/tensors.u8` (the app's cached tensors, manifest order).
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../app/ipc/result';
import type { InputSpec } from '../../../app/domain/model-spec';
import type { Db } from '../../db/open-database';
import { copyOriginal, planOriginalCopies, type OriginalToCopy } from '../dataset/copy-originals';
import { csv } from '../dataset/dataset-export';
import type { ResolvedPackageSource } from './package-source';

export const MANIFEST_HEADER = 'file,label,split,sha256';

export interface PackageDatasetResult {
  counts: { train: number; val: number; test: number };
  bytes: number;
}

/** Copies reported at most this often (a progress event per file would flood the page). */
const PROGRESS_EVERY = 200;

/**
 * Writes `<root>/dataset/…`. Every row and tensor is checked before the first file is copied: a crafted row fails
 * with `stored-path-invalid`, a missing or wrongly sized tensor with `tensor-missing`.
 */
export async function writePackageDataset(
  db: Db,
  projectDir: string,
  root: string,
  plan: Pick<ResolvedPackageSource, 'classNames' | 'images'>,
  input: InputSpec,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<PackageDatasetResult> {
  const dir = path.join(root, 'dataset');
  const rowOf = db.prepare('SELECT id, sha256, ext, file_name AS fileName FROM images WHERE id = ?');
  const tensorOf = db.prepare('SELECT pixels FROM image_tensors WHERE image_id = ?').pluck();
  const plane = input.channels * input.height * input.width;
  const rows: (OriginalToCopy & { label: string; split: string })[] = plan.images.map((img) => {
    const row = rowOf.get(img.imageId) as Omit<OriginalToCopy, 'folders'> | undefined;
    if (!row)
      throw new AppFailure('storage', `Image ${img.imageId} of the snapshot is no longer in the project.`, {
        code: 'image-missing',
        imageId: img.imageId,
      });
    const label = plan.classNames[img.classIndex];
    if (label === undefined)
      throw new AppFailure(
        'storage',
        `Image ${img.imageId} has class ${img.classIndex}, which the plan lacks.`,
        {
          code: 'snapshot-invalid',
          imageId: img.imageId,
        },
      );
    return { ...row, label, split: img.split, folders: [img.split, label] };
  });
  const checkTensor = (imageId: number): Buffer => {
    const pixels = tensorOf.get(imageId) as Buffer | undefined;
    if (!pixels || pixels.length !== plane)
      throw new AppFailure(
        'storage',
        `Image ${imageId} has no cached tensor of ${input.channels}×${input.height}×${input.width} bytes` +
          (pixels ? ` (it has ${pixels.length})` : '') +
          '; rebuild the tensor cache.',
        { code: 'tensor-missing', imageId },
      );
    return pixels;
  };
  for (const r of rows) checkTensor(r.id);
  const copies = await planOriginalCopies(projectDir, dir, rows);

  fs.mkdirSync(dir, { recursive: true });
  const counts = { train: 0, val: 0, test: 0 };
  let bytes = 0;
  const lines = [MANIFEST_HEADER];
  onProgress(0, rows.length);
  const tensors = fs.openSync(path.join(dir, 'tensors.u8'), 'wx');
  try {
    for (const [index, r] of rows.entries()) {
      await copyOriginal(copies[index]);
      bytes += fs.statSync(copies[index].out).size;
      const pixels = checkTensor(r.id);
      fs.writeSync(tensors, pixels);
      bytes += pixels.length;
      lines.push([copies[index].rel, r.label, r.split, r.sha256].map(csv).join(','));
      counts[r.split as keyof typeof counts] += 1;
      if ((index + 1) % PROGRESS_EVERY === 0) onProgress(index + 1, rows.length);
    }
  } finally {
    fs.closeSync(tensors);
  }
  const manifest = lines.join('\n') + '\n';
  fs.writeFileSync(path.join(dir, 'manifest.csv'), manifest, { flag: 'wx' });
  bytes += Buffer.byteLength(manifest);
  onProgress(rows.length, rows.length);
  return { counts, bytes };
}
