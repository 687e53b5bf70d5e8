import { PROJECT_LIMITS } from '../../../../../app/domain/project';
import {
  PROJECT_NAME_FORBIDDEN_CHARS as FORBIDDEN_CHARS,
  PROJECT_NAME_RESERVED as WINDOWS_RESERVED,
} from '../../../../../app/domain/project-name-rules';
import { hiddenCharacter } from '../../../../../app/domain/name-characters';
import type { AppError } from '../../../../../app/ipc/result';
import type { Messages } from '../../../i18n/en';

/** A zod issue as main sends it in an `invalid-payload` error's details (only the fields we word). */
export interface PayloadIssue {
  code?: string;
  path?: (string | number)[];
  message?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  expected?: string;
  values?: unknown[];
  keys?: string[];
  format?: string;
}

const toNumber = (v: unknown): number => Number(v);

/** The issues of an invalid-payload error: zod issue objects, or the older "field: message" strings parsed. */
export function payloadIssues(error: Pick<AppError, 'details'>): PayloadIssue[] {
  const raw = error.details;
  const list: unknown[] = Array.isArray(raw)
    ? raw
    : raw && typeof raw === 'object' && Array.isArray((raw as { issues?: unknown }).issues)
      ? (raw as { issues: unknown[] }).issues
      : [];
  return list.flatMap((item): PayloadIssue[] => {
    if (item && typeof item === 'object') return [item as PayloadIssue];
    if (typeof item !== 'string') return [];
    // "inputSize: Too big: expected number to be <=256"
    const m = /^([^:]+): (.*)$/.exec(item);
    if (!m) return [{ message: item }];
    const field = m[1] === '(payload)' ? [] : m[1].split('.');
    const rest = m[2];
    const big = /Too big: expected (\w+) to (?:be|have) <=?(\d+)/.exec(rest);
    if (big) return [{ code: 'too_big', path: field, origin: big[1], maximum: Number(big[2]) }];
    const small = /Too small: expected (\w+) to (?:be|have) >=?(\d+)/.exec(rest);
    if (small) return [{ code: 'too_small', path: field, origin: small[1], minimum: Number(small[2]) }];
    return [{ path: field, message: rest }];
  });
}

/** The user's name of a payload field (its last named path segment), or a neutral "A value". */
export function wordField(t: Messages, path: (string | number)[] | undefined): string {
  const named = (path ?? []).filter((p): p is string => typeof p === 'string');
  for (let i = named.length - 1; i >= 0; i--) {
    const word = t.wording.fields[named[i]];
    if (word) return word;
  }
  return t.wording.fieldFallback;
}

/** One zod issue as a sentence: field + rule + limit, in the user's language. */
export function wordPayloadIssue(t: Messages, issue: PayloadIssue): string {
  const r = t.wording.rule;
  const field = wordField(t, issue.path);
  // Main sends bounds without zod's `origin`; its English message still says what was measured.
  const origin =
    issue.origin ??
    /expected (string|array|set|number|int|bigint|date)\b/.exec(issue.message ?? '')?.[1] ??
    '';
  switch (issue.code) {
    case 'too_big':
      if (origin === 'string') return r.tooLong(field, toNumber(issue.maximum));
      if (origin === 'array' || origin === 'set') return r.tooMany(field, toNumber(issue.maximum));
      return r.tooBigNumber(field, toNumber(issue.maximum));
    case 'too_small':
      if (origin === 'string')
        return toNumber(issue.minimum) <= 1 ? r.empty(field) : r.tooShort(field, toNumber(issue.minimum));
      if (origin === 'array' || origin === 'set') return r.tooFew(field, toNumber(issue.minimum));
      return r.tooSmallNumber(field, toNumber(issue.minimum));
    case 'invalid_type':
      if (issue.expected === 'int') return r.notInteger(field);
      if (issue.expected === 'number') return r.notNumber(field);
      return r.missing(field);
    case 'invalid_value':
    case 'invalid_enum_value':
      return r.oneOf(field, (issue.values ?? []).map(String).join(t.wording.listSeparator));
    case 'invalid_format':
      return r.format(field);
    case 'unrecognized_keys':
      return r.unknownField((issue.keys ?? []).join(t.wording.listSeparator));
    default:
      return r.invalid(field);
  }
}

// ------------------------------------------------------------------ names, checked as the user types

/**
 * A project name's problem, worded, or null: the rules of app/domain/project-name-rules.ts (main's too) with the shared limit
 * (PROJECT_LIMITS.nameMaxLength). Main checks again; this only says it earlier.
 */
export function projectNameProblem(t: Messages, raw: string): string | null {
  const w = t.wording.name;
  const name = raw.normalize('NFC').trim();
  if (name.length === 0) return w.empty;
  if (name.length > PROJECT_LIMITS.nameMaxLength) return w.tooLong(PROJECT_LIMITS.nameMaxLength);
  if (name === '.' || name.includes('..')) return w.path;
  if (FORBIDDEN_CHARS.test(name)) return w.forbiddenChar;
  const hidden = hiddenCharacter(name);
  if (hidden) return w.hiddenChar(hidden);
  if (WINDOWS_RESERVED.test(name)) return w.reserved;
  if (/[. ]$/.test(name)) return w.trailing;
  return null;
}

/** The input size's problem, worded, or null (empty = the default size). */
export function inputSizeProblem(t: Messages, raw: string): string | null {
  const r = t.wording.rule;
  const field = t.wording.fields.inputSize;
  if (raw.trim() === '') return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) return r.notNumber(field);
  if (!Number.isInteger(value)) return r.notInteger(field);
  if (value < PROJECT_LIMITS.minInputSize) return r.tooSmallNumber(field, PROJECT_LIMITS.minInputSize);
  if (value > PROJECT_LIMITS.maxInputSize) return r.tooBigNumber(field, PROJECT_LIMITS.maxInputSize);
  return null;
}

/**
 * A label name's problem, worded, or null: the contract's own limit (`maxLength`, from the labels:create schema)
 * and main's rule on characters; `existing` names make a duplicate an error before it is sent.
 */
export function labelNameProblem(
  t: Messages,
  raw: string,
  maxLength: number,
  existing: readonly string[] = [],
): string | null {
  const w = t.wording.name;
  const name = raw.normalize('NFC').trim();
  if (name.length === 0) return w.empty;
  if (name.length > maxLength) return w.tooLong(maxLength);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f/\\]/.test(name)) return w.labelChars;
  const hidden = hiddenCharacter(name);
  if (hidden) return w.hiddenChar(hidden);
  if (existing.some((e) => e.normalize('NFC').trim().toLowerCase() === name.toLowerCase()))
    return w.duplicate;
  return null;
}

/**
 * Main's refusal of a project name (create, rename), worded: a broken name rule from the same checks the form runs
 * as the user types, a duplicate name in its own sentence; null for other errors (the caller words those).
 */
export function projectNameRefusal(
  t: Messages,
  error: Pick<AppError, 'code'> | null,
  name: string,
): string | null {
  if (error?.code === 'invalid-name') return projectNameProblem(t, name) ?? t.errors['invalid-name'];
  if (error?.code === 'conflict') return t.wording.name.projectExists;
  return null;
}

/** What an AppError says, in the user's language: worded payload issues, else null (the caller shows its context). */
export function wordAppError(t: Messages, error: AppError): string[] {
  if (error.code !== 'invalid-payload') return [];
  return payloadIssues(error).map((issue) => wordPayloadIssue(t, issue));
}
