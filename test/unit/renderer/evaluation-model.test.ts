import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../app/domain/training';
import {
  cellTint,
  defaultSplit,
  evaluableRuns,
  indexAfterRemoval,
  isTraining,
  listKeyAction,
  matrixMove,
  pickRun,
  rowNormalized,
} from '../../../renderer/src/features/evaluate/evaluation-model';

function run(id: string, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    name: `run-${id}`,
    status: 'completed',
    preset: 'small',
    createdAt: '2026-11-27T10:00:00.000Z',
    startedAt: '2026-11-27T10:00:01.000Z',
    finishedAt: '2026-11-27T10:05:00.000Z',
    epochsPlanned: 2,
    epochsDone: 2,
    bestEpoch: 2,
    bestValAccuracy: 0.8,
    finalValAccuracy: 0.8,
    imagesPerSecond: 1000,
    failure: null,
    isModel: false,
    resumable: false,
    checkpointEpoch: 2,
    imported: null,
    ...over,
  };
}

describe('evaluate: which run', () => {
  const model = run('b', { isModel: true });
  const older = run('a');
  const failed = run('f', { status: 'failed', epochsDone: 0 });
  const stoppedEarly = run('s0', { status: 'stopped', epochsDone: 0 });
  const stopped = run('s1', { status: 'stopped', epochsDone: 1 });
  const running = run('r', { status: 'running', epochsDone: 1 });

  it('offers finished runs with weights only', () => {
    expect(evaluableRuns([running, model, older, failed, stoppedEarly, stopped]).map((r) => r.id)).toEqual([
      'b',
      'a',
      's1',
    ]);
  });

  it("defaults to the project's model and keeps a valid choice", () => {
    expect(pickRun([older, model], null)?.id).toBe('b');
    expect(pickRun([older, model], 'a')?.id).toBe('a');
    // A deleted or unusable choice falls back to the model.
    expect(pickRun([older, model], 'gone')?.id).toBe('b');
    expect(pickRun([older, model, failed], 'f')?.id).toBe('b');
    // No model: nothing to evaluate (the empty state), even with a running run.
    expect(pickRun([running, failed], null)).toBeNull();
    expect(pickRun([], null)).toBeNull();
  });

  it('knows when a run is training', () => {
    expect(isTraining([running])).toBe(true);
    expect(isTraining([run('q', { status: 'queued' })])).toBe(true);
    expect(isTraining([model, failed, stopped])).toBe(false);
  });
});

describe('evaluate: confusion matrix', () => {
  it('normalises each row to its share and leaves empty rows at zero', () => {
    expect(
      rowNormalized([
        [3, 1, 0],
        [0, 0, 0],
        [2, 2, 4],
      ]),
    ).toEqual([
      [0.75, 0.25, 0],
      [0, 0, 0],
      [0.25, 0.25, 0.5],
    ]);
  });

  it('tints empty cells not at all, any mistake visibly, and grows with the share', () => {
    expect(cellTint(0)).toBe(0);
    expect(cellTint(Number.NaN)).toBe(0);
    expect(cellTint(0.001)).toBeGreaterThanOrEqual(8);
    expect(cellTint(0.5)).toBeLessThan(cellTint(0.9));
    expect(cellTint(1)).toBe(90);
    expect(cellTint(2)).toBe(90);
  });

  it('moves with arrows, Home/End and Ctrl+Home/End, clamped to the matrix', () => {
    const at = { row: 1, col: 1 };
    expect(matrixMove({ key: 'ArrowRight' }, at, 3)).toEqual({ row: 1, col: 2 });
    expect(matrixMove({ key: 'ArrowRight' }, { row: 1, col: 2 }, 3)).toEqual({ row: 1, col: 2 });
    expect(matrixMove({ key: 'ArrowLeft' }, { row: 1, col: 0 }, 3)).toEqual({ row: 1, col: 0 });
    expect(matrixMove({ key: 'ArrowUp' }, at, 3)).toEqual({ row: 0, col: 1 });
    expect(matrixMove({ key: 'ArrowDown' }, { row: 2, col: 1 }, 3)).toEqual({ row: 2, col: 1 });
    expect(matrixMove({ key: 'Home' }, at, 3)).toEqual({ row: 1, col: 0 });
    expect(matrixMove({ key: 'End' }, at, 3)).toEqual({ row: 1, col: 2 });
    expect(matrixMove({ key: 'Home', ctrlKey: true }, at, 3)).toEqual({ row: 0, col: 0 });
    expect(matrixMove({ key: 'End', metaKey: true }, at, 3)).toEqual({ row: 2, col: 2 });
    expect(matrixMove({ key: 'Enter' }, at, 3)).toBeNull();
    expect(matrixMove({ key: 'ArrowUp', altKey: true }, at, 3)).toBeNull();
  });
});

