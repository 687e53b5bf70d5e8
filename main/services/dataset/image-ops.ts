import type { SplitName, SplitRatios } from '../../../app/domain/dataset';
import { type Db, writeTransaction } from '../../db/open-database';
import { recordAction, type Op } from './actions';
import { existingImageRows } from './image-queries';
import { applySplitSettings, fillSplits, getSplitSettings, normaliseRatios, reshuffleSplits } from './splits';

/**
 * Undoable changes of images that are not labels: the bin (remove/restore) and splits (automatic and manual).
 * The facade (DatasetService) emits `dataset:changed` after them.
 */

/** Moves images to the bin (`remove`) or back; answers how many changed. */
export function setRemoved(db: Db, imageIds: number[], remove: boolean, now: string): number {
  return writeTransaction(db, () => {
    const rows = existingImageRows(db, imageIds).filter((r) => (r.removedAt !== null) !== remove);
    if (rows.length === 0) return 0;
    const op: Op = {
      t: 'removed',
      ids: rows.map((r) => r.id),
      before: rows.map((r) => r.removedAt),
      after: rows.map(() => (remove ? now : null)),
    };
    recordAction(db, { kind: remove ? 'remove' : 'restore', count: rows.length }, [op], now);
    fillSplits(db);
    return rows.length;
  })();
}

/**
 * `fill`: give images without a split one (stable; new ratios/seed apply to those only); `reshuffle`: recompute
 * every automatic split with the (new) ratios and seed; `all`: like reshuffle but also replaces folder splits.
 */
export function splitImages(
  db: Db,
  input: { ratios?: SplitRatios; seed?: number; mode: 'fill' | 'reshuffle' | 'all' },
): void {
  writeTransaction(db, () => {
    const current = getSplitSettings(db);
    const settings = {
      ratios: input.ratios ? normaliseRatios(input.ratios) : current.ratios,
      seed: input.seed ?? current.seed,
    };
    if (input.mode === 'fill') {
      // Never moves an assigned image: new ratios/seed apply to images without a split.
      applySplitSettings(db, settings);
      fillSplits(db);
    } else {
      reshuffleSplits(db, settings, input.mode === 'all');
    }
  })();
}

/** Manual split override for many images; null gives them back to the automatic assignment. */
export function setManualSplit(db: Db, imageIds: number[], split: SplitName | null, now: string): number {
  return writeTransaction(db, () => {
    const rows = existingImageRows(db, imageIds).filter((r) =>
      split === null ? r.splitSource === 'manual' : r.split !== split || r.splitSource !== 'manual',
    );
    if (rows.length === 0) return 0;
    const op: Op = {
      t: 'split',
      ids: rows.map((r) => r.id),
      before: rows.map((r) => [r.split, r.splitSource]),
      after: rows.map(() => (split === null ? [null, null] : [split, 'manual'])),
    };
    recordAction(db, { kind: 'split', count: rows.length, split }, [op], now);
    fillSplits(db);
    return rows.length;
  })();
}
