import type { ActionDescription } from '../../../../../app/domain/dataset';
import type { Messages } from '../../../i18n/en';

/** Every action kind the page words ('other' is shown as main's text). */
export const ACTION_KINDS = Object.keys({
  label: 1,
  'accept-suggestions': 1,
  remove: 1,
  restore: 1,
  split: 1,
  'create-label': 1,
  'rename-label': 1,
  'recolor-label': 1,
  'merge-labels': 1,
  'delete-label': 1,
  other: 1,
} satisfies Record<ActionDescription['kind'], 1>) as ActionDescription['kind'][];

/**
 * What an undoable action did, in the user's language: "Labeled 3 images “Bag”" / "已将 3 张图像标注为“Bag”".
 * Used by the undo/redo toasts (`t.dataset.undone(wordAction(t, v.undoneAction))`) and tooltips.
 */
export function wordAction(t: Messages, action: ActionDescription): string {
  const w = t.wording.action;
  switch (action.kind) {
    case 'label':
      return action.label === null ? w.unlabel(action.count) : w.label(action.count, action.label);
    case 'accept-suggestions':
      return w['accept-suggestions'](action.count);
    case 'remove':
      return w.remove(action.count);
    case 'restore':
      return w.restore(action.count);
    case 'split':
      return action.split === null
        ? w.autoSplit(action.count)
        : w.split(action.count, t.dataset.splits[action.split]);
    case 'create-label':
      return w['create-label'](action.label);
    case 'rename-label':
      return w['rename-label'](action.from, action.to);
    case 'recolor-label':
      return w['recolor-label'](action.label);
    case 'merge-labels':
      return w['merge-labels'](
        action.sources.map((s) => t.wording.quote(s)).join(t.wording.listSeparator),
        action.target,
        action.count,
      );
    case 'delete-label':
      return w['delete-label'](action.label, action.count);
    case 'other':
      return action.text;
  }
}

/** The undo/redo tooltip: worded from the action when main sent one, else main's text, else "Nothing to …". */
export function undoTooltip(
  t: Messages,
  which: 'undo' | 'redo',
  action: ActionDescription | null | undefined,
  legacy?: string | null,
): string {
  const what = action ? wordAction(t, action) : legacy;
  if (which === 'undo') return what ? t.dataset.undoWhat(what) : t.dataset.nothingToUndo;
  return what ? t.dataset.redoWhat(what) : t.dataset.nothingToRedo;
}
