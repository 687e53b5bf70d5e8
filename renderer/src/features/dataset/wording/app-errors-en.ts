import type { ErrorCode } from '../../../../../app/ipc/result';

/** The flat fields of an AppError's `details` (see app/ipc/result.ts): whatever main's message interpolates. */
export type ErrorParams = Readonly<Record<string, unknown>>;

const n = (x: unknown) => Number(x).toLocaleString('en');
const s = (x: unknown) => (x === undefined || x === null ? '' : String(x));
const q = (x: unknown) => `“${s(x)}”`;
/** “a”, “b” for a list main sent. */
const list = (x: unknown) => (Array.isArray(x) ? x.map(q).join(', ') : q(x));
/** 32×32 RGB, from {width, height, color}. */
const size = (x: unknown) => {
  const i = (x ?? {}) as { width?: unknown; height?: unknown; color?: unknown };
  return `${s(i.width)}×${s(i.height)} ${i.color === 'rgb' ? 'colour' : 'grayscale'}`;
};
/** “name” when main sent one, else a neutral noun. */
const runName = (p: ErrorParams) => (p.run === undefined ? 'The run' : `The run ${q(p.run)}`);

/**
 * English wording of every `details.code` main puts on an AppFailure, keyed by that code. Each takes the
 * details' flat fields; a field may be missing (older main, other call site), so the sentence must still read.
 */
