import fs from 'node:fs';
import path from 'node:path';
import type { Services } from '../services/services';

const PROJECT_ID = /^[a-z0-9-]{1,64}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Maps a media URL path `/<projectId>/thumb/<sha256>` or `/<projectId>/original/<sha256>` to the file to serve.
 * Everything is checked: the id and hash formats, that the image belongs to the project, and that the real path
 * of the file (symlinks resolved) is inside that project's folder. Anything else is null (→ 404).
 * Electron's `app://media` protocol handler and the e2e test server both call this.
 */
export async function resolveMedia(
  services: Services,
  urlPathname: string,
): Promise<{ file: string; mimeType: string } | null> {
  // Not URL-decoded on purpose: valid ids and hashes never contain '%', so an encoded '/' or '..' cannot pass.
  const parts = urlPathname.split('/');
  if (parts.length !== 4 || parts[0] !== '') return null;
  const [, projectId, kind, sha] = parts;
  if (!PROJECT_ID.test(projectId) || !SHA256.test(sha) || (kind !== 'thumb' && kind !== 'original'))
    return null;
  let found: { file: string; mimeType: string } | null;
  try {
    found = services.dataset.mediaFile(projectId, sha, kind);
  } catch {
    return null; // unknown or unreadable project
  }
  if (!found) return null;
  try {
    const projectReal = await fs.promises.realpath(services.projects.projectDir(projectId));
    const fileReal = await fs.promises.realpath(found.file);
    if (!fileReal.startsWith(projectReal + path.sep)) return null;
    const stat = await fs.promises.stat(fileReal);
    if (!stat.isFile()) return null;
    return { file: fileReal, mimeType: found.mimeType };
  } catch {
    return null;
  }
}
