import fs from 'node:fs';
import path from 'node:path';
import type { ExportResult, SplitName } from '../../../app/domain/dataset';
import { AppFailure } from '../../../app/ipc/result';
import type { Db } from '../../db/open-database';
import { copyOriginal, planOriginalCopies } from './copy-originals';

/**
 * Writes the images back out as class folders (`<dir>/<label>/<file>`, or `<dir>/<split>/<label>/<file>` with
 * bySplit; unlabeled images loose at the top when included) plus `manifest.csv`. Importing the folder again
 * recreates the dataset. The folder must be new or empty.
 */
export async function exportDatasetFolders(
  db: Db,
  projectDir: string,
  dir: string,
  options: { bySplit: boolean; includeUnlabeled: boolean; split?: SplitName },
): Promise<ExportResult> {
  const target = path.resolve(dir);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    throw new AppFailure('conflict', `Export folder ${target} is not empty.`, {
      code: 'dir-not-empty',
      dir: target,
    });
  }
  const where = ['i.removed_at IS NULL'];
  const params: unknown[] = [];
  if (!options.includeUnlabeled) where.push('i.label_id IS NOT NULL');
  if (options.split) {
    where.push('i.split = ?');
    params.push(options.split);
  }
  const rows = db
    .prepare(
      `SELECT i.id, i.sha256, i.ext, i.file_name AS fileName, i.split, i.width, i.height, l.name AS label
       FROM images i LEFT JOIN labels l ON l.id = i.label_id WHERE ${where.join(' AND ')} ORDER BY l.name, i.file_name, i.id`,
    )
    .all(...params) as {
    id: number;
    sha256: string;
    ext: string;
    fileName: string;
    split: SplitName | null;
    width: number;
    height: number;
    label: string | null;
  }[];
  const copies = await planOriginalCopies(
    projectDir,
    target,
    rows.map((r) => ({
      ...r,
      // split, label and file name are database text too: each becomes one safe path segment under the target
      folders: [
        ...(options.bySplit ? [String(r.split ?? 'unassigned')] : []),
        ...(r.label !== null ? [String(r.label)] : []),
      ],
    })),
  );
  fs.mkdirSync(target, { recursive: true });
  const lines = ['path,label,split,sha256,width,height'];
  const perLabel: Record<string, number> = {};
  for (const [index, r] of rows.entries()) {
    await copyOriginal(copies[index]);
    lines.push(
      [copies[index].rel, r.label ?? '', r.split ?? '', r.sha256, r.width, r.height].map(csv).join(','),
    );
    const key = r.label ?? '';
    perLabel[key] = (perLabel[key] ?? 0) + 1;
  }
  const manifest = path.join(target, 'manifest.csv');
  fs.writeFileSync(manifest, lines.join('\n') + '\n');
  return { dir: target, exported: rows.length, manifest, perLabel };
}

/** One CSV field, quoted when it holds a comma, quote or line break. */
export function csv(v: unknown): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
