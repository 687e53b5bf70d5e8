import { useT } from '../../../i18n/i18n';
import { DIGIT_LABELS } from './grid-navigation';

/**
 * The keyboard hint under the grid. With more labels than the digit keys reach it adds how to reach the rest:
 * the picker's type-to-filter.
 */
export function ShortcutHint({ labelCount }: { labelCount: number }) {
  const t = useT();
  return (
    <p className="shortcuts muted">
      {t.dataset.shortcuts}
      {labelCount > DIGIT_LABELS && (
        <>
          {' · '}
          <span className="shortcuts-many">{t.dataset.shortcutsManyLabels(labelCount)}</span>
        </>
      )}
    </p>
  );
}
