import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MODEL_PRESETS, type NetworkDescription } from '../../../app/domain/model-description';
import { PROJECT_LIMITS } from '../../../app/domain/project';
import { dispatchInvoke } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handler-table';
import { describeNetwork, inputSpecFor } from '../../../main/services/model-description';
import { presets } from '../../../native-workers/cnn/presets';
import { makeTestServices } from '../../support/services';

describe('model:presets and model:describe (real services, through dispatch)', () => {
  let ctx: ReturnType<typeof makeTestServices>;
  const table = createHandlerTable();
  const call = (channel: string, payload: unknown) => dispatchInvoke(table, ctx.services, channel, payload);
  const value = async <T>(channel: string, payload: unknown): Promise<T> => {
    const result = await call(channel, payload);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  const createProject = (inputSize = 28, color: 'gray' | 'rgb' = 'gray') =>
    ctx.services.projects.create({ name: `P${inputSize}${color}${Math.random()}`, inputSize, color }).id;

  beforeEach(() => (ctx = makeTestServices()));
  afterEach(() => ctx.cleanup());

  it('lists every preset of the CNN core, in menu order, with a recommendation', async () => {
    const list = await value<{
      presets: { name: string; title: string; description: string }[];
      recommended: string;
    }>('model:presets', {});
    expect(list.presets.map((p) => p.name)).toEqual([...MODEL_PRESETS]);
    expect(new Set(list.presets.map((p) => p.name))).toEqual(new Set(presets.map((p) => p.name)));
    for (const p of list.presets) expect(p.description.length).toBeGreaterThan(10);
    expect(list.recommended).toBe('small');

    const photos = createProject(96, 'rgb');
    expect((await value<{ recommended: string }>('model:presets', { projectId: photos })).recommended).toBe(
      'medium',
    );
  });

  it('describes the reference CNN for a 28×28 grayscale project with 10 classes: 206,922 parameters', async () => {
    const projectId = createProject();
    const d = await value<NetworkDescription>('model:describe', { projectId, preset: 'reference' });
    expect(d.preset).toBe('reference');
    expect(d.classesFrom).toBe('default');
    expect(d.spec.numClasses).toBe(10);
    expect(d.spec.input).toEqual({ height: 28, width: 28, channels: 1 });
    expect(d.description.totalParams).toBe(206_922);
    expect(d.description.layers.map((l) => [l.type, l.outputShape, l.params])).toEqual([
      ['conv2d', [16, 28, 28], 160],
      ['relu', [16, 28, 28], 0],
      ['maxPool2d', [16, 14, 14], 0],
      ['conv2d', [32, 14, 14], 4640],
      ['relu', [32, 14, 14], 0],
      ['maxPool2d', [32, 7, 7], 0],
      ['flatten', [1568, 1, 1], 0],
      ['dense', [128, 1, 1], 200_832],
      ['relu', [128, 1, 1], 0],
      ['dense', [10, 1, 1], 1290],
    ]);
    // Parameter sharing: conv 1 as a fully connected layer maps 784 inputs to 12,544 outputs.
    expect(d.description.layers[0].fullyConnectedParams).toBe(784 * 12_544 + 12_544);
    expect(d.description.totalFullyConnectedParams).toBe(29_724_426);
    // Geometry: the 3×3 'same' convolution adds one zero on every side, the pool slides 2×2 windows by 2.
    expect(d.layers).toHaveLength(d.description.layers.length);
    expect(d.layers[0]).toEqual({
      spec: { type: 'conv2d', filters: 16, kernelSize: 3, stride: 1, padding: 'same' },
      inputShape: [1, 28, 28],
      geometry: {
        window: [3, 3],
        stride: [1, 1],
        padding: { mode: 'same', top: 1, bottom: 1, left: 1, right: 1 },
      },
    });
    expect(d.layers[2].geometry).toEqual({
      window: [2, 2],
      stride: [2, 2],
      padding: { mode: 'valid', top: 0, bottom: 0, left: 0, right: 0 },
    });
    expect(d.layers[6].geometry).toBeUndefined();
    expect(d.layers[7].inputShape).toEqual([1568, 1, 1]);
  });

  it("uses the project's labels as classes once it has two, and its colour and size", async () => {
    const projectId = createProject(32, 'rgb');
    ctx.services.dataset.createLabel(projectId, 'cat');
    const one = await value<NetworkDescription>('model:describe', { projectId, preset: 'small' });
    expect(one).toMatchObject({ classesFrom: 'default', labelCount: 1, spec: { numClasses: 10 } });

    for (const name of ['dog', 'bird']) ctx.services.dataset.createLabel(projectId, name);
    const d = await value<NetworkDescription>('model:describe', { projectId, preset: 'small' });
    expect(d).toMatchObject({
      classesFrom: 'labels',
      labelCount: 3,
      spec: { numClasses: 3, input: { channels: 3 } },
    });
    expect(d.description.input).toEqual([3, 32, 32]);
    const last = d.description.layers.at(-1)!;
    expect(last).toMatchObject({ type: 'dense', outputShape: [3, 1, 1], params: 128 * 3 + 3 });
    // A first RGB conv has 3 input channels: 16 × (3·3·3 + 1).
    expect(d.description.layers[0].params).toBe(16 * 28);
  });

  it('starts big photos with a stride-2 convolution whose padding is uneven', async () => {
    const projectId = createProject(128, 'rgb');
    const d = await value<NetworkDescription>('model:describe', { projectId, preset: 'medium' });
    expect(d.layers[0].geometry).toEqual({
      window: [3, 3],
      stride: [2, 2],
      padding: { mode: 'same', top: 0, bottom: 1, left: 0, right: 1 },
    });
    expect(d.description.layers[0].outputShape).toEqual([32, 64, 64]);
    expect(d.description.layers.at(-1)!.outputShape).toEqual([10, 1, 1]);
  });

  it.each([
    ['unknown preset', { projectId: 'abc', preset: 'huge' }, /preset/],
    ['extra field', { projectId: 'abc', preset: 'small', size: 28 }, /Unrecognized|size/i],
    ['missing preset', { projectId: 'abc' }, /preset/],
    ['path-like id', { projectId: '../x', preset: 'small' }, /projectId/],
  ])('refuses a bad model:describe payload (%s)', async (_why, payload, message) => {
    const result = await call('model:describe', payload);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    if (!result.ok) expect(result.error.message).toMatch(message);
  });

  it('refuses extra fields on model:presets and answers not-found for a missing project', async () => {
    expect(await call('model:presets', { all: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });
    expect(await call('model:describe', { projectId: 'no-such-project', preset: 'small' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('builds every preset for every allowed input size and colour', () => {
    for (const preset of MODEL_PRESETS) {
      for (let size = PROJECT_LIMITS.minInputSize; size <= PROJECT_LIMITS.maxInputSize; size += 8) {
        for (const color of ['gray', 'rgb'] as const) {
          const d = describeNetwork(preset, inputSpecFor(size, color), {
            numClasses: 2,
            classesFrom: 'labels',
          });
          expect(d.description.layers.at(-1)!.outputShape).toEqual([2, 1, 1]);
          expect(d.description.totalParams).toBeGreaterThan(0);
        }
      }
    }
  });
});
