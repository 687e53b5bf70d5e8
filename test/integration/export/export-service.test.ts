/**
 * The export service behind `export:run`: its stages, its coded failures (no model, folder not empty, a file in the
 * way) and the main thread staying responsive while the parity check runs in its worker (the event loop's largest
 * delay measured during an export); then the handler table's `export:run` emitting `export:progress` with one id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../app/ipc/result';
import { dispatchInvoke } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handler-table';
import { makeTestServices } from '../../support/services';
import { SMALL_SET } from '../training/support';

async function failure(p: Promise<unknown>): Promise<AppFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppFailure) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('export service', () => {
  let t: ReturnType<typeof makeTestServices>;
  let projectId: string;
  beforeAll(async () => {
    t = makeTestServices();
    const s = t.services;
    projectId = s.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' }).id;
    await s.dataset.importAndWait(projectId, { paths: [path.join(SMALL_SET, 'train')] });
  }, 120_000);
  afterAll(() => t?.cleanup());

  it('refuses a project without a model with details.code no-model', async () => {
    const e = await failure(
      t.services.modelExport.export(projectId, { format: 'onnx', outDir: path.join(t.dataDir, 'x') }),
    );
    expect(e.code).toBe('not-found');
    expect(e.details).toEqual({ code: 'no-model' });
    expect(fs.existsSync(path.join(t.dataDir, 'x'))).toBe(false);
  });

  it('exports with its stages while the main thread stays responsive, and refuses busy folders', async () => {
    const s = t.services;
    const run = s.training.start(projectId, {
      ...s.training.defaults(projectId).settings,
      model: { kind: 'preset', preset: 'small' },
      epochs: 1,
      seed: 4,
      workers: 1,
    });
    expect((await s.training.waitFor(projectId, run.id)).run.status).toBe('completed');

    for (const format of ['onnx', 'tfjs', 'native'] as const) {
      const stages: string[] = [];
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const started = performance.now();
      const result = await s.modelExport.export(projectId, {
        format,
        outDir: path.join(t.dataDir, 'out', format),
        onStage: (stage) => stages.push(stage),
      });
      const ms = performance.now() - started;
      delay.disable();
      expect(stages).toEqual(['writing', 'checking', 'done']);
      expect(result.parity).toMatchObject({ ok: true, top1Agreement: 1, batchSizes: [1, 3, 32] });
      console.info(
        `${format}: ${ms.toFixed(0)} ms, parity max abs diff ${result.parity.maxAbsDiff.toExponential(2)}, ` +
          `main event loop max delay ${(delay.max / 1e6).toFixed(0)} ms`,
      );
      // writing the files is main's (tens of ms); the check, hundreds of ms to seconds, runs in the worker
      expect(delay.max / 1e6).toBeLessThan(250);
    }

    const busy = path.join(t.dataDir, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'a.txt'), 'x');
    const e = await failure(s.modelExport.export(projectId, { format: 'onnx', outDir: busy }));
    expect(e.code).toBe('conflict');
    expect(e.details).toEqual({ code: 'dir-not-empty', dir: busy });
    const file = path.join(t.dataDir, 'busy', 'a.txt');
    const f = await failure(s.modelExport.export(projectId, { format: 'onnx', outDir: file }));
    expect(f.details).toEqual({ code: 'not-a-folder', dir: file });
  }, 180_000);

  it('export:run through the handler table emits export:progress with one exportId', async () => {
    t.events.length = 0;
    const dir = path.join(t.dataDir, 'out', 'ipc');
    const r = await dispatchInvoke(createHandlerTable(), t.services, 'export:run', {
      projectId,
      format: 'onnx',
      dir,
    });
    expect(r.ok).toBe(true);
    const progress = t.events.filter(([c]) => c === 'export:progress').map(([, p]) => p) as {
      projectId: string;
      exportId: string;
      stage: string;
    }[];
    expect(progress.map((p) => p.stage)).toEqual(['writing', 'checking', 'done']);
    expect(new Set(progress.map((p) => p.exportId)).size).toBe(1);
    expect(progress.every((p) => p.projectId === projectId)).toBe(true);
    const again = await dispatchInvoke(createHandlerTable(), t.services, 'export:run', {
      projectId,
      format: 'onnx',
      dir,
    });
    expect(again.ok ? null : again.error).toMatchObject({
      code: 'conflict',
      details: { code: 'dir-not-empty' },
    });
  }, 60_000);
});
