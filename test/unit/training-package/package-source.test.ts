import { describe, expect, it } from 'vitest';
import type { LayerSpec, ModelSpec } from '../../../app/domain/model-spec';
import { AppFailure } from '../../../app/ipc/result';
import { specFromFile } from '../../../main/services/training-package/package-source';
import { presetSpec } from '../../../native-workers/cnn/presets';

const input = { height: 28, width: 28, channels: 1 };

function refusal(f: () => unknown): { code: unknown; message: string } {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    return {
      code: ((error as AppFailure).details as { code: unknown }).code,
      message: (error as Error).message,
    };
  }
  throw new Error('not refused');
}

describe('a --spec file checked against the project', () => {
  it('takes a whole spec whose input and classes fit, keeping it as is', () => {
    const spec = presetSpec('small', input, 4);
    const r = specFromFile(JSON.parse(JSON.stringify(spec)), input, 4);
    expect(r.spec).toEqual(spec);
    expect(r.layers).toEqual(spec.layers.slice(0, -1)); // the settings' model: without the classifier
  });

  it('adds the classifier to bare layers, as a custom model in the Train view', () => {
    const layers: LayerSpec[] = [
      { type: 'conv2d', filters: 4, kernelSize: 3, stride: 2, padding: 'same' },
      { type: 'relu' },
      { type: 'flatten' },
    ];
    const r = specFromFile({ layers }, input, 3);
    expect(r.spec).toEqual({
      input,
      layers: [...layers, { type: 'dense', units: 3 }],
      numClasses: 3,
    } satisfies ModelSpec);
    expect(r.layers).toEqual(layers);
  });

  it('refuses a spec for another input or another number of classes, saying both', () => {
    const other = refusal(() =>
      specFromFile(presetSpec('small', { height: 32, width: 32, channels: 3 }, 4), input, 4),
    );
    expect(other.code).toBe('spec-mismatch');
    expect(other.message).toContain('32×32×3');
    expect(other.message).toContain('28×28×1');
    const classes = refusal(() => specFromFile(presetSpec('small', input, 5), input, 4));
    expect(classes.code).toBe('spec-mismatch');
    expect(classes.message).toMatch(/5 classes.*4/);
  });

  it('refuses what is not a spec, an unknown layer, and layers the core cannot plan', () => {
    expect(refusal(() => specFromFile({ nope: 1 }, input, 2)).code).toBe('invalid-model');
    expect(refusal(() => specFromFile({ layers: [{ type: 'lstm' }] }, input, 2)).code).toBe('invalid-model');
    const tooBig = refusal(() =>
      specFromFile({ layers: [{ type: 'maxPool2d', size: 64 }, { type: 'flatten' }] }, input, 2),
    );
    expect(tooBig.code).toBe('invalid-model');
    // a whole spec whose classifier does not give numClasses outputs
    const spec = presetSpec('small', input, 4);
    const wrongHead = { ...spec, layers: [...spec.layers.slice(0, -1), { type: 'dense', units: 3 }] };
    expect(refusal(() => specFromFile(wrongHead, input, 4)).code).toBe('invalid-model');
  });
});
