import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invokeChannels } from '../../../app/ipc/contract';
import { createHandlerTable, type HandlerTable } from '../../../main/ipc/handler-table';
import { registerIpc } from '../../../main/ipc/register-ipc';
import { makeTestServices } from '../../support/services';
import { FakeIpcMain } from './fakes';

const TOP = null;
const UI = 'app://ui/index.html';

/** The real handler table with every handler counted. */
function countingTable(): { table: HandlerTable; calls: string[] } {
  const calls: string[] = [];
  const real = createHandlerTable() as unknown as Record<string, (...args: unknown[]) => unknown>;
  const table = Object.fromEntries(
    Object.entries(real).map(([channel, handler]) => [
      channel,
      (...args: unknown[]) => {
        calls.push(channel);
        return handler(...args);
      },
    ]),
  ) as unknown as HandlerTable;
  return { table, calls };
}

describe('registerIpc: sender validation on every channel', () => {
  let ctx: ReturnType<typeof makeTestServices>;
  let ipc: FakeIpcMain;
  let calls: string[];

  beforeEach(() => {
    ctx = makeTestServices();
    ipc = new FakeIpcMain();
    const counting = countingTable();
    calls = counting.calls;
    registerIpc(ipc.asIpcMain(), counting.table, ctx.services);
  });
  afterEach(() => ctx.cleanup());

  it('registers exactly one handler per contract channel', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.keys(invokeChannels).sort());
  });

  it('lets our top frame at app://ui reach dispatch', async () => {
    expect(await ipc.invoke('projects:list', {}, { url: UI, parent: TOP })).toEqual({ ok: true, value: [] });
    expect(await ipc.invoke('projects:list', {}, { url: 'app://ui/', parent: TOP })).toMatchObject({
      ok: true,
    });
    // dispatch still validates the payload after the sender check
    expect(await ipc.invoke('projects:get', { id: '../x' }, { url: UI, parent: TOP })).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
    expect(calls).toEqual(['projects:list', 'projects:list']);
  });

  const refused: [string, { url: string; parent: object | null } | null][] = [
    ['a subframe of our UI', { url: UI, parent: { url: UI } }],
    ['app://uievil', { url: 'app://uievil/index.html', parent: TOP }],
    ['app://ui:80', { url: 'app://ui:80/index.html', parent: TOP }],
    ['app://ui.evil', { url: 'app://ui.evil/index.html', parent: TOP }],
    ['another origin', { url: 'https://evil.example/', parent: TOP }],
    ['the media origin', { url: 'app://media/p/thumb/x', parent: TOP }],
    ['a file: page', { url: 'file:///index.html', parent: TOP }],
    ['an empty URL', { url: '', parent: TOP }],
    ['a null senderFrame', null],
  ];

  it.each(refused)('refuses %s on every channel without calling a handler', async (_who, frame) => {
    for (const channel of Object.keys(invokeChannels)) {
      const result = await ipc.invoke(channel, {}, frame);
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    }
    expect(calls).toEqual([]);
  });
});