describe('evaluate: image list keys', () => {
  const mislabeled = { accept: true };
  const cell = { accept: false };

  it('moves with arrows and Home/End, clamped', () => {
    expect(listKeyAction({ key: 'ArrowDown' }, 0, 3, cell)).toEqual({ kind: 'move', to: 1 });
    expect(listKeyAction({ key: 'ArrowRight' }, 2, 3, cell)).toEqual({ kind: 'move', to: 2 });
    expect(listKeyAction({ key: 'ArrowUp' }, 0, 3, cell)).toEqual({ kind: 'move', to: 0 });
    expect(listKeyAction({ key: 'ArrowLeft' }, 2, 3, cell)).toEqual({ kind: 'move', to: 1 });
    expect(listKeyAction({ key: 'End' }, 0, 3, cell)).toEqual({ kind: 'move', to: 2 });
    expect(listKeyAction({ key: 'Home' }, 2, 3, cell)).toEqual({ kind: 'move', to: 0 });
  });

  it('digits 1–9 pick the Nth label; 0 and other keys do nothing', () => {
    expect(listKeyAction({ key: '1' }, 0, 3, cell)).toEqual({ kind: 'label', n: 1 });
    expect(listKeyAction({ key: '9' }, 0, 3, mislabeled)).toEqual({ kind: 'label', n: 9 });
    expect(listKeyAction({ key: '0' }, 0, 3, cell)).toBeNull();
    expect(listKeyAction({ key: 'x' }, 0, 3, cell)).toBeNull();
  });

  it('Enter and A accept the suggestion only in the mislabeled list', () => {
    expect(listKeyAction({ key: 'Enter' }, 0, 3, mislabeled)).toEqual({ kind: 'accept' });
    expect(listKeyAction({ key: 'a' }, 0, 3, mislabeled)).toEqual({ kind: 'accept' });
    expect(listKeyAction({ key: 'A', shiftKey: true }, 0, 3, mislabeled)).toEqual({ kind: 'accept' });
    expect(listKeyAction({ key: 'Enter' }, 0, 3, cell)).toBeNull();
    expect(listKeyAction({ key: 'a' }, 0, 3, cell)).toBeNull();
  });

  it('leaves modified keys (Ctrl+Z is undo) and empty lists alone; Escape closes', () => {
    expect(listKeyAction({ key: 'z', ctrlKey: true }, 0, 3, mislabeled)).toBeNull();
    expect(listKeyAction({ key: 'a', metaKey: true }, 0, 3, mislabeled)).toBeNull();
    expect(listKeyAction({ key: '1', altKey: true }, 0, 3, mislabeled)).toBeNull();
    expect(listKeyAction({ key: 'ArrowDown' }, 0, 0, mislabeled)).toBeNull();
    expect(listKeyAction({ key: 'Escape' }, 1, 3, cell)).toEqual({ kind: 'close' });
  });

  it('after a removal, focus stays on the same place (the next item), or the new last one', () => {
    expect(indexAfterRemoval(0, 4)).toBe(0);
    expect(indexAfterRemoval(2, 4)).toBe(2);
    expect(indexAfterRemoval(4, 4)).toBe(3);
    expect(indexAfterRemoval(0, 0)).toBe(-1);
  });
});

describe('evaluate: first split', () => {
  it('shows validation, else test, else train', () => {
    expect(defaultSplit({ train: 80, val: 10, test: 10 })).toBe('val');
    // Imported as train/test folders: no validation images.
    expect(defaultSplit({ train: 500, val: 0, test: 200 })).toBe('test');
    expect(defaultSplit({ train: 5, val: 0, test: 0 })).toBe('train');
    expect(defaultSplit({})).toBe('val');
  });
});
