import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { TRAINING_FAILURES } from '../../../app/domain/training';
import { trainingSettingsSchema, layerSchema } from '../../../app/ipc/channels/training';
import {
  addLayer,
  editableLayersOf,
  layerProblemOf,
  moveLayer,
  newLayerSpec,
  problemKind,
  removeLayer,
  toEditorLayers,
  toSpecs,
  updateLayer,
  ADDABLE_LAYERS,
} from '../../../renderer/src/features/train/layer-editing';
import { base64ToBytes, chwToRgba } from '../../../renderer/src/features/train/pixels';
import {
  LAYER_LIMITS,
  SETTING_LIMITS,
  parseNumber,
  withinLimit,
  type NumberLimit,
} from '../../../renderer/src/features/train/settings-limits';
import { formatDuration } from '../../../renderer/src/features/train/training-format';
import { trainingEn } from '../../../renderer/src/i18n/training-en';
import { trainingZhCN } from '../../../renderer/src/i18n/training-zh-CN';
import { presetSettings } from '../../../main/services/training/settings';

describe('layer editor model', () => {
  it('copies a preset without its classifier, with square sizes as one number', () => {
    const spec: ModelSpec = {
      input: { height: 28, width: 28, channels: 1 },
      numClasses: 10,
      layers: [
        { type: 'conv2d', filters: 16, kernelSize: [3, 3], stride: [1, 1], padding: 'same' },
        { type: 'relu' },
        { type: 'maxPool2d', size: [2, 2] },
        { type: 'flatten' },
        { type: 'dense', units: 128 },
        { type: 'dense', units: 10 },
      ],
    };
    expect(editableLayersOf(spec)).toEqual([
      { type: 'conv2d', filters: 16, kernelSize: 3, stride: 1, padding: 'same' },
      { type: 'relu' },
      { type: 'maxPool2d', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 128 },
    ]);
  });

  it('adds, moves, updates and removes rows by id, keeping ids stable', () => {
    let rows = toEditorLayers([{ type: 'relu' }, { type: 'flatten' }]);
    const [relu, flatten] = rows.map((r) => r.id);
    rows = addLayer(rows, 'dense');
    expect(toSpecs(rows).map((l) => l.type)).toEqual(['relu', 'flatten', 'dense']);
    rows = addLayer(rows, 'dropout', 0);
    expect(toSpecs(rows).map((l) => l.type)).toEqual(['relu', 'dropout', 'flatten', 'dense']);
    rows = moveLayer(rows, flatten, -5);
    expect(rows[0].id).toBe(flatten);
    expect(moveLayer(rows, flatten, -1).map((r) => r.id)).toEqual(rows.map((r) => r.id));
    rows = moveLayer(rows, relu, 1);
    expect(toSpecs(rows).map((l) => l.type)).toEqual(['flatten', 'dropout', 'relu', 'dense']);
    const dense = rows[3].id;
    rows = updateLayer(rows, dense, { type: 'dense', units: 7 });
    expect(rows[3]).toEqual({ id: dense, spec: { type: 'dense', units: 7 } });
    rows = removeLayer(rows, relu);
    expect(rows.map((r) => r.id)).not.toContain(relu);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('creates new layers that main accepts', () => {
    for (const type of ADDABLE_LAYERS)
      expect(layerSchema.safeParse(newLayerSpec(type)).success, type).toBe(true);
  });

  it("reads model:describe's { layerIndex, reason } and classifies the reason", () => {
    expect(
      layerProblemOf({ layerIndex: 3, reason: 'output would be 0×0 (window 2×2 on a 1×1 input)' }),
    ).toEqual({
      layerIndex: 3,
      reason: 'output would be 0×0 (window 2×2 on a 1×1 input)',
    });
    expect(layerProblemOf({ layerIndex: null, reason: 'bad input' })).toEqual({
      layerIndex: null,
      reason: 'bad input',
    });
    expect(layerProblemOf([{ path: ['x'] }])).toBeNull();
    expect(layerProblemOf({ layerIndex: -1, reason: 'x' })).toBeNull();
    expect(layerProblemOf(undefined)).toBeNull();
    expect(problemKind({ layerIndex: 0, reason: 'kernel 5×5 is larger than the padded input 3×3' }, 4)).toBe(
      'kernelTooLarge',
    );
    expect(problemKind({ layerIndex: 1, reason: 'output would be 0×0 (window 2×2 on a 1×1 input)' }, 4)).toBe(
      'windowTooLarge',
    );
    expect(problemKind({ layerIndex: 4, reason: 'anything' }, 4)).toBe('classifier');
    expect(problemKind({ layerIndex: 2, reason: 'rate must be in [0, 1)' }, 4)).toBe('other');
  });
});

describe('settings limits', () => {
  it('parse what people type, and refuse what main would refuse', () => {
    const lr = SETTING_LIMITS.learningRate;
    expect(parseNumber('0.001', lr)).toBe(0.001);
    expect(parseNumber(' 1e-3 ', lr)).toBe(0.001);
    expect(parseNumber('0,01', lr)).toBe(0.01);
    expect(parseNumber('0', lr)).toBeNull();
    expect(parseNumber('', lr)).toBeNull();
    expect(parseNumber('abc', lr)).toBeNull();
    expect(parseNumber('1.5', SETTING_LIMITS.epochs)).toBeNull();
    expect(parseNumber('1000', SETTING_LIMITS.epochs)).toBe(1000);
    expect(parseNumber('1001', SETTING_LIMITS.epochs)).toBeNull();
    expect(parseNumber('1', SETTING_LIMITS.momentum)).toBeNull();
  });

  /** Probes a limit around its bounds against the zod schema main validates with. */
  function probes(limit: NumberLimit): number[] {
    const { min, max } = limit;
    return [
      min - 1,
      min - 0.5,
      min,
      min + 0.5,
      min + 1,
      (min + max) / 2,
      max - 0.5,
      max,
      max + 0.5,
      max + 1,
      1e-6,
    ];
  }

  it('agree with the zod schema of training:start (no drift between the form and main)', () => {
    const base = presetSettings('reference');
    for (const [key, limit] of Object.entries(SETTING_LIMITS)) {
      for (const value of probes(limit)) {
        const settings = structuredClone(base) as unknown as Record<string, unknown>;
        if (key in base.augmentation) (settings.augmentation as Record<string, unknown>)[key] = value;
        else settings[key] = value;
        const accepted = trainingSettingsSchema.safeParse(settings).success;
        expect(withinLimit(value, limit), `${key} = ${value}`).toBe(accepted);
      }
    }
  });

  it('agree with the layer schema', () => {
    const cases: [keyof typeof LAYER_LIMITS, (v: number) => unknown][] = [
      ['filters', (v) => ({ type: 'conv2d', filters: v, kernelSize: 3 })],
      ['kernel', (v) => ({ type: 'conv2d', filters: 1, kernelSize: v })],
      ['stride', (v) => ({ type: 'conv2d', filters: 1, kernelSize: 3, stride: v })],
      ['padding', (v) => ({ type: 'conv2d', filters: 1, kernelSize: 3, padding: v })],
      ['poolSize', (v) => ({ type: 'maxPool2d', size: v })],
      ['units', (v) => ({ type: 'dense', units: v })],
      ['rate', (v) => ({ type: 'dropout', rate: v })],
    ];
    for (const [key, build] of cases) {
      for (const value of probes(LAYER_LIMITS[key])) {
        expect(withinLimit(value, LAYER_LIMITS[key]), `${key} = ${value}`).toBe(
          layerSchema.safeParse(build(value)).success,
        );
      }
    }
  });
});

describe('augmentation preview pixels', () => {
  it('paints gray and channel-major RGB as opaque RGBA', () => {
    expect([...chwToRgba(new Uint8Array([0, 128]), 1, 1, 2)]).toEqual([0, 0, 0, 255, 128, 128, 128, 255]);
    // 1×2 RGB: R plane [10, 11], G plane [20, 21], B plane [30, 31]
    const rgb = new Uint8Array([10, 11, 20, 21, 30, 31]);
    expect([...chwToRgba(rgb, 3, 1, 2)]).toEqual([10, 20, 30, 255, 11, 21, 31, 255]);
    expect(() => chwToRgba(rgb, 3, 2, 2)).toThrow(/Expected 12 bytes/);
    expect(() => chwToRgba(rgb, 2, 1, 3)).toThrow(/2 channels/);
  });

  it('decodes base64 as main encodes it', () => {
    const bytes = Buffer.from([0, 1, 254, 255, 7]);
    expect([...base64ToBytes(bytes.toString('base64'))]).toEqual([0, 1, 254, 255, 7]);
  });
});

describe('training words', () => {
  it('formats durations in both languages', () => {
    expect(formatDuration(42.4, trainingEn.duration)).toBe('42 s');
    expect(formatDuration(185, trainingEn.duration)).toBe('3 min 5 s');
    expect(formatDuration(3725, trainingEn.duration)).toBe('1 h 2 min');
    expect(formatDuration(-3, trainingEn.duration)).toBe('0 s');
    expect(formatDuration(0.34, trainingEn.duration)).toBe('0.3 s');
    expect(formatDuration(9.96, trainingEn.duration)).toBe('10 s');
    expect(formatDuration(185, trainingZhCN.duration)).toBe('3 分 5 秒');
  });

  it('words every run status and failure code in both languages, differently', () => {
    for (const messages of [trainingEn, trainingZhCN]) {
      expect(Object.keys(messages.status).sort()).toEqual(
        ['completed', 'failed', 'interrupted', 'paused', 'queued', 'running', 'stopped'].sort(),
      );
      expect(Object.keys(messages.failures).sort()).toEqual([...TRAINING_FAILURES].sort());
    }
    for (const key of Object.keys(trainingEn.failures) as (keyof typeof trainingEn.failures)[])
      expect(trainingZhCN.failures[key]).not.toBe(trainingEn.failures[key]);
  });
});
