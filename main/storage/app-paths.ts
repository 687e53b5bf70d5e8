import fs from 'node:fs';
import path from 'node:path';

/**
 * The app's root folder (the one with our package.json), found by walking up from `start`. Works from the TS
 * sources (tests), from the bundles in out/ (CLI, Electron) and from an unpacked asar.
 */
export function findAppRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'cnn-studio') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the cnn-studio package above ${start}`);
    dir = parent;
  }
}

/** Built worker scripts live in out/workers (Node 20 cannot start a worker from a .ts file). */
export function workersDirFor(appRoot: string): string {
  const unpacked = appRoot.replace(/app\.asar$/, 'app.asar.unpacked');
  return path.join(unpacked, 'out', 'workers');
}

/** The version from our package.json. */
export function appVersion(appRoot: string): string {
  return String(JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')).version);
}