const errorsEn = {
  // projects
  'project-missing': () => 'This project no longer exists.',
  'project-not-in-trash': () => 'This project is not in the trash.',
  'project-exists': (p: ErrorParams) => `A project named ${q(p.name)} already exists.`,
  'project-unreadable': () => 'This project cannot be read; its files may be damaged.',
  'project-name-empty': () => 'Enter a project name.',
  'project-name-too-long': (p: ErrorParams) => `A project name has at most ${n(p.max)} characters.`,
  'project-name-path': () => 'A project name cannot contain “..”.',
  'project-name-chars': () =>
    'These characters are not allowed in a project name: / \\ : * ? " < > | and control characters.',
  'project-name-hidden-char': (p: ErrorParams) =>
    `A project name cannot contain invisible or text-direction characters (${s(p.char)}): they make it look like another name.`,
  'project-name-reserved': () => 'Windows reserves this name; choose another.',
  'project-name-trailing': () => 'A project name cannot end with a dot or a space.',
  'settings-missing': () => 'The project’s database is incomplete (no settings).',
  'data-folder-not-writable': () => 'The data folder cannot be written to.',
  'database-unopenable': () => 'The project’s database cannot be opened.',
  'database-damaged': () => 'The project’s database is damaged or unreadable.',
  'database-too-new': () => 'This project was saved by a newer version of CNN Studio; update the app.',
  'database-missing': () => 'The project’s database file is missing.',
  'database-empty': () => 'The project’s database file is empty (0 bytes): its content was lost.',
  'catalog-busy': () => 'Another CNN Studio window or command kept the project list busy; try again.',
  'backup-missing': () => 'That backup is not among this project’s backups.',
  'disk-full': () => 'The disk is full: free some space and try again. Nothing saved before was lost.',
  'storage-read-only': () => 'The data folder is read-only: you can look at projects but not change them.',
  'storage-permission': () => 'CNN Studio is not allowed to write to the data folder.',
  'backup-none': () => 'This project has no backups.',
  'backup-unsound': () => 'The backup is damaged too and cannot be restored.',
  'project-not-damaged': () => 'This project opens fine; its backup was not restored over it.',
  // dataset and labels
  'label-missing': () => 'This label no longer exists.',
  'label-exists': (p: ErrorParams) => `A label named ${q(p.name)} already exists.`,
  'label-name-empty': () => 'A label name cannot be empty.',
  'label-name-too-long': (p: ErrorParams) => `A label name has at most ${n(p.max)} characters.`,
  'label-name-chars': () => 'A label cannot contain slashes or control characters.',
  'label-name-hidden-char': (p: ErrorParams) =>
    `A label name cannot contain invisible or text-direction characters (${s(p.char)}): they make it look like another name.`,
  'merge-needs-source': () => 'Choose at least one label other than the target to merge.',
  'image-missing': () => 'This image is no longer in the project.',
  'import-missing': () => 'This import is not in the project’s log.',
  'import-running': () => 'An import is already running in this project; wait for it or cancel it.',
  'frame-not-image': (p: ErrorParams) => `Frame ${n(p.frame)} is not a PNG or JPEG image.`,
  'dir-not-empty': () => 'The folder is not empty; choose a new or empty folder.',
  'spec-mismatch': () =>
    'The model spec’s input or class count is not this project’s; give custom layers ({ "layers": [...] }) or a spec for this project.',
  'invalid-model': () => 'The network does not fit this project’s images.',
  'snapshot-invalid': () =>
    'The run’s saved list of images names a class it does not have; the project may be damaged.',
  'package-files-missing': () =>
    'This installation of CNN Studio lacks the training package’s Python files; reinstall the app.',
  'not-a-folder': () => 'That path is not a folder.',
  'folder-missing': () => 'That folder does not exist.',
  'tensor-missing': () => 'Some images have no prepared data; rebuild the tensor cache.',
  'tensors-missing': () => 'Some images have no prepared data; rebuild the tensor cache.',
  'tensor-mismatch': () => 'The prepared image data does not match the model; rebuild the tensor cache.',
  'stored-path-invalid': () =>
    'This project’s database holds an invalid file reference (the project may be damaged or crafted); nothing outside the project was read or written.',
  // files and paths
  'not-absolute': () => 'The path must be a full (absolute) path.',
  'folder-not-absolute': () => 'The folder must be a full (absolute) path.',
  'csv-not-absolute': () => 'The CSV file must be a full (absolute) path.',
  'csv-extension': () => 'The CSV file name must end in .csv.',
  'image-file-missing': () => 'That image file does not exist.',
  'not-a-file': () => 'That path is not a regular file.',
  'file-too-large': (p: ErrorParams) =>
    p.limit === undefined
      ? 'The file is too large.'
      : `The file is too large (at most ${n(Math.round(Number(p.limit) / 1048576))} MB).`,
  'unreadable-image': () => 'The image cannot be read.',
  'not-an-image': () => 'The pasted data is not a PNG, JPEG, WebP or GIF image.',
  'path-escape': () => 'A file path points outside its folder; it was refused.',
  'no-dialogs': () => 'File dialogs need the desktop app.',
  'bad-spec-file': () => 'The architecture file cannot be used.',
  // models, runs, training
  'no-model': () => 'This project has no trained model yet; train one first.',
  'no-live-run': () => 'No run of this project is training.',
  'no-weights': (p: ErrorParams) => `${runName(p)} has no trained weights.`,
  'model-file-missing': () => 'The model file does not exist.',
  'bad-model-file': () => 'The model file cannot be read as a CNN Studio model.',
  'input-mismatch': () => 'The model’s input does not match the project’s image size.',
  'unknown-class': (p: ErrorParams) => `The model has no class ${q(p.label)}.`,
  'unknown-class-folders': (p: ErrorParams) =>
    Array.isArray(p.unknownFolders)
      ? `These folders are not classes of the model: ${p.unknownFolders.map(q).join(', ')}.`
      : 'Some folders are not classes of the model.',
  'no-labeled-images': () => 'No labeled images in that folder (one subfolder per class).',
  'unknown-preset': (p: ErrorParams) => `There is no architecture preset ${q(p.preset)}.`,
  'preset-does-not-fit': (p: ErrorParams) =>
    `The ${s(p.preset)} architecture does not fit ${n(p.height)} × ${n(p.width)} images.`,
  'bad-architecture': (p: ErrorParams) =>
    p.layerIndex === undefined || p.layerIndex === null
      ? 'The architecture is not valid.'
      : `The architecture is not valid (layer ${n(Number(p.layerIndex) + 1)}).`,
  'invalid-training-settings': () => 'The training settings are not valid.',
  'run-missing': () => 'This run no longer exists.',
  'run-exists': (p: ErrorParams) => `A run named ${q(p.name)} already exists.`,
  'run-name-length': (p: ErrorParams) => `A run name has ${n(p.min ?? 1)} to ${n(p.max ?? 100)} characters.`,
  'run-active': (p: ErrorParams) => `${runName(p)} is still active; stop it first.`,
  'run-not-paused': () => 'The run is not paused.',
  'run-not-resumable': (p: ErrorParams) => `${runName(p)} cannot be resumed; only interrupted runs can.`,
  'run-not-in-process': () => 'The run is not running in this window’s process.',
  'no-checkpoint': (p: ErrorParams) =>
    `${runName(p)} stopped before its first checkpoint; there is nothing to resume. Start a new run.`,
  'nothing-to-resume': () => 'No paused or interrupted run to resume.',
  'bad-run-id': () => 'The run’s id is not valid.',
  'stopped-before-start': (p: ErrorParams) => `${runName(p)} was stopped before it started.`,
  paused: (p: ErrorParams) => `${runName(p)} is paused.`,
  'shutting-down': () => 'The app is shutting down.',
  // prediction, workers, maps, suggestions
  'no-batch': () => 'This prediction batch is no longer available; predict again.',
  'batch-running': () => 'The prediction batch is still running.',
  'prediction-failed': () => 'The prediction failed.',
  'inference-failed': () => 'The network could not run on this image.',
  'worker-error': () => 'A background worker failed.',
  'worker-exit': () => 'A background worker stopped unexpectedly.',
  'worker-refused': () => 'The background worker could not load the model.',
  'check-failed': () => 'The exported model could not be checked.',
  'no-project-services': () => 'This action needs the project services.',
  'no-dataset-service': () => 'This action needs the dataset service.',
  'map-failed': () => 'The dataset map could not be computed.',
  'map-unreadable': () => 'The dataset map was computed but cannot be read.',
  'map-worker-failed': () => 'The dataset map’s worker failed.',
  'map-worker-exited': () => 'The dataset map’s worker stopped unexpectedly.',
  'suggest-needs-target': () => 'Choose images or a minimum confidence (one of them).',
  'confidence-range': () => 'The minimum confidence is between 0 and 100%.',
  'bad-kernel': () => 'The kernel needs 9 values (3 × 3).',
  cancelled: () => 'Cancelled.',
  'confirmation-needed': () => 'Deleting needs confirmation.',
  'not-deleted': () => 'Nothing was deleted.',
  // import-model (a model trained elsewhere brought back as a run)
  'import-model-unreadable': (p: ErrorParams) =>
    p.reason === 'no such file'
      ? `The model file ${q(p.file)} does not exist.`
      : `The model file ${q(p.file)} cannot be read: it is damaged or not a model file.`,
  'import-model-unknown-format': (p: ErrorParams) =>
    `${q(p.file)} is neither a CNN Studio model (.cnnmodel) nor an ONNX file (.onnx).`,
  'import-model-unknown-labels': (p: ErrorParams) =>
    `The model’s classes ${list(p.labels)} are not labels of this project (names must match exactly, including case). Add or rename labels first.`,
  'import-model-duplicate-labels': (p: ErrorParams) => `The model names a class twice: ${list(p.labels)}.`,
  'import-model-no-labels': (p: ErrorParams) =>
    p.outputs === undefined
      ? 'The model does not name its classes: put a labels.txt (one class per line, in output order) beside the file.'
      : `The model has ${n(p.outputs)} outputs but does not name its classes, and this project has ${n(p.projectClasses ?? 0)}: put a labels.txt (one class per line, in output order) beside the file.`,
  'import-model-input-mismatch': (p: ErrorParams) =>
    `The model takes ${size(p.model)} images; this project’s are ${size(p.project)}.`,
  'import-model-bad-metrics': (p: ErrorParams) =>
    p.line === null || p.line === undefined
      ? `The training log metrics.jsonl beside the model is incomplete (${s(p.reason)}).`
      : `The training log metrics.jsonl beside the model has a bad line ${n(p.line)} (${s(p.reason)}).`,
  'import-model-bad-training-json': () => 'The training package’s training.json cannot be read.',
  'onnx-unreadable': () => 'The file is not a readable ONNX model.',
  'onnx-unsupported-node': (p: ErrorParams) => {
    const node =
      p.index === undefined ? `${s(p.op)} ${q(p.name)}` : `${n(p.index)} (${s(p.op)} ${q(p.name)})`;
    return p.attribute
      ? `The ONNX model’s node ${node} has ${s(p.attribute)} = ${s(p.value)}, which CNN Studio’s layers cannot run.`
      : `The ONNX model’s node ${node} is an operation CNN Studio’s networks do not have (they use convolutions, ReLU, pooling, batch norm, dropout and dense layers).`;
  },
  'onnx-unsupported-graph': () =>
    'The ONNX model is not a network CNN Studio can run: it must be one chain of layers ending in a dense layer.',
} satisfies Record<string, (p: ErrorParams) => string>;

/** A worded reason for each top-level code, when the details code is missing or unknown to this page. */
export const appErrorGenericEn = {
  'invalid-payload': 'The request was not valid.',
  'unknown-channel': 'This version of the app does not know that request.',
  'forbidden-sender': 'The request was refused.',
  'not-found': 'It no longer exists or could not be found.',
  conflict: 'This conflicts with the current state; refresh and try again.',
  'invalid-name': 'The name is not valid.',
  storage: 'The project’s files could not be read or written.',
  cancelled: 'Cancelled.',
  busy: 'Something else is running; try again when it finishes.',
  internal: 'Something went wrong inside the app.',
} satisfies Record<ErrorCode, string>;

/** A details code the page can word. */
export type AppErrorDetailsCode = keyof typeof errorsEn;

/** The dictionary, each entry taking the details' flat fields (zh-CN has the same keys, checked by type). */
export const appErrorsEn: Record<AppErrorDetailsCode, (p: ErrorParams) => string> = errorsEn;
