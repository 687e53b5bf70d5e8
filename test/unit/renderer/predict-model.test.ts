import { describe, expect, it } from 'vitest';
import {
  CARD_LIMIT,
  heatColor,
  heatPixels,
  nextSort,
  rate,
  showsCards,
  sortItems,
  toBase64,
  type PredictedItem,
} from '../../../renderer/src/features/predict/predict-model';

function item(index: number, name: string, label: string, probability: number): PredictedItem {
  return { index, file: `/x/${name}`, name, ok: true, top: [{ label, probability }] };
}

const items = [
  item(0, 'img-10.png', 'Coat', 0.5),
  item(1, 'img-2.png', 'bag', 0.9),
  item(2, 'img-1.png', 'Coat', 0.8),
  item(3, 'img-3.png', 'Anorak', 0.5),
];

describe('predict model', () => {
  it('shows cards for small batches only', () => {
    expect(showsCards(0)).toBe(false);
    expect(showsCards(1)).toBe(true);
    expect(showsCards(CARD_LIMIT)).toBe(true);
    expect(showsCards(CARD_LIMIT + 1)).toBe(false);
  });

  it('sorts by confidence (ties by order), by class (then confidence) and by file name (numeric)', () => {
    const names = (sorted: PredictedItem[]) => sorted.map((i) => i.name);
    expect(names(sortItems(items, { key: 'confidence', descending: true }))).toEqual([
      'img-2.png',
      'img-1.png',
      'img-10.png',
      'img-3.png',
    ]);
    expect(names(sortItems(items, { key: 'confidence', descending: false }))).toEqual([
      'img-10.png',
      'img-3.png',
      'img-1.png',
      'img-2.png',
    ]);
    expect(names(sortItems(items, { key: 'label', descending: false }))).toEqual([
      'img-3.png',
      'img-2.png',
      'img-1.png',
      'img-10.png',
    ]);
    expect(names(sortItems(items, { key: 'name', descending: false }))).toEqual([
      'img-1.png',
      'img-2.png',
      'img-3.png',
      'img-10.png',
    ]);
    expect(names(sortItems(items, { key: 'index', descending: false }))).toEqual(items.map((i) => i.name));
    expect(items[0].name).toBe('img-10.png'); // not sorted in place
  });

  it('flips the same column and starts confidence best first', () => {
    expect(nextSort({ key: 'name', descending: false }, 'name')).toEqual({ key: 'name', descending: true });
    expect(nextSort({ key: 'name', descending: false }, 'confidence')).toEqual({
      key: 'confidence',
      descending: true,
    });
    expect(nextSort({ key: 'confidence', descending: true }, 'label')).toEqual({
      key: 'label',
      descending: false,
    });
  });

  it('maps heat values to a cold → hot ramp, clamped', () => {
    expect(heatColor(0)).toEqual([48, 18, 59]);
    expect(heatColor(1)).toEqual([180, 20, 10]);
    expect(heatColor(-3)).toEqual(heatColor(0));
    expect(heatColor(7)).toEqual(heatColor(1));
    expect(heatColor(Number.NaN)).toEqual(heatColor(0));
    const [r, , b] = heatColor(0.9);
    expect(r).toBeGreaterThan(b);
  });

  it('writes RGBA pixels whose alpha grows with the value', () => {
    const px = heatPixels([0, 1, 0.5, 0.25], 2, 2);
    expect(px).toHaveLength(16);
    expect(px[3]).toBeLessThan(px[7]);
    expect(px[7]).toBe(255);
    expect(px[11]).toBeGreaterThan(px[15]);
    expect([...px.slice(4, 7)]).toEqual(heatColor(1));
  });

  it('encodes base64 in chunks like Buffer does', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(toBase64(new Uint8Array())).toBe('');
  });

  it('computes images/s', () => {
    expect(rate(0, 1000)).toBe(0);
    expect(rate(50, 0)).toBe(0);
    expect(rate(50, 500)).toBe(100);
  });
});
