/**
 * What lies around an imported model file: the training package's `training.json` (in the file's folder or its
 * parent, the package root when the file is `output/model.cnnmodel`), a `labels.txt` beside the file (our ONNX
 * and TF.js exports write one), and `metrics.jsonl` beside it (metrics-log.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TrainingPackageFile } from '../../../app/domain/training-package';
import { AppFailure } from '../../../app/ipc/result';

export const TRAINING_JSON = 'training.json';
export const LABELS_TXT = 'labels.txt';

/** A package's training.json near `file`, or null when there is none; a damaged one is an error. */
export function findTrainingJson(file: string): { file: string; contents: TrainingPackageFile } | null {
  const dir = path.dirname(file);
  for (const candidate of [path.join(dir, TRAINING_JSON), path.join(path.dirname(dir), TRAINING_JSON)]) {
    if (!fs.existsSync(candidate)) continue;
    let contents: TrainingPackageFile;
    try {
      contents = JSON.parse(fs.readFileSync(candidate, 'utf8')) as TrainingPackageFile;
    } catch (error) {
      throw badTrainingJson(candidate, (error as Error).message);
    }
    if (contents?.format !== 'cnn-studio-training-package') continue; // another tool's training.json
    if (!contents.settings || typeof contents.settings !== 'object' || !contents.settings.model)
      throw badTrainingJson(candidate, 'it has no settings');
    if (!Array.isArray(contents.classNames)) throw badTrainingJson(candidate, 'it has no classNames');
    return { file: candidate, contents };
  }
  return null;
}

function badTrainingJson(file: string, reason: string): AppFailure {
  return new AppFailure('invalid-payload', `${file} is not a readable training package file: ${reason}.`, {
    code: 'import-model-bad-training-json',
    file,
    reason,
  });
}

/** `labels.txt` beside the file: one class name per line, in output order (blank lines at the end ignored). */
export function readLabelsTxt(file: string): string[] | null {
  const candidate = path.join(path.dirname(file), LABELS_TXT);
  if (!fs.existsSync(candidate)) return null;
  const lines = fs.readFileSync(candidate, 'utf8').replace(/\r\n/g, '\n').split('\n');
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  return lines.map((l) => l.trim());
}
