/**
 * Pure helpers of the Evaluate section: which run to show, the confusion matrix's row-normalised shading, and the
 * keyboard of the matrix and the image lists. No React, no bridge: unit-tested in test/unit/renderer.
 */
import type { SplitName } from '../../../../app/domain/dataset';
import type { EvalSplit, RunSummary } from '../../../../app/domain/training';

/** Runs whose weights can be evaluated: finished with at least one epoch (completed, or stopped after some). */
export function evaluableRuns(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter(
    (r) => r.isModel || r.status === 'completed' || (r.status === 'stopped' && r.epochsDone > 0),
  );
}

/** The run to evaluate: the user's choice while it is still evaluable, else the project's model, else none. */
export function pickRun(runs: readonly RunSummary[], chosen: string | null): RunSummary | null {
  const usable = evaluableRuns(runs);
  return usable.find((r) => r.id === chosen) ?? usable.find((r) => r.isModel) ?? null;
}

/** True while a run of the project is training (or waiting to). */
export function isTraining(runs: readonly RunSummary[]): boolean {
  return runs.some((r) => r.status === 'running' || r.status === 'paused' || r.status === 'queued');
}

/**
 * The split to show first: validation, else test (a project imported as train/test folders has no validation
 * images), else train.
 */
export function defaultSplit(perSplit: Partial<Record<SplitName, number>>): EvalSplit {
  if ((perSplit.val ?? 0) > 0) return 'val';
  if ((perSplit.test ?? 0) > 0) return 'test';
  if ((perSplit.train ?? 0) > 0) return 'train';
  return 'val';
}

/** Each row divided by its sum (the share of that true class predicted as each class); empty rows stay 0. */
export function rowNormalized(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (sum > 0 ? v / sum : 0));
  });
}

/**
 * How strongly a cell is tinted, 0–100 (percent of the tint mixed into the surface). Any non-empty cell gets at
 * least a faint tint so a single mistake stays visible; the rest grows with the row share.
 */
export function cellTint(share: number): number {
  if (!(share > 0)) return 0;
  return Math.round(8 + Math.min(1, share) * 82);
}

/** Text on a tinted cell switches to the contrasting colour above this tint. */
export const STRONG_TINT = 55;

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

/** The cell the arrow/Home/End keys move to in an n×n matrix; null for any other key. */
export function matrixMove(
  event: KeyLike,
  at: { row: number; col: number },
  size: number,
): { row: number; col: number } | null {
  if (size <= 0 || event.altKey) return null;
  const mod = event.ctrlKey || event.metaKey;
  const clamp = (v: number) => Math.max(0, Math.min(size - 1, v));
  switch (event.key) {
    case 'ArrowLeft':
      return { row: at.row, col: clamp(at.col - 1) };
    case 'ArrowRight':
      return { row: at.row, col: clamp(at.col + 1) };
    case 'ArrowUp':
      return { row: clamp(at.row - 1), col: at.col };
    case 'ArrowDown':
      return { row: clamp(at.row + 1), col: at.col };
    case 'Home':
      return mod ? { row: 0, col: 0 } : { row: at.row, col: 0 };
    case 'End':
      return mod ? { row: size - 1, col: size - 1 } : { row: at.row, col: size - 1 };
    default:
      return null;
  }
}

/** What a key does in an image list (the cell's images, the likely-mislabeled list). */
export type ListKeyAction =
  /** Focus another item. */
  | { kind: 'move'; to: number }
  /** Take the model's suggestion (the mislabeled list). */
  | { kind: 'accept' }
  /** Relabel as the Nth label (1-based, labels:list order — the Dataset grid's digit keys). */
  | { kind: 'label'; n: number }
  | { kind: 'close' };

/**
 * The list keyboard: arrows (both axes, the lists wrap in rows) and Home/End move, 1–9 pick the Nth label,
 * Enter or A accept the suggestion where `accept` is on, Escape closes. Keys with Ctrl/Alt/Meta are left alone
 * (Ctrl+Z is the section's undo).
 */
export function listKeyAction(
  event: KeyLike,
  index: number,
  count: number,
  options: { accept: boolean },
): ListKeyAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey || count <= 0) return null;
  const at = Math.max(0, Math.min(count - 1, index));
  const key = event.key;
  if (key === 'ArrowDown' || key === 'ArrowRight') return { kind: 'move', to: Math.min(count - 1, at + 1) };
  if (key === 'ArrowUp' || key === 'ArrowLeft') return { kind: 'move', to: Math.max(0, at - 1) };
  if (key === 'Home') return { kind: 'move', to: 0 };
  if (key === 'End') return { kind: 'move', to: count - 1 };
  if (/^[1-9]$/.test(key)) return { kind: 'label', n: Number(key) };
  if (options.accept && (key === 'Enter' || key.toLowerCase() === 'a')) return { kind: 'accept' };
  if (key === 'Escape') return { kind: 'close' };
  return null;
}

/** Where focus goes in a list after the item at `index` left it (the next one takes its place). */
export function indexAfterRemoval(index: number, countAfter: number): number {
  if (countAfter <= 0) return -1;
  return Math.min(index, countAfter - 1);
}
