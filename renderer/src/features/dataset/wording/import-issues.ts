import type { ImportIssue, ImportIssueCode } from '../../../../../app/domain/dataset';
import type { Messages } from '../../../i18n/en';

/** Every import issue code the page words (the dictionaries are typed by the same list). */
export const IMPORT_ISSUE_CODES = Object.keys({
  'not-found': 1,
  'permission-denied': 1,
  'symlink-loop': 1,
  'io-error': 1,
  'read-failed': 1,
  'folder-unreadable': 1,
  'not-a-file': 1,
  'not-an-image-file': 1,
  'broken-symlink': 1,
  'symlink-outside': 1,
  'empty-file': 1,
  'file-too-large': 1,
  'too-large': 1,
  'unsupported-format': 1,
  'heic-unsupported': 1,
  'invalid-header': 1,
  'not-an-image': 1,
  truncated: 1,
  corrupt: 1,
  'same-as-failed': 1,
  unknown: 1,
} satisfies Record<ImportIssueCode, 1>) as ImportIssueCode[];

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v) || 0);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/**
 * Why an import could not use a file, in the user's language, from the issue's code and params. An unknown code
 * (an older or newer main) gets the generic reason; the English `reason` is then the detail worth showing.
 */
export function wordImportIssue(t: Messages, issue: Pick<ImportIssue, 'code' | 'params' | 'reason'>): string {
  const w = t.wording.importIssue;
  const p = issue.params ?? {};
  switch (issue.code) {
    case 'not-an-image-file':
      return w['not-an-image-file'](str(p.ext));
    case 'file-too-large':
      return w['file-too-large'](num(p.mebibytes));
    case 'too-large':
      return w['too-large'](num(p.width), num(p.height), num(p.megapixels), num(p.limitMegapixels));
    case 'unsupported-format':
      return w['unsupported-format'](str(p.format));
    default: {
      const text =
        issue.code && Object.prototype.hasOwnProperty.call(w, issue.code) ? w[issue.code] : undefined;
      return typeof text === 'string' ? text : t.wording.importIssueFallback;
    }
  }
}

/** Whether the worded reason says all there is (else the technical `reason` is worth showing as a detail). */
export function isFullyWorded(issue: Pick<ImportIssue, 'code'>): boolean {
  return issue.code !== 'unknown' && IMPORT_ISSUE_CODES.includes(issue.code);
}
