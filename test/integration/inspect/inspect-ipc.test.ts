/**
 * "Look inside" end to end through the IPC dispatcher (validation included), with real services, SQLite, a
 * briefly trained 28 px model and its inference worker; and the live view of a running run's checkpoint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConvolveResult, Inspection, ShiftExperiment } from '../../../app/domain/inspect';
import type { Result } from '../../../app/ipc/result';
import { describeModel } from '../../../native-workers/cnn/describe-model';
import { decodeBase64 } from '../../../native-workers/inspect/tiles';
import { dispatchInvoke } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handler-table';
import { makeTestServices } from '../../support/services';
import { projectWithImages, quickSettings, SMALL_SET } from '../training/support';

const LAPLACIAN = [0, 1, 0, 1, -4, 1, 0, 1, 0];

describe('inspect over IPC', () => {
  let env: ReturnType<typeof makeTestServices>;
  let projectId: string;
  let runId: string;
  let imageId: number;
  let file: string;
  const table = createHandlerTable();
  const call = (channel: string, payload: unknown) =>
    dispatchInvoke(table, env.services, channel, payload) as Promise<Result<unknown>>;
  async function ok<T>(channel: string, payload: unknown): Promise<T> {
    const r = await call(channel, payload);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  }
  async function failure(channel: string, payload: unknown): Promise<string> {
    const r = await call(channel, payload);
    expect(r.ok, JSON.stringify(r).slice(0, 200)).toBe(false);
    return r.ok ? '' : r.error.code;
  }

  beforeAll(async () => {
    env = makeTestServices();
    projectId = await projectWithImages(env.services, 'Clothes');
    const run = env.services.training.start(projectId, quickSettings({ epochs: 1, workers: 1 }), 'one');
    const { run: done } = await env.services.training.waitFor(projectId, run.id);
    expect(done.status).toBe('completed');
    runId = run.id;
    imageId = (
      env.services.projects.db(projectId).prepare('SELECT id FROM images ORDER BY id LIMIT 1').get() as {
        id: number;
      }
    ).id;
    const cls = path.join(SMALL_SET, 'test', 'Bag');
    file = path.join(cls, fs.readdirSync(cls).sort()[0]);
  }, 120_000);
  afterAll(() => env?.cleanup());

  it('inspects a dataset image and a file: every layer, the filters, the top classes, Grad-CAM', async () => {
    const detail = env.services.runs.show(projectId, runId);
    const shapes = describeModel(detail.spec).layers.map((l) => l.outputShape);
    for (const source of [{ imageId }, { file }]) {
      const found = await ok<Inspection>('inspect:image', { projectId, source });
      expect(found.runId).toBe(runId);
      expect(found.epoch).toBeNull();
      expect(found.layers.map((l) => l.shape)).toEqual(shapes);
      expect(found.top).toHaveLength(Math.min(5, detail.dataset.classNames.length));
      expect(found.heatmap.label).toBe(found.top[0].label);
      expect(found.input).toMatchObject({ tiles: 1, tileWidth: 28, tileHeight: 28, channels: 1 });
      expect(decodeBase64(found.input.data).length).toBe(28 * 28);
      expect(found.filters.length).toBe(detail.spec.layers.filter((l) => l.type === 'conv2d').length);
      expect(found.millis).toBeGreaterThan(0);
    }
    // the dataset image's input is the tensor cache's pixels
    const row = env.services.projects
      .db(projectId)
      .prepare('SELECT pixels FROM image_tensors WHERE image_id = ?')
      .get(imageId) as { pixels: Buffer };
    const found = await ok<Inspection>('inspect:image', { projectId, runId, source: { imageId } });
    expect(Buffer.from(decodeBase64(found.input.data)).equals(row.pixels)).toBe(true);
    // another class explained
    const other = found.top[1].label;
    const asked = await ok<Inspection>('inspect:image', { projectId, source: { imageId }, label: other });
    expect(asked.heatmap.label).toBe(other);
  });

  it('shifts and convolves', async () => {
    const found = await ok<Inspection>('inspect:image', { projectId, source: { file } });
    const shift = await ok<ShiftExperiment>('inspect:shift', {
      projectId,
      source: { file },
      offsets: [
        { dx: 0, dy: 0 },
        { dx: 3, dy: -2 },
      ],
    });
    expect(shift.originalLabel).toBe(found.top[0].label);
    expect(shift.points[0].probabilityOfOriginal).toBeCloseTo(found.top[0].probability, 5);
    expect(shift.points[0].top[0].label).toBe(found.top[0].label);
    expect(shift.points[1]).toMatchObject({ dx: 3, dy: -2, flipped: false });
    expect(shift.points[1].deepest.maps).not.toBeNull();
    const flipped = await ok<ShiftExperiment>('inspect:shift', {
      projectId,
      source: { file },
      offsets: [{ dx: 0, dy: 0 }],
      flip: true,
    });
    expect(flipped.points[0].flipped).toBe(true);
    const conv = await ok<ConvolveResult>('inspect:convolve', {
      projectId,
      source: { imageId },
      kernel: LAPLACIAN,
    });
    expect(conv.response).toMatchObject({ tiles: 1, tileWidth: 28, tileHeight: 28 });
    expect(conv.similar).toHaveLength(3);
    expect(conv.similar[0].similarity).toBeGreaterThanOrEqual(conv.similar[1].similarity);
  });

  it('validates payloads and reports failures as codes', async () => {
    const source = { imageId };
    expect(await failure('inspect:image', { projectId: 'Not An Id', source })).toBe('invalid-payload');
    expect(await failure('inspect:image', { projectId, source: { imageId: -1 } })).toBe('invalid-payload');
    expect(await failure('inspect:image', { projectId, source, extra: 1 })).toBe('invalid-payload');
    expect(await failure('inspect:image', { projectId, source, runId: 'nope' })).toBe('invalid-payload');
    expect(await failure('inspect:image', { projectId, source, label: 'NoSuchClass' })).toBe(
      'invalid-payload',
    );
    expect(await failure('inspect:image', { projectId, source: { imageId: 999_999 } })).toBe('not-found');
    expect(await failure('inspect:image', { projectId, source: { file: '/no/such/image.png' } })).toBe(
      'not-found',
    );
    expect(await failure('inspect:image', { projectId, source: { file: 'relative.png' } })).toBe(
      'invalid-payload',
    );
    const notImage = path.join(env.dataDir, 'notes.png');
    fs.writeFileSync(notImage, 'not an image');
    expect(await failure('inspect:image', { projectId, source: { file: notImage } })).toBe('invalid-payload');
    expect(await failure('inspect:shift', { projectId, source, offsets: [] })).toBe('invalid-payload');
    expect(await failure('inspect:shift', { projectId, source, offsets: [{ dx: 65, dy: 0 }] })).toBe(
      'invalid-payload',
    );
    expect(await failure('inspect:convolve', { projectId, source, kernel: [1, 2, 3] })).toBe(
      'invalid-payload',
    );
    expect(
      await failure('inspect:convolve', { projectId, source, kernel: [...LAPLACIAN.slice(1), null] }),
    ).toBe('invalid-payload');
    const empty = env.services.projects.create({ name: 'Empty', inputSize: 28, color: 'gray' });
    expect(await failure('inspect:image', { projectId: empty.id, source: { file } })).toBe('not-found');
    expect(await failure('inspect:image', { projectId: empty.id, live: true, source: { file } })).toBe(
      'not-found',
    );
  });

  it('a live view shows the newest checkpoint of a running run', async () => {
    const run = env.services.training.start(projectId, quickSettings({ epochs: 20, workers: 1 }), 'live');
    const epochs: number[] = [];
    let wanted = 1;
    let reached: () => void = () => undefined;
    const unsubscribe = env.services.training.subscribe((e) => {
      if (e.kind !== 'epoch' || e.payload.runId !== run.id) return;
      epochs.push(e.payload.metrics.epoch);
      if (e.payload.metrics.epoch >= wanted) reached();
    });
    try {
      const seen: number[] = [];
      for (const target of [1, 2]) {
        wanted = target;
        await new Promise<void>((resolve) => {
          reached = resolve;
          if (epochs.some((e) => e >= target)) resolve();
        });
        // The epoch has been checkpointed (the event follows the write); pause so that it stays the newest.
        await env.services.training.pause(projectId, run.id);
        const done = env.services.runs.show(projectId, run.id).epochsDone;
        const found = await ok<Inspection>('inspect:image', { projectId, live: true, source: { imageId } });
        expect(found.runId).toBe(run.id);
        expect(found.epoch).toBe(done);
        expect(found.epoch).toBeGreaterThanOrEqual(target);
        seen.push(found.epoch as number);
        // named explicitly, too
        const named = await ok<Inspection>('inspect:image', {
          projectId,
          runId: run.id,
          live: true,
          source: { imageId },
        });
        expect(named.epoch).toBe(done);
        if (target === 1) env.services.training.resume(projectId, run.id);
      }
      expect(seen[1]).toBeGreaterThan(seen[0]);
      // once stopped, a live view shows the weights the run kept (its final.model), with their epoch count
      const stopped = await env.services.training.stop(projectId, run.id);
      expect(stopped.status).toBe('stopped');
      const kept = await ok<Inspection>('inspect:image', {
        projectId,
        runId: run.id,
        live: true,
        source: { imageId },
      });
      expect(kept.epoch).toBe(env.services.runs.show(projectId, run.id).epochsDone);
    } finally {
      unsubscribe();
      await env.services.training.stop(projectId, run.id).catch(() => undefined);
    }
  }, 120_000);
});
