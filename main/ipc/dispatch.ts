import { invokeChannels, isInvokeName, type InvokeName } from '../../app/ipc/contract';
import { AppFailure, fail, ok, type Result } from '../../app/ipc/result';
import type { Services } from '../services/services';
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
  if (!isInvokeName(channel)) return fail('unknown-channel', `Unknown channel ${JSON.stringify(channel)}.`);
  const parsed = invokeChannels[channel].input.safeParse(payload ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
    return fail('invalid-payload', `Invalid payload for ${channel}: ${issues.join('; ')}`, issues);
  }
  try {
    const handler = table[channel] as (s: Services, input: unknown) => unknown;
    return ok(await handler(services, parsed.data));
  } catch (error) {
    return toFailure(channel, error);
  }
}

function toFailure(channel: InvokeName, error: unknown): Result<never> {
  if (error instanceof AppFailure) return fail(error.code, error.message, error.details);
  const message = error instanceof Error ? error.message : String(error);
  const code = /SQLITE|EACCES|EROFS|ENOSPC|EPERM/.test(message) ? 'storage' : 'internal';
  return fail(code, `${channel} failed: ${message}`);
}
