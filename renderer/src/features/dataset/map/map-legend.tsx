import type { LabelInfo } from '../../../../../app/domain/dataset';
import { useLocale } from '../../../i18n/i18n';

/** The labels with their colours and how many points carry each, plus the unlabeled, suggestion and mislabel marks. */
export function MapLegend({
  labels,
  counts,
  suggested,
  mislabeled,
  showMislabeled,
}: {
  labels: LabelInfo[];
  /** Points per label id (0: unlabeled). */
  counts: ReadonlyMap<number, number>;
  suggested: number;
  mislabeled: number;
  showMislabeled: boolean;
}) {
  const { locale, messages } = useLocale();
  const t = messages.datasetMap.legend;
  const number = new Intl.NumberFormat(locale);
  const unlabeled = counts.get(0) ?? 0;
  return (
    <ul className="map-legend" aria-label={t.label}>
      {labels.map((label) => (
        <li key={label.id}>
          <span className="map-swatch" style={{ background: label.color }} aria-hidden="true" />
          <span className="map-legend-name">{label.name}</span>
          <span className="map-legend-count">{number.format(counts.get(label.id) ?? 0)}</span>
        </li>
      ))}
      {unlabeled > 0 && (
        <li>
          <span className="map-swatch unlabeled" aria-hidden="true" />
          <span className="map-legend-name">{t.unlabeled}</span>
          <span className="map-legend-count">{number.format(unlabeled)}</span>
        </li>
      )}
      {suggested > 0 && (
        <li>
          <span className="map-swatch ring" aria-hidden="true" />
          <span className="map-legend-name">{t.suggested}</span>
          <span className="map-legend-count">{number.format(suggested)}</span>
        </li>
      )}
      {showMislabeled && mislabeled > 0 && (
        <li>
          <span className="map-swatch mislabeled" aria-hidden="true" />
          <span className="map-legend-name">{t.mislabeled}</span>
          <span className="map-legend-count">{number.format(mislabeled)}</span>
        </li>
      )}
    </ul>
  );
}
