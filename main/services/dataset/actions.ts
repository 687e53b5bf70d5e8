import type { ActionDescription, LabelChangeCause, UndoState } from '../../../app/domain/dataset';
import { actionText } from '../../cli/dataset-text';
import { type Db, writeTransaction } from '../../db/open-database';

/** A label row as the action log stores it. */
export interface LabelRow {
  id: number;
  name: string;
  color: string;
  created_at: string;
}

/** One reversible change; an action is a list of them, undone in reverse order. */
export type Op =
  | { t: 'label'; ids: number[]; before: (number | null)[]; after: (number | null)[] }
  | { t: 'conflict'; ids: number[]; before: (string | null)[]; after: (string | null)[] }
  | { t: 'removed'; ids: number[]; before: (string | null)[]; after: (string | null)[] }
  | {
      t: 'split';
      ids: number[];
      before: [string | null, string | null][];
      after: [string | null, string | null][];
    }
  | { t: 'labelRow'; before: LabelRow | null; after: LabelRow | null };

/** Actions kept for undo; older ones are forgotten. */
const MAX_ACTIONS = 500;

/** Applies ops forward (`after`) or backward (`before`, in reverse order). Call inside a transaction. */
export function applyOps(
  db: Db,
  ops: Op[],
  direction: 'forward' | 'backward',
  cause: LabelChangeCause,
  now: string,
): void {
  const list = direction === 'forward' ? ops : [...ops].reverse();
  const setLabel = db.prepare('UPDATE images SET label_id = ? WHERE id = ?');
  const history = db.prepare('INSERT INTO label_history (image_id, label, cause, at) VALUES (?, ?, ?, ?)');
  const nameOf = db.prepare('SELECT name FROM labels WHERE id = ?').pluck();
  const setConflict = db.prepare('UPDATE images SET conflict = ? WHERE id = ?');
  const setRemoved = db.prepare('UPDATE images SET removed_at = ? WHERE id = ?');
  const setSplit = db.prepare('UPDATE images SET split = ?, split_source = ? WHERE id = ?');
  for (const op of list) {
    const values =
      direction === 'forward' ? (op as { after: unknown }).after : (op as { before: unknown }).before;
    switch (op.t) {
      case 'label': {
        const v = values as (number | null)[];
        const names = new Map<number, string>();
        op.ids.forEach((id, i) => {
          const labelId = v[i];
          setLabel.run(labelId, id);
          let name: string | null = null;
          if (labelId !== null) {
            if (!names.has(labelId)) names.set(labelId, (nameOf.get(labelId) as string | undefined) ?? '?');
            name = names.get(labelId)!;
          }
          history.run(id, name, cause, now);
        });
        break;
      }
      case 'conflict':
        op.ids.forEach((id, i) => setConflict.run((values as (string | null)[])[i], id));
        break;
      case 'removed':
        op.ids.forEach((id, i) => setRemoved.run((values as (string | null)[])[i], id));
        break;
      case 'split':
        op.ids.forEach((id, i) => {
          const [split, source] = (values as [string | null, string | null][])[i];
          setSplit.run(split, source, id);
        });
        break;
      case 'labelRow': {
        const row = values as LabelRow | null;
        const other = (direction === 'forward' ? op.before : op.after) as LabelRow | null;
        if (row === null) {
          db.prepare('DELETE FROM labels WHERE id = ?').run(other!.id);
        } else if (other === null) {
          db.prepare('INSERT INTO labels (id, name, color, created_at) VALUES (?, ?, ?, ?)').run(
            row.id,
            row.name,
            row.color,
            row.created_at,
          );
        } else {
          db.prepare('UPDATE labels SET name = ?, color = ? WHERE id = ?').run(row.name, row.color, row.id);
        }
        break;
      }
    }
  }
}

/**
 * The action log's `description` column holds the ActionDescription as JSON; rows written before it was data
 * hold an English sentence, answered as `{kind: 'other', text}`.
 */
export function parseActionDescription(stored: string): ActionDescription {
  if (stored.startsWith('{')) {
    try {
      const value = JSON.parse(stored) as ActionDescription;
      if (typeof value?.kind === 'string') return value;
    } catch {
      // An English description that happens to start with a brace: fall through.
    }
  }
  return { kind: 'other', text: stored };
}

/**
 * Applies a new action and records it (discarding the redo stack). Call inside a transaction. `cause` goes into
 * the label history of the images it relabels.
 */
export function recordAction(
  db: Db,
  description: ActionDescription,
  ops: Op[],
  now: string,
  cause: LabelChangeCause = 'label',
): void {
  applyOps(db, ops, 'forward', cause, now);
  db.prepare('DELETE FROM actions WHERE undone = 1').run();
  db.prepare('INSERT INTO actions (description, ops, at) VALUES (?, ?, ?)').run(
    JSON.stringify(description),
    JSON.stringify(ops),
    now,
  );
  db.prepare('DELETE FROM actions WHERE id <= (SELECT MAX(id) FROM actions) - ?').run(MAX_ACTIONS);
}

/** Undoes or redoes one logged action; returns its description, or null when there is none. */
function replay(db: Db, direction: 'undo' | 'redo', now: string): ActionDescription | null {
  return writeTransaction(db, () => {
    const row = db
      .prepare(
        direction === 'undo'
          ? 'SELECT id, description, ops FROM actions WHERE undone = 0 ORDER BY id DESC LIMIT 1'
          : 'SELECT id, description, ops FROM actions WHERE undone = 1 ORDER BY id ASC LIMIT 1',
      )
      .get() as { id: number; description: string; ops: string } | undefined;
    if (!row) return null;
    const ops = JSON.parse(row.ops) as Op[];
    applyOps(db, ops, direction === 'undo' ? 'backward' : 'forward', direction, now);
    db.prepare('UPDATE actions SET undone = ? WHERE id = ?').run(direction === 'undo' ? 1 : 0, row.id);
    return parseActionDescription(row.description);
  })();
}

/** Undoes the latest action; returns its description, or null when there is nothing to undo. */
export function undo(db: Db, now: string): ActionDescription | null {
  return replay(db, 'undo', now);
}

/** Redoes the most recently undone action; returns its description, or null. */
export function redo(db: Db, now: string): ActionDescription | null {
  return replay(db, 'redo', now);
}

export function undoState(db: Db): UndoState {
  const u = db
    .prepare('SELECT description FROM actions WHERE undone = 0 ORDER BY id DESC LIMIT 1')
    .pluck()
    .get() as string | undefined;
  const r = db
    .prepare('SELECT description FROM actions WHERE undone = 1 ORDER BY id ASC LIMIT 1')
    .pluck()
    .get() as string | undefined;
  const undoAction = u === undefined ? null : parseActionDescription(u);
  const redoAction = r === undefined ? null : parseActionDescription(r);
  return {
    canUndo: undoAction !== null,
    canRedo: redoAction !== null,
    undoDescription: undoAction && actionText(undoAction),
    redoDescription: redoAction && actionText(redoAction),
    undoAction,
    redoAction,
  };
}
