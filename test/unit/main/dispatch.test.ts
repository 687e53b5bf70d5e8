import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDesktopApi, invokeChannels } from '../../../app/ipc/contract';
import { dispatchInvoke } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handler-table';
import { isTrustedSender } from '../../../main/ipc/sender-check';
import { makeTestServices } from '../../support/services';

describe('dispatchInvoke (the one entry point for untrusted payloads)', () => {
  let ctx: ReturnType<typeof makeTestServices>;
  const table = createHandlerTable();
  const call = (channel: unknown, payload: unknown) => dispatchInvoke(table, ctx.services, channel, payload);

  beforeEach(() => (ctx = makeTestServices()));
  afterEach(() => ctx.cleanup());

  it('has a handler for every contract channel', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(invokeChannels).sort());
  });

  it('creates, renames and lists through validated payloads, applying defaults', async () => {
    const created = await call('projects:create', { name: 'Birds' });
    expect(created).toMatchObject({ ok: true, value: { name: 'Birds', inputSize: 28, color: 'gray' } });
    const id = (created as { value: { id: string } }).value.id;
    expect(await call('projects:rename', { id, name: 'Birds 2' })).toMatchObject({
      ok: true,
      value: { name: 'Birds 2' },
    });
    const list = await call('projects:list', {});
    expect(list).toMatchObject({ ok: true, value: [{ id, name: 'Birds 2' }] });
    expect(ctx.events).toEqual([
      ['projects:changed', { reason: 'created' }],
      ['projects:changed', { reason: 'renamed' }],
    ]);
  });

  it.each([
    ['wrong type', 'projects:create', { name: 42 }, /name/],
    ['extra field', 'projects:create', { name: 'x', extra: true }, /extra|Unrecognized/i],
    ['size out of range', 'projects:create', { name: 'x', inputSize: 4096 }, /inputSize/],
    ['size not integer', 'projects:create', { name: 'x', inputSize: 27.5 }, /inputSize/],
    ['bad enum', 'projects:create', { name: 'x', color: 'cmyk' }, /color/],
    ['payload not an object', 'projects:list', 'hello', /payload|object/i],
    ['path-like id', 'projects:get', { id: '../../etc/passwd' }, /id/],
    ['missing field', 'projects:rename', { id: 'abc' }, /name/],
  ])('answers a bad payload (%s) with invalid-payload', async (_why, channel, payload, message) => {
    const result = await call(channel, payload);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-payload');
      expect(result.error.message).toMatch(message);
    }
  });

  it('answers unknown channels and prototype keys without throwing', async () => {
    for (const channel of ['nope:nothing', '__proto__', 'constructor', 42, null]) {
      const result = await call(channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
  });

  it('turns service failures into typed errors', async () => {
    expect(await call('projects:create', { name: '../x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-name' },
    });
    await call('projects:create', { name: 'Twin' });
    expect(await call('projects:create', { name: 'twin' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await call('projects:get', { id: 'no-such-project' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('exposes one named method per channel through createDesktopApi', async () => {
    const api = createDesktopApi({
      invoke: (channel, payload) => call(channel, payload),
      subscribe: () => () => undefined,
    });
    const created = await api.projects.create({ name: 'Via API', inputSize: 64, color: 'rgb' });
    expect(created).toMatchObject({ ok: true, value: { name: 'Via API', inputSize: 64, color: 'rgb' } });
    for (const channel of Object.keys(invokeChannels)) {
      const [domain, verb] = channel.split(':') as [string, string];
      expect(typeof (api as unknown as Record<string, Record<string, unknown>>)[domain][verb]).toBe(
        'function',
      );
    }
  });
});

describe('isTrustedSender', () => {
  it('accepts only the top frame of our UI origin', () => {
    expect(isTrustedSender('app://ui/index.html', true)).toBe(true);
    expect(isTrustedSender('app://ui/index.html', false)).toBe(false);
    expect(isTrustedSender('app://media/x', true)).toBe(false);
    expect(isTrustedSender('https://evil.example/app://ui', true)).toBe(false);
    expect(isTrustedSender('file:///etc/passwd', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
    expect(isTrustedSender('not a url', true)).toBe(false);
  });
});
