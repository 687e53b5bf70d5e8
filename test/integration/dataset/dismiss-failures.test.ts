import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportStatus } from '../../../app/domain/dataset';
import { dispatchInvoke } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handler-table';
import { makeHarness, noisePng, tempDir, write, type Harness } from '../../unit/dataset/fixtures';

/** Issue 12 item 5: import failures dismissed in main leave Health but stay in the import log. */
describe('dataset:dismissImportFailures', () => {
  let h: Harness;
  let src: string;
  const table = createHandlerTable();
  const call = async <T>(channel: string, payload: Record<string, unknown> = {}): Promise<T> => {
    const result = await dispatchInvoke(table, h.services, channel, { projectId: h.projectId, ...payload });
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };

  beforeAll(async () => {
    h = await makeHarness();
    src = tempDir('cnn-dismiss-');
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('dismisses every current failure: Health has none, the import log still lists them, a new failure shows', async () => {
    const dir = path.join(src, 'bad');
    write(path.join(dir, 'good.png'), await noisePng(20, 20, 1));
    write(path.join(dir, 'fake.jpg'), 'text, not a JPEG');
    write(path.join(dir, 'broken.png'), (await noisePng(40, 40, 2)).subarray(0, 60));
    const first = await h.services.dataset.importAndWait(h.projectId, { paths: [dir] });
    expect(first.failed).toHaveLength(2);
    const before = await call<{ unreadableFiles: unknown[]; issues: { kind: string }[] }>('dataset:health');
    expect(before.unreadableFiles).toHaveLength(2);
    expect(before.issues.map((i) => i.kind)).toContain('unreadable');

    h.events.length = 0;
    expect(await call('dataset:dismissImportFailures')).toEqual({ dismissed: 2 });
    expect(h.events).toContainEqual({
      channel: 'dataset:changed',
      payload: { projectId: h.projectId, reason: 'health' },
    });
    const after = await call<{ unreadableFiles: unknown[]; issues: { kind: string }[] }>('dataset:health');
    expect(after.unreadableFiles).toEqual([]);
    expect(after.issues.map((i) => i.kind)).not.toContain('unreadable');
    // The import log keeps them.
    const log = await call<{ importId: string }[]>('dataset:listImports');
    expect(log.map((l) => l.importId)).toContain(first.importId);
    const status = await call<ImportStatus>('dataset:importStatus', { importId: first.importId });
    expect(status.state === 'finished' && status.summary.failed).toHaveLength(2);
    // Nothing left to dismiss.
    expect(await call('dataset:dismissImportFailures')).toEqual({ dismissed: 0 });

    // A new failed import (the same file failing again) shows again.
    const second = await h.services.dataset.importAndWait(h.projectId, {
      paths: [path.join(dir, 'fake.jpg')],
    });
    expect(second.failed).toHaveLength(1);
    const again = h.services.dataset.health(h.projectId);
    expect(again.unreadableFiles.map((i) => path.basename(i.path))).toEqual(['fake.jpg']);
    expect(again.issues.find((i) => i.kind === 'unreadable')?.params).toEqual({ files: 1 });
  });

  it('refuses an invalid project id', async () => {
    const result = await dispatchInvoke(table, h.services, 'dataset:dismissImportFailures', {
      projectId: 'x',
    });
    expect(result.ok).toBe(false);
  });
});
