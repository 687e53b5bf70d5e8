import fs from 'node:fs';
import path from 'node:path';
import type { ExportResult, SplitName } from '../../../app/domain/dataset';
import { AppFailure } from '../../../app/ipc/result';
import type { Db } from '../../db/open-database';
import { BlobStore } from './blob-store';

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
  fs.mkdirSync(target, { recursive: true });
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
  const used = new Set<string>();
  const lines = ['path,label,split,sha256,width,height'];
  const perLabel: Record<string, number> = {};
  for (const r of rows) {
    const parts: string[] = [];
    if (options.bySplit) parts.push(r.split ?? 'unassigned');
    if (r.label !== null) parts.push(safeName(r.label));
    const base = safeName(r.fileName.replace(/\.[^.]*$/, '')) || 'image';
    let rel = path.join(...parts, `${base}.${r.ext}`);
    if (used.has(rel.toLowerCase())) rel = path.join(...parts, `${base}-${r.sha256.slice(0, 10)}.${r.ext}`);
    used.add(rel.toLowerCase());
    const out = path.join(target, rel);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await fs.promises.copyFile(blobs.blobPath(r.sha256, r.ext), out);
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

/** A label or file name made safe as one path segment on every OS. */
function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  let s = name.replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_').replace(/[. ]+$/, '');
  if (s === '' || s === '.' || s === '..') s = '_';
  if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(s)) s = `_${s}`;
  return s;
}

function csv(v: unknown): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
