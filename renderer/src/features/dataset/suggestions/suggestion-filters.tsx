import type { ImageFilter, ImageSortKey, LabelInfo } from '../../../../../app/domain/dataset';
import { useT } from '../../../i18n/i18n';
import { activeQuickOrder, quickOrderQuery, type QuickOrder } from './suggestions-model';
import { useSuggestedCounts } from './use-suggestions';

/**
 * The label panel's suggestion filters: unlabeled images least or most confident first (each says why in its
 * tooltip), and the unlabeled images suggested as one label (with counts).
 */
export function SuggestionFilters({
  projectId,
  version,
  labels,
  filter,
  sort,
  descending,
  onQuery,
}: {
  projectId: string;
  /** Changes when the data or the suggestions do (the counts reload). */
  version: string;
  labels: LabelInfo[];
  filter: ImageFilter;
  sort: ImageSortKey;
  descending: boolean;
  onQuery(query: { filter: ImageFilter; sort?: ImageSortKey; descending?: boolean }): void;
}) {
  const t = useT();
  const tf = t.suggestions.filters;
  const counts = useSuggestedCounts(projectId, labels, version);
  const active = activeQuickOrder(filter, sort, descending);
  const orders: { order: QuickOrder; name: string; hint: string }[] = [
    { order: 'least-confident', name: tf.leastConfident, hint: tf.leastConfidentHint },
    { order: 'most-confident', name: tf.mostConfident, hint: tf.mostConfidentHint },
  ];
  const suggestedLabelId = filter.kind === 'suggested' ? filter.labelId : null;
  const offered = labels.filter((l) => (counts.get(l.id) ?? 0) > 0 || l.id === suggestedLabelId);
  return (
    <div className="suggestion-filters">
      <h3 className="panel-heading" id="suggestion-filters-heading">
        {tf.heading}
      </h3>
      <ul className="filter-list" aria-labelledby="suggestion-filters-heading">
        {orders.map(({ order, name, hint }) => (
          <li key={order}>
            <button
              type="button"
              className={`filter-item${active === order ? ' selected' : ''}`}
              aria-current={active === order ? 'true' : undefined}
              title={hint}
              onClick={() => onQuery(quickOrderQuery(order))}
            >
              <span className="suggestion-order-icon" aria-hidden="true">
                {order === 'least-confident' ? '?' : '✓'}
              </span>
              <span className="filter-name">{name}</span>
            </button>
          </li>
        ))}
      </ul>
      {offered.length > 0 && (
        <label className={`suggested-as${suggestedLabelId !== null ? ' selected' : ''}`}>
          <span>{tf.suggestedAs}</span>
          <select
            className="select"
            value={suggestedLabelId ?? ''}
            onChange={(e) => {
              const id = Number(e.target.value);
              onQuery({ filter: id ? { kind: 'suggested', labelId: id } : { kind: 'all' } });
            }}
          >
            <option value="">{tf.anyLabel}</option>
            {offered.map((l) => (
              <option key={l.id} value={l.id}>
                {tf.labelOption(l.name, counts.get(l.id) ?? 0)}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
