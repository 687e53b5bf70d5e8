import type { AppError } from '../../../../../app/ipc/result';
import type { Messages } from '../../../i18n/en';
import type { ErrorParams } from './app-errors-en';
import { wordAppError } from './form-errors';

/** Where a worded error's sentence came from (tests and styling read it). */
export type ErrorWordingSource = 'caller' | 'payload' | 'details' | 'generic';

/** The details of an AppError as flat fields, when they are an object (see app/ipc/result.ts). */
export function errorParams(error: Pick<AppError, 'details'>): ErrorParams {
  const d = error.details;
  return d && typeof d === 'object' && !Array.isArray(d) ? (d as ErrorParams) : {};
}

/**
 * What to tell the user about a failed Result, in their language, never main's English: the caller's own wording,
 * else an invalid payload's zod issues, else `t.wording.errors[details.code](details)`, else the worded generic of
 * the top-level code (main's message stays the collapsed technical detail).
 */
export function chooseErrorWording(
  t: Messages,
  error: AppError,
  worded?: string | null,
): { reasons: string[]; source: ErrorWordingSource } {
  if (worded) return { reasons: [worded], source: 'caller' };
  const issues = wordAppError(t, error);
  if (issues.length > 0) return { reasons: issues, source: 'payload' };
  const params = errorParams(error);
  const code = params.code;
  if (typeof code === 'string' && Object.prototype.hasOwnProperty.call(t.wording.errors, code)) {
    const word = t.wording.errors[code as keyof Messages['wording']['errors']];
    return { reasons: [word(params)], source: 'details' };
  }
  const generic = Object.prototype.hasOwnProperty.call(t.wording.errorGeneric, error.code)
    ? t.wording.errorGeneric[error.code]
    : t.wording.errorGeneric.internal;
  return { reasons: [generic], source: 'generic' };
}

/** One sentence for an error from main in the user's language (main's English never becomes the sentence). */
export function wordError(t: Messages, error: AppError): string {
  return chooseErrorWording(t, error).reasons.join(' ');
}
