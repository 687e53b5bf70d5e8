import { invokeChannels, isInvokeName, type InvokeName } from '../../app/ipc/contract';
import {
  AppFailure,
  fail,
  ok,
  type InvalidPayloadDetails,
  type PayloadIssue,
  type Result,
} from '../../app/ipc/result';
import type { Services } from '../services/services';
import { storageFailure } from '../storage/storage-failure';
import type { HandlerTable } from './handler-table';

/**
 * Validates an invoke's channel and payload, runs its handler and turns every outcome into a Result.
 * Untrusted input from the page arrives here only; nothing thrown escapes, so a bad payload never crashes main.
 */
export async function dispatchInvoke(
  table: HandlerTable,
  services: Services,
  channel: unknown,
  payload: unknown,
): Promise<Result<unknown>> {
  if (!isInvokeName(channel)) return fail('unknown-channel', `Unknown channel ${describeChannel(channel)}.`);
  const parsed = invokeChannels[channel].input.safeParse(payload ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
    const details: InvalidPayloadDetails = { issues: parsed.error.issues.map(payloadIssue) };
    return fail('invalid-payload', `Invalid payload for ${channel}: ${lines.join('; ')}`, details);
  }
  try {
    const handler = table[channel] as (s: Services, input: unknown) => unknown;
    return ok(await handler(services, parsed.data));
  } catch (error) {
    return toFailure(channel, error);
  }
}

/**
 * An unknown channel as text for the message. Not JSON.stringify: it throws on a BigInt or a cycle and overflows
 * the stack on deep nesting, and nothing thrown may escape dispatchInvoke.
 */
function describeChannel(channel: unknown): string {
  return typeof channel === 'string' ? JSON.stringify(channel.slice(0, 200)) : `(a ${typeof channel})`;
}

function toFailure(channel: InvokeName, error: unknown): Result<never> {
  const failure = error instanceof AppFailure ? error : storageFailure(error);
  if (failure) return fail(failure.code, failure.message, failure.details);
  const message = error instanceof Error ? error.message : String(error);
  const code = /SQLITE/.test(message) ? 'storage' : 'internal'; // other SQLite errors (busy, corrupt)
  return fail(code, `${channel} failed: ${message}`);
}

/** One zod issue as plain data the page can word ("Input size: at most 256"); bounds only where zod has them. */
function payloadIssue(issue: {
  path: PropertyKey[];
  code: string;
  message: string;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
}): PayloadIssue {
  const out: PayloadIssue = {
    path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
    code: issue.code,
    message: issue.message,
  };
  if (typeof issue.minimum === 'number' || typeof issue.minimum === 'bigint')
    out.minimum = Number(issue.minimum);
  if (typeof issue.maximum === 'number' || typeof issue.maximum === 'bigint')
    out.maximum = Number(issue.maximum);
  if (issue.inclusive !== undefined) out.inclusive = issue.inclusive;
  return out;
}
