import { useT } from '../../../i18n/i18n';
import { DIGIT_LABELS } from './grid-navigation';

/**
 * The keyboard hint under the grid. With more labels than the digit keys reach it adds how to reach the rest:
 * the picker's type-to-filter.
 */
export function ShortcutHint({ labelCount }: { labelCount: number }) {
  const t = useT();
  const many = labelCount > DIGIT_LABELS ? t.dataset.shortcutsManyLabels(labelCount) : null;
  // The labels beyond the keys come first: on a narrow window the hint is cut to one line from the end.
  const text = many ? `${many} · ${t.dataset.shortcuts}` : t.dataset.shortcuts;
  return (
    <p className="shortcuts muted" title={text}>
      {text}
    </p>
  );
}
