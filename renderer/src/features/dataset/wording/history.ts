import type { LabelChangeCause } from '../../../../../app/domain/dataset';
import type { Messages } from '../../../i18n/en';

/** Every label-history cause the page words. */
export const LABEL_CHANGE_CAUSES = Object.keys({
  import: 1,
  label: 1,
  suggestion: 1,
  'merge-labels': 1,
  'delete-label': 1,
  undo: 1,
  redo: 1,
  other: 1,
} satisfies Record<LabelChangeCause, 1>) as LabelChangeCause[];

/** Why a label changed, in the user's language; a cause this page does not know is worded as 'other'. */
export function wordCause(t: Messages, cause: LabelChangeCause | string): string {
  const w = t.wording.cause;
  return Object.prototype.hasOwnProperty.call(w, cause) ? w[cause as LabelChangeCause] : w.other;
}
