import type { SplitName } from '../../../../../app/domain/dataset';
import { SPLIT_NAMES } from '../../../../../app/domain/dataset';
import { useT } from '../../../i18n/i18n';
import './selection-bar.css';

/**
 * The bar above the grid: the image count, or with a selection its size and what to do with it (label, unlabel,
 * move to a split, remove or restore, clear).
 */
export function SelectionBar({
  selected,
  total,
  restoring,
  onPick,
  onUnlabel,
  onMoveToSplit,
  onRemoveOrRestore,
  onClear,
}: {
  selected: number;
  total: number;
  /** The Removed filter is on: the bar restores instead of labeling and removing. */
  restoring: boolean;
  onPick(): void;
  onUnlabel(): void;
  onMoveToSplit(split: SplitName | null): void;
  onRemoveOrRestore(): void;
  onClear(): void;
}) {
  const t = useT();
  return (
    <div className={`selection-bar${selected > 0 ? ' active' : ''}`}>
      <span className="selection-count" role="status">
        {selected > 0 ? t.dataset.selected(selected) : t.dataset.count(total)}
      </span>
      {selected > 0 && (
        <>
          {!restoring && (
            <>
              <button type="button" className="button small" onClick={onPick}>
                {t.dataset.labelAs}
              </button>
              <button type="button" className="button small" onClick={onUnlabel}>
                {t.dataset.unlabel}
              </button>
              <select
                className="select"
                value=""
                aria-label={t.dataset.moveToSplit}
                onChange={(e) => {
                  const v = e.target.value;
                  if (v) onMoveToSplit(v === 'auto' ? null : (v as SplitName));
                }}
              >
                <option value="">{t.dataset.moveToSplit}…</option>
                {SPLIT_NAMES.map((s) => (
                  <option key={s} value={s}>
                    {t.dataset.splits[s]}
                  </option>
                ))}
                <option value="auto">{t.dataset.autoSplit}</option>
              </select>
            </>
          )}
          <button type="button" className="button small" onClick={onRemoveOrRestore}>
            {restoring ? t.dataset.restore : t.dataset.remove}
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={t.dataset.clearSelection}
            title={t.dataset.clearSelection}
            onClick={onClear}
          >
            ×
          </button>
        </>
      )}
    </div>
  );
}
