import { TargetIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';

/**
 * The Predict view's drop target: drop anywhere on the window while the view is open (the whole window listens),
 * this zone only shows where and lights up during a drag; or choose images / a folder, or paste an image.
 */
export function DropZone({
  dragging,
  compact,
  onChooseImages,
  onChooseFolder,
}: {
  dragging: boolean;
  compact: boolean;
  onChooseImages(): void;
  onChooseFolder(): void;
}) {
  const t = useT().predict;
  return (
    <section
      className={`pred-drop${dragging ? ' dragging' : ''}${compact ? ' compact' : ''}`}
      aria-label={t.drop.title}
      data-testid="predict-drop-zone"
    >
      <span className="pred-drop-icon" aria-hidden="true">
        <TargetIcon width={compact ? 20 : 30} height={compact ? 20 : 30} />
      </span>
      <div className="pred-drop-text">
        <strong>{dragging ? t.drop.active : t.drop.title}</strong>
        <span className="pred-muted">{t.drop.body}</span>
      </div>
      <div className="pred-drop-actions">
        <button type="button" className="button primary" onClick={onChooseImages}>
          {t.pickers.images}
        </button>
        <button type="button" className="button" onClick={onChooseFolder}>
          {t.pickers.folder}
        </button>
      </div>
    </section>
  );
}
