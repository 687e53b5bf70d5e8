import { useT } from '../../../i18n/i18n';
import type { Notice } from './use-dataset-actions';

/** The section's notice (what just changed), with Undo when the change can be undone. */
export function NoticeToast({ notice, onUndo }: { notice: Notice | null; onUndo(): void }) {
  const t = useT();
  if (!notice) return null;
  return (
    <div className="toast" role="status">
      <span>{notice.text}</span>
      {notice.undo && (
        <button type="button" className="button small" onClick={onUndo}>
          {t.dataset.undo}
        </button>
      )}
    </div>
  );
}
