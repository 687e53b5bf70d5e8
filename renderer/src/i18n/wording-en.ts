import { appErrorGenericEn, appErrorsEn } from '../features/dataset/wording/app-errors-en';
import type { ActionDescription, ImportIssueCode, LabelChangeCause } from '../../../app/domain/dataset';

/** Formats a count in English (1,234); robust to a Number object. */
const n = (x: number) => Number(x).toLocaleString('en');
const q = (s: string) => `“${s}”`;
const images = (x: number) => (Number(x) === 1 ? '1 image' : `${n(x)} images`);
const files = (x: number) => (Number(x) === 1 ? '1 file' : `${n(x)} files`);

/**
 * English wording of the data main sends instead of sentences: import issue codes, health issues, label-history
 * causes, undo/redo actions, invalid form fields. Every function takes plain values (the i18n completeness test
 * calls each one with numbers).
 */
export const wordingEn = {
  listSeparator: ', ',
  quote: q,
  number: n,
  importIssue: {
    'not-found': 'The file or folder does not exist.',
    'permission-denied': 'Permission denied: the file cannot be read.',
    'symlink-loop': 'A link points back to itself.',
    'io-error': 'The disk reported an error while reading.',
    'read-failed': 'The file could not be read.',
    'folder-unreadable': 'The folder cannot be opened or listed.',
    'not-a-file': 'Not a regular file or folder.',
    'not-an-image-file': (ext: string) =>
      String(ext) ? `Not an image file (${String(ext)}).` : 'Not an image file (no extension).',
    'broken-symlink': 'The link points to nothing.',
    'symlink-outside': 'The link points outside the chosen folder; it was not followed.',
    'empty-file': 'The file is empty.',
    'file-too-large': (mebibytes: number) => `The file is too large (${n(mebibytes)} MB).`,
    'too-large': (width: number, height: number, megapixels: number, limit: number) =>
      `The image is too large: ${n(width)} × ${n(height)} px (${n(megapixels)} megapixels; at most ${n(limit)}).`,
    'unsupported-format': (format: string) => `This image format is not supported (${String(format)}).`,
    'heic-unsupported': 'HEIC images cannot be read yet; convert them to JPEG or PNG.',
    'invalid-header': 'The image header is invalid.',
    'not-an-image': 'The content is not an image the app can read.',
    truncated: 'The image is cut off (the file is incomplete).',
    corrupt: 'The image data is damaged.',
    'same-as-failed': 'Same content as another file that failed.',
    unknown: 'The file could not be imported.',
  } satisfies Record<ImportIssueCode, string | ((...args: never[]) => string)>,
  /** Shown when a code is not known to this version of the page. */
  importIssueFallback: 'The file could not be imported.',
  /** The technical detail beside a worded reason. */
  technicalDetail: 'Details',
  /** Errors from main, keyed by their `details.code` (flat fields as parameters). */
  errors: appErrorsEn,
  /** An error without a known details code, by its top-level code. */
  errorGeneric: appErrorGenericEn,
  health: {
    empty: 'The dataset has no images yet.',
    imbalance: (
      largest: string,
      largestCount: number,
      smallest: string,
      smallestCount: number,
      ratio: number,
    ) =>
      `${q(largest)} has ${images(largestCount)}, ${q(smallest)} ${images(smallestCount)}: ${Number(ratio).toLocaleString('en', { maximumFractionDigits: 1 })}× as many.`,
    imbalanceGeneric: (ratio: number) =>
      `The largest label has ${Number(ratio).toLocaleString('en', { maximumFractionDigits: 1 })}× the images of the smallest.`,
    'too-few': (labels: string, count: number, limit: number) =>
      Number(count) === 1
        ? `1 label has fewer than ${n(limit)} images: ${labels}.`
        : `${n(count)} labels have fewer than ${n(limit)} images: ${labels}.`,
    labelCount: (name: string, count: number) => `${q(name)} (${n(count)})`,
    unlabeled: (count: number) =>
      Number(count) === 1 ? '1 image has no label.' : `${n(count)} images have no label.`,
    duplicates: (count: number) =>
      Number(count) === 1
        ? '1 image was imported more than once (same content).'
        : `${n(count)} images were imported more than once (same content).`,
    conflicts: (count: number) =>
      Number(count) === 1
        ? '1 image was imported under different labels.'
        : `${n(count)} images were imported under different labels.`,
    leakage: (count: number, groups: number) =>
      `${images(count)} in ${Number(groups) === 1 ? '1 group' : `${n(groups)} groups`} appear in more than one split.`,
    'tiny-images': (count: number, side: number) =>
      `${images(count)} ${Number(count) === 1 ? 'is' : 'are'} smaller than ${n(side)} px on the shorter side.`,
    unreadable: (count: number) => `${files(count)} could not be imported.`,
    'empty-split': (labels: string, count: number, split: string) =>
      `${labels} ${Number(count) === 1 ? 'has' : 'have'} no images in the ${String(split)} split.`,
    tooFewLabels: (limit: number) =>
      `Training needs at least ${Number(limit) === 2 ? 'two' : n(limit)} labels with images.`,
    /** The button under an issue; the count is the images it selects. */
    selectImages: (count: number) =>
      Number(count) === 1 ? 'Select this image' : `Select these ${n(count)} images`,
  },
  cause: {
    import: 'import',
    label: 'labeled',
    suggestion: 'suggestion accepted',
    'merge-labels': 'labels merged',
    'delete-label': 'label deleted',
    undo: 'undo',
    redo: 'redo',
    other: 'changed',
  } satisfies Record<LabelChangeCause, string>,
  action: {
    label: (count: number, label: string) => `Labeled ${images(count)} ${q(label)}`,
    unlabel: (count: number) => `Unlabeled ${images(count)}`,
    'accept-suggestions': (count: number) =>
      Number(count) === 1 ? 'Accepted 1 suggestion' : `Accepted ${n(count)} suggestions`,
    remove: (count: number) => `Removed ${images(count)}`,
    restore: (count: number) => `Restored ${images(count)}`,
    split: (count: number, split: string) => `Moved ${images(count)} to ${String(split)}`,
    autoSplit: (count: number) => `Gave ${images(count)} an automatic split`,
    'create-label': (label: string) => `Created the label ${q(label)}`,
    'rename-label': (from: string, to: string) => `Renamed ${q(from)} to ${q(to)}`,
    'recolor-label': (label: string) => `Changed the color of ${q(label)}`,
    'merge-labels': (sources: string, target: string, count: number) =>
      `Merged ${sources} into ${q(target)} (${images(count)})`,
    'delete-label': (label: string, count: number) => `Deleted the label ${q(label)} (${images(count)})`,
  } satisfies Record<Exclude<ActionDescription['kind'], 'other'> | 'unlabel' | 'autoSplit', unknown>,
  /** Form fields as the user knows them (keys: the payload's field names). */
  fields: {
    name: 'Name',
    inputSize: 'Input size',
    color: 'Color',
    label: 'Label',
    paths: 'Path',
    dir: 'Folder',
    ratios: 'Split ratios',
    seed: 'Seed',
  } as Record<string, string>,
  fieldFallback: 'A value',
  rule: {
    tooBigNumber: (field: string, max: number) => `${field} must be at most ${n(max)}.`,
    tooSmallNumber: (field: string, min: number) => `${field} must be at least ${n(min)}.`,
    tooLong: (field: string, max: number) => `${field} can have at most ${n(max)} characters.`,
    empty: (field: string) => `${field} cannot be empty.`,
    tooShort: (field: string, min: number) => `${field} needs at least ${n(min)} characters.`,
    tooMany: (field: string, max: number) => `${field}: at most ${n(max)} entries.`,
    tooFew: (field: string, min: number) => `${field}: at least ${n(min)} entries.`,
    notInteger: (field: string) => `${field} must be a whole number.`,
    notNumber: (field: string) => `${field} must be a number.`,
    missing: (field: string) => `${field} is missing or has the wrong type.`,
    oneOf: (field: string, values: string) => `${field} must be one of ${values}.`,
    format: (field: string) => `${field} is not in the expected format.`,
    unknownField: (field: string) => `Unexpected field: ${field}.`,
    invalid: (field: string) => `${field} is not valid.`,
  },
  /** Names checked as the user types (the same rules main applies). */
  name: {
    empty: 'Enter a name.',
    tooLong: (max: number) => `At most ${n(max)} characters.`,
    forbiddenChar: 'These characters are not allowed: / \\ : * ? " < > | and control characters.',
    path: 'A name cannot contain “..”.',
    reserved: 'Windows reserves this name.',
    trailing: 'A name cannot end with a dot or a space.',
    labelChars: 'A label cannot contain slashes or control characters.',
    hiddenChar: (char: string) =>
      `A name cannot contain invisible or text-direction characters (${char}): they make it look like another name.`,
    duplicate: 'A label with this name already exists.',
    projectExists: 'A project with this name already exists.',
  },
  /** Import summaries: counts of one import. */
  importCounts: (imported: number, failed: number) => `${n(imported)} imported · ${n(failed)} failed`,
  importLog: {
    open: 'Import log',
    title: 'Past imports',
    empty: 'No imports yet.',
    when: 'Started',
    status: 'Result',
    imported: 'Imported',
    failed: 'Failed',
    statuses: {
      running: 'running',
      completed: 'finished',
      cancelled: 'cancelled',
      failed: 'failed',
      interrupted: 'interrupted',
    } as Record<string, string>,
    dismissAll: 'Dismiss these failures',
    dismissHint: 'They stay in the import log.',
    dismissed: (count: number) =>
      Number(count) === 1
        ? '1 dismissed failure in the import log'
        : `${n(count)} dismissed failures in the import log`,
    loadFailed: 'Could not load the import log.',
    close: 'Close',
  },
  importWarning: 'Import finished with failures',
  importNothing: 'Nothing was imported',
};
