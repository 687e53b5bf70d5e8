import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../app/ipc/result';
import type { Services } from '../services';

/** Largest number of frames one webcam burst may send. */
export const MAX_CAPTURE_FRAMES = 300;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * Imports a burst of webcam frames (base64 PNG or JPEG, optionally as data: URLs) under one label: the frames are
 * written to `<project>/captures/<time>/` (kept there as their source files) and imported like any folder, so
 * progress, the summary and undo work as for other imports. Added by the dataset UI.
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
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(services.projects.projectDir(projectId), 'captures', stamp);
  fs.mkdirSync(dir, { recursive: true });
  frames.forEach((frame, i) => {
    fs.writeFileSync(
      path.join(dir, `capture-${stamp}-${String(i + 1).padStart(3, '0')}.${frame.ext}`),
      frame.bytes,
    );
  });
  return services.dataset.startImport(projectId, { paths: [dir], label });
}
