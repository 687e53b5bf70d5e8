import { describe, expect, it } from 'vitest';
import {
  countByLabel,
  dotRadius,
  groupPoints,
  pointLook,
} from '../../../renderer/src/features/dataset/map/point-style';

const COLORS = new Map([
  [1, '#ff0000'],
  [2, '#00ff00'],
]);

describe('dataset map point style', () => {
  it('fills labeled points, rings suggested ones and greys the rest', () => {
    expect(pointLook(1, 0, COLORS)).toEqual({ kind: 'label', color: '#ff0000' });
    expect(pointLook(2, 1, COLORS)).toEqual({ kind: 'label', color: '#00ff00' });
    expect(pointLook(0, 2, COLORS)).toEqual({ kind: 'suggested', color: '#00ff00' });
    expect(pointLook(0, 0, COLORS)).toEqual({ kind: 'unlabeled' });
    // A label that no longer exists (removed meanwhile) falls back to its suggestion, then grey.
    expect(pointLook(9, 0, COLORS)).toEqual({ kind: 'unlabeled' });
  });

  it('groups points by colour and marks only labeled disagreeing points', () => {
    const groups = groupPoints(
      {
        labelIds: [1, 2, 1, 0, 0, 0],
        suggestedLabelIds: [0, 0, 0, 2, 0, 2],
        disagrees: [0, 1, 1, 1, 0, 0],
      },
      COLORS,
    );
    expect([...groups.filled.get('#ff0000')!]).toEqual([0, 2]);
    expect([...groups.filled.get('#00ff00')!]).toEqual([1]);
    expect([...groups.rings.get('#00ff00')!]).toEqual([3, 5]);
    expect([...groups.unlabeled]).toEqual([4]);
    expect([...groups.mislabeled]).toEqual([1, 2]);
  });

  it('counts points per label for the legend', () => {
    expect(countByLabel([1, 0, 1, 2, 0, 0])).toEqual(
      new Map([
        [1, 2],
        [0, 3],
        [2, 1],
      ]),
    );
  });

  it('draws smaller dots for crowded maps and grows them gently with zoom', () => {
    expect(dotRadius(60_000, 1)).toBeLessThan(dotRadius(500, 1));
    expect(dotRadius(500, 4)).toBeCloseTo(dotRadius(500, 1) * 2, 10);
    expect(dotRadius(500, 1e6)).toBe(dotRadius(500, 1) * 4);
  });
});
