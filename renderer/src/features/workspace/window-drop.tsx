import { useId } from 'react';
import { Dialog } from '../../components/dialog';
import { TargetIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { pathsForDrop, useWindowDrop } from '../dataset/drop';

/**
 * Listens for files and folders dropped on the window (mounted in the sections that have no drop of their own)
 * and hands their local paths on, with the drop's time; shows where a drop goes while dragging.
 */
export function WindowDrop({ onDropped }: { onDropped(paths: string[], at: number): void }) {
  const t = useT().predict.windowDrop;
  const dragging = useWindowDrop((files, at) => {
    void pathsForDrop(files).then((paths) => {
      if (paths.length > 0) onDropped(paths, at);
    });
  });
  if (!dragging) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-box">
        <TargetIcon width={32} height={32} />
        <span>{t.overlay}</span>
      </div>
    </div>
  );
}

/** "Predict these N items" or "Import into the dataset": what a window drop outside Dataset and Predict does. */
export function DropChoiceDialog({
  count,
  onPredict,
  onImport,
  onClose,
}: {
  count: number | null;
  onPredict(): void;
  onImport(): void;
  onClose(): void;
}) {
  const t = useT().predict.windowDrop;
  const bodyId = useId();
  return (
    <Dialog open={count !== null} title={t.title(count ?? 0)} onClose={onClose} describedBy={bodyId}>
      <p id={bodyId} className="dialog-text">
        {t.body}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {t.cancel}
        </button>
        <button type="button" className="button" onClick={onImport}>
          {t.import}
        </button>
        <button type="button" className="button primary" onClick={onPredict} autoFocus>
          {t.predict(count ?? 0)}
        </button>
      </div>
    </Dialog>
  );
}
