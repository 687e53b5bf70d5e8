/**
 * The static Python files of a training package (train.py, cnnstudio_package.py, requirements.txt), found at run
 * time: next to this module's sources in tests, in the build's copy (scripts/build-node.mjs: out/training-package/
 * python) when bundled.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../app/ipc/result';
import { findAppRoot } from '../../storage/app-paths';

export const PYTHON_FILES = ['train.py', 'cnnstudio_package.py', 'requirements.txt'] as const;

/** Folders that may hold the Python files: the sources' (tests, tsx), then the build's copy (bundles, the app). */
function candidates(): string[] {
  const list = [path.join(__dirname, 'python')];
  try {
    list.push(path.join(findAppRoot(__dirname), 'out', 'training-package', 'python'));
  } catch {
    // outside the app's tree: only the folder next to this module
  }
  return list;
}

/** The folder holding every static Python file; `storage` failure 'package-files-missing' when none does. */
export function pythonFilesDir(): string {
  const tried = candidates();
  const dir = tried.find((d) => PYTHON_FILES.every((f) => fs.existsSync(path.join(d, f))));
  if (!dir)
    throw new AppFailure(
      'storage',
      `The training package's Python files (${PYTHON_FILES.join(', ')}) are missing from this installation ` +
        `(looked in ${tried.join(', ')}).`,
      { code: 'package-files-missing' },
    );
  return dir;
}
