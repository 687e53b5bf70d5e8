import { describe, expect, it } from 'vitest';
import {
  clampIndex,
  isMoveKey,
  keyForLabelIndex,
  labelIndexForKey,
  moveTarget,
  nextFocusAfterLabel,
  selectionRange,
  toggled,
  type GridShape,
} from '../../../renderer/src/features/dataset/section/grid-navigation';

// 23 images in rows of 5 (the last row holds 3), 2 rows in view: a page is 10 images.
const shape: GridShape = { total: 23, columns: 5, visibleRows: 2 };

describe('moveTarget', () => {
  it('moves one cell with left/right and one row with up/down', () => {
    expect(moveTarget('ArrowRight', 7, shape, false)).toBe(8);
    expect(moveTarget('ArrowLeft', 7, shape, false)).toBe(6);
    expect(moveTarget('ArrowDown', 7, shape, false)).toBe(12);
    expect(moveTarget('ArrowUp', 7, shape, false)).toBe(2);
  });

  it('wraps right/left across row ends (the grid is one list)', () => {
    expect(moveTarget('ArrowRight', 4, shape, false)).toBe(5);
    expect(moveTarget('ArrowLeft', 5, shape, false)).toBe(4);
  });

  it('clamps at both ends instead of leaving the grid', () => {
    expect(moveTarget('ArrowLeft', 0, shape, false)).toBe(0);
    expect(moveTarget('ArrowUp', 3, shape, false)).toBe(0);
    expect(moveTarget('ArrowRight', 22, shape, false)).toBe(22);
    // Down from the second-to-last row into a short last row lands on the last image.
    expect(moveTarget('ArrowDown', 19, shape, false)).toBe(22);
  });

  it('lands on the first image when nothing is focused yet', () => {
    for (const key of ['ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp'] as const) {
      expect(moveTarget(key, -1, shape, false)).toBe(0);
    }
  });

  it('pages by the rows in view', () => {
    expect(moveTarget('PageDown', 3, shape, false)).toBe(13);
    expect(moveTarget('PageDown', 15, shape, false)).toBe(22);
    expect(moveTarget('PageUp', 13, shape, false)).toBe(3);
    expect(moveTarget('PageUp', 4, shape, false)).toBe(0);
  });

  it('Home/End go to the row ends, with Ctrl to the first/last image', () => {
    expect(moveTarget('Home', 8, shape, false)).toBe(5);
    expect(moveTarget('End', 8, shape, false)).toBe(9);
    expect(moveTarget('End', 21, shape, false)).toBe(22); // the short last row
    expect(moveTarget('Home', 8, shape, true)).toBe(0);
    expect(moveTarget('End', 8, shape, true)).toBe(22);
  });

  it('survives a degenerate shape (0 columns or rows before the grid measured itself)', () => {
    const unmeasured = { total: 5, columns: 0, visibleRows: 0 };
    expect(moveTarget('ArrowDown', 1, unmeasured, false)).toBe(2);
    expect(moveTarget('PageDown', 1, unmeasured, false)).toBe(2);
  });
});

describe('keys', () => {
  it('knows which keys move', () => {
    expect(isMoveKey('PageDown')).toBe(true);
    expect(isMoveKey('Enter')).toBe(false);
    expect(isMoveKey('1')).toBe(false);
  });

  it('maps 1–9 to the first nine labels and 0 to the tenth', () => {
    expect(labelIndexForKey('1')).toBe(0);
    expect(labelIndexForKey('9')).toBe(8);
    expect(labelIndexForKey('0')).toBe(9);
    expect(labelIndexForKey('a')).toBeNull();
    expect(labelIndexForKey('10')).toBeNull();
    expect(labelIndexForKey('u')).toBeNull();
  });

  it('shows the same key for each label position, and none past the tenth', () => {
    for (let i = 0; i < 10; i++) expect(labelIndexForKey(keyForLabelIndex(i) ?? '')).toBe(i);
    expect(keyForLabelIndex(9)).toBe('0');
    expect(keyForLabelIndex(10)).toBeNull();
    expect(keyForLabelIndex(-1)).toBeNull();
  });
});

describe('selection math', () => {
  it('covers a shift-range in either direction, end exclusive', () => {
    expect(selectionRange(3, 7)).toEqual([3, 8]);
    expect(selectionRange(7, 3)).toEqual([3, 8]);
    expect(selectionRange(4, 4)).toEqual([4, 5]);
    expect(selectionRange(-1, 2)).toEqual([0, 3]);
  });

  it('toggles an id without touching the original set', () => {
    const original = new Set([1, 2]);
    expect([...toggled(original, 3)]).toEqual([1, 2, 3]);
    expect([...toggled(original, 1)]).toEqual([2]);
    expect([...original]).toEqual([1, 2]);
  });

  it('clamps indices into the grid', () => {
    expect(clampIndex(-5, 10)).toBe(0);
    expect(clampIndex(50, 10)).toBe(9);
    expect(clampIndex(4, 10)).toBe(4);
  });
});

describe('nextFocusAfterLabel', () => {
  it('moves on by one when the image stays in the filter', () => {
    expect(nextFocusAfterLabel(4, 10, false)).toBe(5);
  });

  it('stays when the image leaves the filter (the next one slides into its place)', () => {
    expect(nextFocusAfterLabel(4, 10, true)).toBe(4);
  });

  it('has nowhere to go from the last image or without focus', () => {
    expect(nextFocusAfterLabel(9, 10, false)).toBeNull();
    expect(nextFocusAfterLabel(9, 10, true)).toBeNull();
    expect(nextFocusAfterLabel(-1, 10, false)).toBeNull();
  });
});
