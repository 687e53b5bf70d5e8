/**
 * Model files the operating system hands the app: on Windows and Linux as command-line arguments (first start and
 * a second instance), on macOS through the `open-file` event. Only existing `.cnnmodel` files are kept.
 */
import fs from 'node:fs';
import path from 'node:path';

export const MODEL_FILE_EXTENSION = '.cnnmodel';

/** The model files among `args` (absolute, existing files ending in .cnnmodel), resolved against `cwd`. */
export function modelFilesIn(args: readonly string[], cwd = process.cwd()): string[] {
  return args
    .filter((a) => !a.startsWith('-') && a.toLowerCase().endsWith(MODEL_FILE_EXTENSION))
    .map((a) => path.resolve(cwd, a))
    .filter((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false);
}
