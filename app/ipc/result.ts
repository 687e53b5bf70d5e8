/** Error codes that cross the IPC boundary; the UI maps them to messages. */
export type ErrorCode =
  | 'invalid-payload'
  | 'unknown-channel'
  | 'forbidden-sender'
  | 'not-found'
  | 'conflict'
  | 'invalid-name'
  | 'storage'
  | 'cancelled'
  | 'busy'
  | 'internal';

/** An expected failure: only plain data crosses IPC, so errors are values, not thrown objects. */
export interface AppError {
  code: ErrorCode;
  message: string;
  /**
   * Machine-readable context the page words in its language. For 'invalid-payload' raised by the contract's
   * validation (main/ipc/dispatch.ts): InvalidPayloadDetails. Every other failure from a service (each
   * `new AppFailure(…)` in main/) carries a stable kebab-case `details.code` and, as FLAT fields beside it, the
   * values its English message interpolates: `{ code: 'label-exists', name: 'Cat' }`,
   * `{ code: 'file-too-large', file, size, limit }` (no nested `params` object). The renderer words it through
   * `t.wording.errors[details.code](details)` (en and zh-CN, renderer/src/features/dataset/wording/app-errors-*.ts),
   * else a worded generic of the top-level `code`; `message` stays English, for the CLI and as the UI's
   * collapsed technical detail. test/unit/main/app-failure-codes.test.ts fails on a call without a worded code.
   */
  details?: unknown;
}

/**
 * One problem with an invoke's payload, from the channel's zod schema. `path`: the field (e.g. ['inputSize'],
 * ['paths', 3]; [] = the payload itself); `code`: zod's issue code ('too_big', 'too_small', 'invalid_type',
 * 'invalid_value', 'unrecognized_keys', 'invalid_format', 'custom', …); `minimum`/`maximum` (with `inclusive`)
 * for a size or length out of range, so "Input size: at most 256" can be worded; `message`: zod's English.
 */
export interface PayloadIssue {
  path: (string | number)[];
  code: string;
  message: string;
  minimum?: number;
  maximum?: number;
  inclusive?: boolean;
}

/** `details` of an 'invalid-payload' failure raised by the contract's validation. */
export interface InvalidPayloadDetails {
  issues: PayloadIssue[];
}

/** The outcome of every invoke: a value or an expected failure. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Wraps a value as a successful Result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failed Result. */
export function fail<T = never>(code: ErrorCode, message: string, details?: unknown): Result<T> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/** Thrown inside services for expected failures; the IPC layer turns it into a failed Result. */
export class AppFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppFailure';
  }
}
