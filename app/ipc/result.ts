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
  /** Machine-readable context, e.g. the zod issues of an invalid payload. */
  details?: unknown;
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
