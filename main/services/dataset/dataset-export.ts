import fs from 'node:fs';
import path from 'node:path';
import type { ExportResult, SplitName } from '../../../app/domain/dataset';
import { AppFailure } from '../../../app/ipc/result';
import type { Db } from '../../db/open-database';
import { BlobStore } from './blob-store';
import { pathInside, safeSegment } from './stored-paths';

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
  const blobs = new BlobStore(projectDir);
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
  // Every source is checked before anything is written: a crafted row (bad hash or extension, a blob that links
  // out of the project) fails the whole export with `stored-path-invalid` and leaves no half-written folder.
  const sources = await Promise.all(rows.map((r) => blobs.readableBlob(r.sha256, r.ext, r.id)));
  fs.mkdirSync(target, { recursive: true });
  const used = new Set<string>();
  const lines = ['path,label,split,sha256,width,height'];
  const perLabel: Record<string, number> = {};
  for (const [index, r] of rows.entries()) {
    // Split, label and file name are database text too: each becomes one safe path segment under the target.
    const parts: string[] = [];
    if (options.bySplit) parts.push(safeSegment(String(r.split ?? 'unassigned')));
    if (r.label !== null) parts.push(safeSegment(String(r.label)));
    const base = safeSegment(String(r.fileName).replace(/\.[^.]*$/, '')) || 'image';
    let name = `${base}.${r.ext}`;
    if (used.has(path.join(...parts, name).toLowerCase())) name = `${base}-${r.sha256.slice(0, 10)}.${r.ext}`;
    const rel = path.join(...parts, name);
    used.add(rel.toLowerCase());
    const out = pathInside(target, [...parts, name]);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // EXCL: never overwrite, never follow a link someone placed at the destination.
    await fs.promises.copyFile(sources[index], out, fs.constants.COPYFILE_EXCL);
    lines.push(
      [rel.split(path.sep).join('/'), r.label ?? '', r.split ?? '', r.sha256, r.width, r.height]
        .map(csv)
        .join(','),
    );
    const key = r.label ?? '';
    perLabel[key] = (perLabel[key] ?? 0) + 1;
  }
  const manifest = path.join(target, 'manifest.csv');
  fs.writeFileSync(manifest, lines.join('\n') + '\n');
  return { dir: target, exported: rows.length, manifest, perLabel };
}

function csv(v: unknown): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
