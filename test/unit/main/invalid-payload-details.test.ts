import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InvalidPayloadDetails } from '../../../app/ipc/result';
import { dispatchInvoke } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handler-table';
import { makeTestServices } from '../../support/services';

describe('invalid-payload details: machine-readable issues the page words in its language', () => {
  let ctx: ReturnType<typeof makeTestServices>;
  const table = createHandlerTable();
  beforeEach(() => (ctx = makeTestServices()));
  afterEach(() => ctx.cleanup());

  it('names the field, the zod code and the bound', async () => {
    const result = await dispatchInvoke(table, ctx.services, 'projects:create', {
      name: 'x',
      inputSize: 300,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-payload');
    const { issues } = result.error.details as InvalidPayloadDetails;
    expect(issues).toEqual([
      expect.objectContaining({ path: ['inputSize'], code: 'too_big', maximum: 256, inclusive: true }),
    ]);
  });

  it('reports a too-small bound and a wrong type as separate issues', async () => {
    const result = await dispatchInvoke(table, ctx.services, 'projects:create', { name: 42, inputSize: 1 });
    if (result.ok) throw new Error('expected a failure');
    const { issues } = result.error.details as InvalidPayloadDetails;
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['name'], code: 'invalid_type' }),
        expect.objectContaining({ path: ['inputSize'], code: 'too_small' }),
      ]),
    );
    expect(issues.find((i) => i.code === 'too_small')?.minimum).toBeGreaterThan(1);
  });
});
