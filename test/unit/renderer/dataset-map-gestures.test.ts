import { describe, expect, it } from 'vitest';
import { dragMode, isAdditive } from '../../../renderer/src/features/dataset/map/map-gestures';
import { isNoModel } from '../../../renderer/src/features/dataset/map/use-dataset-map';

describe('dataset map gestures and states', () => {
  it('drags with the chosen tool unless Shift (box) or Alt (lasso) asks for a selection', () => {
    const plain = { shiftKey: false, altKey: false };
    expect(dragMode('pan', plain)).toBe('pan');
    expect(dragMode('lasso', plain)).toBe('lasso');
    expect(dragMode('box', plain)).toBe('box');
    expect(dragMode('pan', { shiftKey: true, altKey: false })).toBe('box');
    expect(dragMode('lasso', { shiftKey: true, altKey: false })).toBe('box');
    expect(dragMode('pan', { shiftKey: false, altKey: true })).toBe('lasso');
  });

  it('adds to the selection with Ctrl or Cmd only', () => {
    expect(isAdditive({ ctrlKey: true, metaKey: false })).toBe(true);
    expect(isAdditive({ ctrlKey: false, metaKey: true })).toBe(true);
    expect(isAdditive({ ctrlKey: false, metaKey: false })).toBe(false);
  });

  it('recognises the "no model" failure of the map channels', () => {
    expect(isNoModel({ code: 'not-found', details: { code: 'no-model' } })).toBe(true);
    expect(isNoModel({ code: 'no-model' })).toBe(true); // as datasetMap:finished reports it
    expect(isNoModel({ code: 'not-found', details: { code: 'no-run' } })).toBe(false);
    expect(isNoModel({ code: 'internal' })).toBe(false);
    expect(isNoModel(null)).toBe(false);
  });
});
