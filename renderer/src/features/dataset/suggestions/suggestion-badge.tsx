import type { CSSProperties } from 'react';
import { useT } from '../../../i18n/i18n';
import type { CellSuggestion } from './suggestions-model';
import './suggestions.css';

/**
 * A suggested label in a grid cell: a hollow, dashed badge in the label's colour with the name in italics and the
 * confidence, so it never reads as a real label (a solid dot and upright bold name). The cell's accessible name
 * carries the same words.
 */
export function SuggestionBadge({ suggestion }: { suggestion: CellSuggestion }) {
  const t = useT();
  const style = suggestion.color ? ({ '--suggestion-color': suggestion.color } as CSSProperties) : undefined;
  return (
    <span className="suggestion-badge" style={style} aria-hidden="true">
      <span className="suggestion-name">{suggestion.label}</span>
      <span className="suggestion-confidence">{t.suggestions.percent(suggestion.percent)}</span>
    </span>
  );
}
