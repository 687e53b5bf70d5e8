/**
 * Pure keyboard-navigation math of the thumbnail grid: where a key moves the focus, which index range a
 * shift-selection covers, which key labels which image. No React, no DOM, so every rule has a unit test.
 */

/** The grid's shape at the moment of the key press. */
export interface GridShape {
  /** Images in the current query. */
  total: number;
  /** Cells per row. */
  columns: number;
  /** Rows that fit in the viewport (PageUp/PageDown move by this many rows). */
  visibleRows: number;
}

/** Keys that move the focus; anything else is not a move. */
export const MOVE_KEYS = [
  'ArrowRight',
  'ArrowLeft',
  'ArrowDown',
  'ArrowUp',
  'PageDown',
  'PageUp',
  'Home',
  'End',
] as const;
export type MoveKey = (typeof MOVE_KEYS)[number];

export function isMoveKey(key: string): key is MoveKey {
  return (MOVE_KEYS as readonly string[]).includes(key);
}

/** Keeps an index inside the grid (an empty grid clamps to -1, "no focus"). */
export function clampIndex(index: number, total: number): number {
  return Math.max(0, Math.min(total - 1, index));
}

/**
 * The index a move key takes the focus to, clamped to the grid. `focus` -1 means nothing is focused yet: the
 * first press lands on the first image (arrows) or a page in (PageDown). `mod` (Ctrl/Cmd) makes Home/End go to the
 * very first/last image instead of the row's ends.
 */
export function moveTarget(key: MoveKey, focus: number, shape: GridShape, mod: boolean): number {
  const cols = Math.max(1, shape.columns);
  const page = cols * Math.max(1, shape.visibleRows);
  const at = focus < 0 ? -1 : focus;
  const rowStart = Math.max(0, at - (at % cols));
  let next: number;
  switch (key) {
    case 'ArrowRight':
      next = at + 1;
      break;
    case 'ArrowLeft':
      next = at < 0 ? 0 : at - 1;
      break;
    case 'ArrowDown':
      next = at < 0 ? 0 : at + cols;
      break;
    case 'ArrowUp':
      next = at < 0 ? 0 : at - cols;
      break;
    case 'PageDown':
      next = at + page;
      break;
    case 'PageUp':
      next = at - page;
      break;
    case 'Home':
      next = mod ? 0 : rowStart;
      break;
    case 'End':
      next = mod ? shape.total - 1 : Math.min(shape.total - 1, rowStart + cols - 1);
      break;
  }
  return clampIndex(next, shape.total);
}

/** The half-open index range [start, end) a shift-selection from `from` to `to` (either order) covers. */
export function selectionRange(from: number, to: number): [number, number] {
  const [a, b] = from <= to ? [from, to] : [to, from];
  return [Math.max(0, a), b + 1];
}

/** A set with `id` added when absent, removed when present (Ctrl+click, Space). */
export function toggled(selection: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(selection);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/**
 * The label position (0-based, in label order) a digit key assigns: 1–9 are the first nine labels and 0 the
 * tenth, so ten classes are reachable without the picker. Null for any other key.
 */
export function labelIndexForKey(key: string): number | null {
  if (!/^[0-9]$/.test(key)) return null;
  return key === '0' ? 9 : Number(key) - 1;
}

/** The key that assigns the label at `index` (0-based), or null past the tenth: the inverse of labelIndexForKey. */
export function keyForLabelIndex(index: number): string | null {
  if (index < 0 || index > 9) return null;
  return index === 9 ? '0' : String(index + 1);
}

/** How many labels the digit keys reach; more than this and the picker's type-to-filter is the way. */
export const DIGIT_LABELS = 10;

/**
 * Where the focus goes after labeling the focused image on its own. When the new label takes the image out of the
 * current filter (`leaves`), the next image slides into the focused position, so focus stays; otherwise it moves
 * one on. Null when there is no next image to move to (the last image keeps its focus).
 */
export function nextFocusAfterLabel(focus: number, total: number, leaves: boolean): number | null {
  if (focus < 0 || focus + 1 >= total) return null;
  return leaves ? focus : focus + 1;
}
