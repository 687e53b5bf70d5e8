import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../app/ipc/result';
import type { Services } from '../services';
import { validateLabelName } from './label-ops';

/** Largest number of frames one webcam burst may send. */
export const MAX_CAPTURE_FRAMES = 300;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * Imports a burst of webcam frames (base64 PNG or JPEG, optionally as data: URLs) under one label: the frames are
 * written to `<project>/captures/<time>/` (kept there as their source files) and imported like any folder, so
 * progress, the summary and undo work as for other imports. Added by the dataset UI.
 *
 * Everything that can refuse the capture is checked before a byte is written (the frames, the label, that the
 * project exists and opens, that no import runs in it), and the capture folder is removed when anything after
 * that fails: an unknown project id must not leave a folder under projects/ (it would list as a damaged project).
 */
export function importCaptured(
  services: Services,
  projectId: string,
  label: string,
  images: string[],
): { importId: string } {
  const frames = images.map((data, i) => {
    const bytes = Buffer.from(data.replace(/^data:image\/(png|jpeg);base64,/, ''), 'base64');
    const ext = bytes.subarray(0, 8).equals(PNG) ? 'png' : bytes.subarray(0, 3).equals(JPEG) ? 'jpg' : null;
    if (!ext)
      throw new AppFailure('invalid-payload', `Frame ${i + 1} is not a PNG or JPEG image.`, {
        code: 'frame-not-image',
        frame: i + 1,
      });
    return { bytes, ext };
  });
  const name = validateLabelName(label);
  services.projects.get(projectId); // project-missing or damaged: refused before anything is created
  if (services.dataset.isImporting(projectId))
    throw new AppFailure('busy', 'An import is already running in this project.', { code: 'import-running' });

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const captures = path.join(services.projects.projectDir(projectId), 'captures');
  const hadCaptures = fs.existsSync(captures);
  const dir = newFolder(captures, stamp);
  try {
    frames.forEach((frame, i) => {
      fs.writeFileSync(
        path.join(dir, `capture-${stamp}-${String(i + 1).padStart(3, '0')}.${frame.ext}`),
        frame.bytes,
      );
    });
    return services.dataset.startImport(projectId, { paths: [dir], label: name });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (!hadCaptures) removeIfEmpty(captures);
    throw error;
  }
}

/** Creates `<parent>/<name>` (or `<name>-2`, `-3`, … when two bursts share a millisecond) and answers it. */
function newFolder(parent: string, name: string): string {
  fs.mkdirSync(parent, { recursive: true });
  for (let n = 1; ; n++) {
    const dir = path.join(parent, n === 1 ? name : `${name}-${n}`);
    try {
      fs.mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty (another capture's folder) or already gone: leave it
  }
}
