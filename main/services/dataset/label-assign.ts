import type { ActionDescription, LabelChangeCause } from '../../../app/domain/dataset';
import { type Db, writeTransaction } from '../../db/open-database';
import { recordAction } from './actions';
import { existingImageRows } from './image-queries';
import { labelRow, relabelOps } from './label-ops';

/**
 * Setting the label of images: each call is ONE undoable action that also resolves the images' label conflicts.
 * The facade (DatasetService) emits `dataset:changed` after them.
 */

/** Sets (or clears, with null) the label of many images; answers how many changed. */
export function assignLabel(db: Db, imageIds: number[], labelId: number | null, now: string): number {
  return writeTransaction(db, () => {
    const name = labelId === null ? null : labelRow(db, labelId).name;
    const rows = existingImageRows(db, imageIds).filter((r) => r.labelId !== labelId || r.conflict !== null);
    if (rows.length === 0) return 0;
    const ops = relabelOps(rows, () => labelId);
    recordAction(db, { kind: 'label', count: rows.length, label: name }, ops, now);
    return rows.length;
  })();
}

export interface AssignEachOptions {
  /** Legacy English description (suggestions pass one); the action is logged as data from `cause`. */
  description: (changed: number) => string;
  cause: LabelChangeCause;
  unlabeledOnly?: boolean;
}

/**
 * Gives each image its own label as ONE undoable action. With `unlabeledOnly`, images that are labeled or removed
 * by now are left alone. Answers the ids of the images changed; none changed: no action is recorded.
 */
export function assignEach(
  db: Db,
  pairs: { imageId: number; labelId: number }[],
  options: AssignEachOptions,
  now: string,
): number[] {
  const target = new Map(pairs.map((p) => [p.imageId, p.labelId]));
  return writeTransaction(db, () => {
    for (const labelId of new Set(target.values())) labelRow(db, labelId);
    const rows = existingImageRows(db, [...target.keys()]).filter(
      (r) =>
        (!options.unlabeledOnly || (r.labelId === null && r.removedAt === null)) &&
        (r.labelId !== target.get(r.id) || r.conflict !== null),
    );
    if (rows.length === 0) return [];
    const ops = relabelOps(rows, (id) => target.get(id) as number);
    const action: ActionDescription =
      options.cause === 'suggestion'
        ? { kind: 'accept-suggestions', count: rows.length }
        : { kind: 'other', text: options.description(rows.length) };
    recordAction(db, action, ops, now, options.cause);
    return rows.map((r) => r.id);
  })();
}
