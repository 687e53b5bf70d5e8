import fs from 'node:fs';
import type { ColorMode } from '../../../app/domain/project';
import { type Db, writeTransaction } from '../../db/open-database';
import { BlobStore } from './blob-store';
import { MIME_BY_EXT, differenceHash, preprocessImage } from './decode';

/** A project's stored files: originals, thumbnails and the tensor cache derived from them. */
export interface MediaProject {
  db: Db;
  projectDir: string;
  inputSize: number;
  color: ColorMode;
}

/**
 * Re-decodes every image from its stored original into the tensor cache (to repair it, or after a change of
 * the preprocessing). Four decodes at a time, 256 images per transaction.
 */
export async function rebuildTensors(
  project: MediaProject,
): Promise<{ rebuilt: number; failed: { imageId: number; reason: string }[] }> {
  const { db, inputSize, color } = project;
  const blobs = new BlobStore(project.projectDir);
  const channels = color === 'gray' ? 1 : 3;
  const rows = db.prepare('SELECT id, sha256, ext FROM images ORDER BY id').all() as {
    id: number;
    sha256: string;
    ext: string;
  }[];
  const upsert = db.prepare(
    `INSERT INTO image_tensors (image_id, size, channels, pixels) VALUES (?, ?, ?, ?)
     ON CONFLICT(image_id) DO UPDATE SET size = excluded.size, channels = excluded.channels, pixels = excluded.pixels`,
  );
  const setHash = db.prepare('UPDATE images SET dhash = ? WHERE id = ?');
  const failed: { imageId: number; reason: string }[] = [];
  let rebuilt = 0;
  for (let start = 0; start < rows.length; start += 256) {
    const chunk = rows.slice(start, start + 256);
    const done: { id: number; tensor: Uint8Array }[] = [];
    let next = 0;
    const lane = async () => {
      while (next < chunk.length) {
        const r = chunk[next++];
        try {
          // A crafted row (bad hash or extension, a link leading out of the project) fails this image only.
          const bytes = await fs.promises.readFile(await blobs.readableBlob(r.sha256, r.ext, r.id));
          done.push({ id: r.id, tensor: await preprocessImage(bytes, inputSize, color) });
        } catch (error) {
          failed.push({ imageId: r.id, reason: error instanceof Error ? error.message : String(error) });
        }
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    writeTransaction(db, () => {
      for (const d of done) {
        upsert.run(d.id, inputSize, channels, d.tensor);
        setHash.run(differenceHash(d.tensor, inputSize, channels), d.id);
      }
    })();
    rebuilt += done.length;
  }
  return { rebuilt, failed };
}

/** File and MIME type of an image's original or thumbnail, by sha256; null when unknown. */
export function mediaFile(
  db: Db,
  projectDir: string,
  sha256: string,
  kind: 'thumb' | 'original',
): { file: string; mimeType: string } | null {
  const row = db.prepare('SELECT ext FROM images WHERE sha256 = ?').get(sha256) as
    { ext: string } | undefined;
  if (!row) return null;
  const blobs = new BlobStore(projectDir);
  if (kind === 'thumb') {
    const thumb = blobs.thumbPath(sha256);
    if (fs.existsSync(thumb)) return { file: thumb, mimeType: 'image/webp' };
    // Small originals in a browser format are their own thumbnail.
    if (!['jpg', 'png', 'webp', 'gif'].includes(row.ext)) return null;
  }
  return {
    file: blobs.blobPath(sha256, row.ext),
    mimeType: MIME_BY_EXT[row.ext] ?? 'application/octet-stream',
  };
}
