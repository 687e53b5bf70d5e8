import type { LabelInfo } from '../../../app/domain/dataset';
import { hiddenCharacter } from '../../../app/domain/name-characters';
import { AppFailure } from '../../../app/ipc/result';
import { type Db, writeTransaction } from '../../db/open-database';
import { recordAction, type LabelRow, type Op } from './actions';
import type { ImageStateRow } from './image-queries';
import { LABEL_NAME_MAX, nextLabelColor } from './labels';

/**
 * Label operations with their validation: each change of a label row is one undoable action in the action log.
 * The facade (DatasetService) emits `dataset:changed` after them. Palette, ensureLabel and class order: labels.ts.
 */

/** Validates a label name: trimmed, 1–100 characters, no control characters or slashes. */
export function validateLabelName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  if (name.length === 0)
    throw new AppFailure('invalid-name', 'A label name cannot be empty.', { code: 'label-name-empty' });
  if (name.length > LABEL_NAME_MAX)
    throw new AppFailure('invalid-name', `A label name has at most ${LABEL_NAME_MAX} characters.`, {
      code: 'label-name-too-long',
      max: LABEL_NAME_MAX,
    });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f/\\]/.test(name))
    throw new AppFailure('invalid-name', 'A label name cannot contain control characters or slashes.', {
      code: 'label-name-chars',
    });
  const hidden = hiddenCharacter(name); // display spoofing: app/domain/name-characters.ts
  if (hidden)
    throw new AppFailure(
      'invalid-name',
      `A label name cannot contain ${hidden} (invisible or text direction).`,
      {
        code: 'label-name-hidden-char',
        char: hidden,
      },
    );
  return name;
}

/** Every label with its image count; `index` = class index (creation order). */
export function listLabels(db: Db): LabelInfo[] {
  const rows = db
    .prepare(
      `SELECT l.id, l.name, l.color, l.created_at AS createdAt,
         (SELECT COUNT(*) FROM images i WHERE i.label_id = l.id AND i.removed_at IS NULL) AS imageCount
       FROM labels l ORDER BY l.id`,
    )
    .all() as Omit<LabelInfo, 'index'>[];
  return rows.map((r, index) => ({ ...r, index }));
}

/** A label's row as the action log stores it; unknown id: not-found. */
export function labelRow(db: Db, labelId: number): LabelRow {
  const row = db.prepare('SELECT id, name, color, created_at FROM labels WHERE id = ?').get(labelId) as
    LabelRow | undefined;
  if (!row) throw new AppFailure('not-found', `No label ${labelId}.`, { code: 'label-missing', labelId });
  return row;
}

/** Label names are unique (case-insensitively, by the column's collation). */
function assertLabelFree(db: Db, name: string, exceptId?: number): void {
  const other = db.prepare('SELECT id FROM labels WHERE name = ?').pluck().get(name) as number | undefined;
  if (other !== undefined && other !== exceptId)
    throw new AppFailure('conflict', `A label named ${JSON.stringify(name)} already exists.`, {
      code: 'label-exists',
      name,
    });
}

export function labelInfo(db: Db, labelId: number): LabelInfo {
  const found = listLabels(db).find((l) => l.id === labelId);
  if (!found) throw new AppFailure('not-found', `No label ${labelId}.`, { code: 'label-missing', labelId });
  return found;
}

/** Creates a label (undoable); answers its id. */
export function createLabel(db: Db, rawName: string, color: string | undefined, now: string): number {
  const name = validateLabelName(rawName);
  return writeTransaction(db, () => {
    assertLabelFree(db, name);
    const row: LabelRow = {
      id: db.prepare('SELECT COALESCE(MAX(id), 0) + 1 FROM labels').pluck().get() as number,
      name,
      color: color ?? nextLabelColor(db),
      created_at: now,
    };
    recordAction(
      db,
      { kind: 'create-label', label: name },
      [{ t: 'labelRow', before: null, after: row }],
      row.created_at,
    );
    return row.id;
  })();
}

export function renameLabel(db: Db, labelId: number, rawName: string, now: string): void {
  const name = validateLabelName(rawName);
  writeTransaction(db, () => {
    const before = labelRow(db, labelId);
    assertLabelFree(db, name, labelId);
    if (before.name === name) return;
    recordAction(
      db,
      { kind: 'rename-label', from: before.name, to: name },
      [{ t: 'labelRow', before, after: { ...before, name } }],
      now,
    );
  })();
}

export function setLabelColor(db: Db, labelId: number, color: string, now: string): void {
  writeTransaction(db, () => {
    const before = labelRow(db, labelId);
    recordAction(
      db,
      { kind: 'recolor-label', label: before.name },
      [{ t: 'labelRow', before, after: { ...before, color } }],
      now,
    );
  })();
}

/** Moves every image of the source labels to the target, then deletes the sources (one undoable action). */
export function mergeLabels(db: Db, sourceIds: number[], targetId: number, now: string): void {
  writeTransaction(db, () => {
    const target = labelRow(db, targetId);
    const sources = [...new Set(sourceIds)].filter((id) => id !== targetId).map((id) => labelRow(db, id));
    if (sources.length === 0)
      throw new AppFailure('invalid-payload', 'Merge needs at least one label other than the target.', {
        code: 'merge-needs-source',
      });
    const rows = db
      .prepare(`SELECT id, label_id FROM images WHERE label_id IN (${sources.map(() => '?').join(',')})`)
      .raw()
      .all(...sources.map((s) => s.id)) as [number, number][];
    const ops: Op[] = [
      {
        t: 'label',
        ids: rows.map((r) => r[0]),
        before: rows.map((r) => r[1]),
        after: rows.map(() => targetId),
      },
      ...sources.map((s): Op => ({ t: 'labelRow', before: s, after: null })),
    ];
    recordAction(
      db,
      {
        kind: 'merge-labels',
        sources: sources.map((s) => s.name),
        target: target.name,
        count: rows.length,
      },
      ops,
      now,
      'merge-labels',
    );
  })();
}

/** Deletes a label; its images become unlabeled (undoable). Answers how many images it had. */
export function deleteLabel(db: Db, labelId: number, now: string): number {
  return writeTransaction(db, () => {
    const row = labelRow(db, labelId);
    const ids = db.prepare('SELECT id FROM images WHERE label_id = ?').pluck().all(labelId) as number[];
    const ops: Op[] = [
      { t: 'label', ids, before: ids.map(() => labelId), after: ids.map(() => null) },
      { t: 'labelRow', before: row, after: null },
    ];
    recordAction(db, { kind: 'delete-label', label: row.name, count: ids.length }, ops, now, 'delete-label');
    return ids.length;
  })();
}

/**
 * The undoable ops that give each image its target label and resolve its label conflict (choosing a label is the
 * answer to "imported under more than one label"); images already carrying their target only lose the conflict.
 */
export function relabelOps(rows: ImageStateRow[], targetOf: (imageId: number) => number | null): Op[] {
  const relabel = rows.filter((r) => r.labelId !== targetOf(r.id));
  const conflicted = rows.filter((r) => r.conflict !== null);
  const ops: Op[] = [];
  if (relabel.length)
    ops.push({
      t: 'label',
      ids: relabel.map((r) => r.id),
      before: relabel.map((r) => r.labelId),
      after: relabel.map((r) => targetOf(r.id)),
    });
  if (conflicted.length)
    ops.push({
      t: 'conflict',
      ids: conflicted.map((r) => r.id),
      before: conflicted.map((r) => r.conflict),
      after: conflicted.map(() => null),
    });
  return ops;
}
