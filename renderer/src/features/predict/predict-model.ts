/**
 * Pure helpers of the Predict section: how a batch is shown (cards or a table), the table's sort, the heat map's
 * colour map and the pasted image's base64. No React, no bridge: unit-tested in test/unit/renderer.
 */
import type { PredictionItem } from '../../../../app/domain/prediction';

/** Batches of at most this many images get a card each (thumbnail, bars, Grad-CAM); larger ones the table. */
export const CARD_LIMIT = 12;

/** The top-k choices of the picker. */
export const TOP_K_CHOICES: readonly number[] = [1, 3, 5, 10];

/** True when a batch of `total` images is shown as cards. */
export function showsCards(total: number): boolean {
  return total > 0 && total <= CARD_LIMIT;
}

export type SortKey = 'index' | 'name' | 'label' | 'confidence';
export interface SortState {
  key: SortKey;
  descending: boolean;
}

/** A predicted item (the failed ones are listed apart). */
export type PredictedItem = Extract<PredictionItem, { ok: true }>;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The predicted items in table order: by file name, predicted class (then confidence, best first) or confidence. */
export function sortItems(items: readonly PredictedItem[], sort: SortState): PredictedItem[] {
  const sign = sort.descending ? -1 : 1;
  const confidence = (item: PredictedItem) => item.top[0]?.probability ?? 0;
  const label = (item: PredictedItem) => item.top[0]?.label ?? '';
  const compare = (a: PredictedItem, b: PredictedItem): number => {
    switch (sort.key) {
      case 'name':
        return sign * collator.compare(a.name, b.name) || a.index - b.index;
      case 'label':
        return (
          sign * collator.compare(label(a), label(b)) || confidence(b) - confidence(a) || a.index - b.index
        );
      case 'confidence':
        return sign * (confidence(a) - confidence(b)) || a.index - b.index;
      default:
        return sign * (a.index - b.index);
    }
  };
  return [...items].sort(compare);
}

/** The sort after a click on a column header: the same column flips, another starts in its natural direction. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key === 'confidence' };
}

/** The stops of the heat map's colour map (a "turbo"-like ramp: cold blue → green → yellow → hot red). */
const STOPS: readonly [number, number, number, number][] = [
  [0, 48, 18, 59],
  [0.15, 70, 107, 227],
  [0.35, 27, 208, 213],
  [0.5, 97, 252, 108],
  [0.65, 210, 233, 53],
  [0.8, 254, 155, 45],
  [1, 180, 20, 10],
];

/** The colour of a heat map value in [0, 1] (clamped; NaN counts as 0) as [r, g, b]. */
export function heatColor(value: number): [number, number, number] {
  const v = Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
  for (let i = 1; i < STOPS.length; i++) {
    const [x1, r1, g1, b1] = STOPS[i];
    if (v <= x1) {
      const [x0, r0, g0, b0] = STOPS[i - 1];
      const f = (v - x0) / (x1 - x0);
      return [Math.round(r0 + (r1 - r0) * f), Math.round(g0 + (g1 - g0) * f), Math.round(b0 + (b1 - b0) * f)];
    }
  }
  const last = STOPS[STOPS.length - 1];
  return [last[1], last[2], last[3]];
}

/**
 * RGBA pixels of a heat map (row-major values in [0, 1]). Low values are more transparent, so the image shows
 * through where the class found nothing; the overall opacity is the canvas's own (a CSS slider).
 */
export function heatPixels(
  values: readonly number[],
  width: number,
  height: number,
): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = values[i] ?? 0;
    const [r, g, b] = heatColor(v);
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = Math.round(255 * (0.35 + 0.65 * Math.max(0, Math.min(1, Number.isFinite(v) ? v : 0))));
  }
  return out;
}

/** Base64 of bytes, in chunks (String.fromCharCode over a large array would overflow the stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Images per second so far (0 before anything is done or no time has passed). */
export function rate(done: number, elapsedMs: number): number {
  return done > 0 && elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
}
