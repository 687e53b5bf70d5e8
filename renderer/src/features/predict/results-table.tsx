import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { LabelInfo } from '../../../../app/domain/dataset';
import { useT } from '../../i18n/i18n';
import { useNumberFormats } from '../evaluate/use-evaluation';
import { FeedbackControl } from './feedback-control';
import { nextSort, sortItems, type PredictedItem, type SortKey, type SortState } from './predict-model';
import type { Feedback } from './use-feedback';
import { ProbabilityTrack } from '../../components/class-bars';

const ROW_HEIGHT = 38;

/**
 * The predicted images of a batch as a virtualised table (10,000 rows stay smooth): file, predicted class,
 * confidence, the next classes and feedback. The File, Predicted class and Confidence headers sort.
 */
export function ResultsTable({
  items,
  labels,
  feedback,
  onFeedback,
}: {
  items: readonly PredictedItem[];
  labels: readonly LabelInfo[];
  feedback: ReadonlyMap<string, Feedback>;
  onFeedback(file: string, label: string): void;
}) {
  const t = useT().predict.table;
  const { percent } = useNumberFormats();
  const [sort, setSort] = useState<SortState>({ key: 'index', descending: false });
  const rows = useMemo(() => sortItems(items, sort), [items, sort]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render on purpose
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  const header = (key: SortKey, text: string) => {
    const active = sort.key === key;
    return (
      <div
        role="columnheader"
        className={`pred-th pred-col-${key}`}
        aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
      >
        <button
          type="button"
          className="pred-sort"
          onClick={() => setSort((s) => nextSort(s, key))}
          title={t.sortBy(text)}
        >
          {text}
          <span className="pred-sort-arrow" aria-hidden="true">
            {active ? (sort.descending ? '▼' : '▲') : ''}
          </span>
        </button>
      </div>
    );
  };

  if (rows.length === 0) return <p className="pred-muted">{t.empty}</p>;
  return (
    <div className="pred-table" role="table" aria-label={t.label} aria-rowcount={rows.length + 1}>
      <div role="rowgroup" className="pred-thead">
        <div role="row" className="pred-tr" aria-rowindex={1}>
          {header('name', t.file)}
          {header('label', t.predicted)}
          {header('confidence', t.confidence)}
          <div role="columnheader" className="pred-th pred-col-others">
            {t.others}
          </div>
          <div role="columnheader" className="pred-th pred-col-feedback">
            {t.feedback}
          </div>
        </div>
      </div>
      <div ref={scrollRef} className="pred-tbody-scroll">
        <div role="rowgroup" className="pred-tbody" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const item = rows[v.index];
            const top = item.top[0];
            return (
              <div
                key={item.index}
                role="row"
                className="pred-tr"
                aria-rowindex={v.index + 2}
                data-file={item.file}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
              >
                <div role="cell" className="pred-td pred-col-name" title={item.file}>
                  {item.name}
                </div>
                <div role="cell" className="pred-td pred-col-label">
                  {top?.label}
                </div>
                <div role="cell" className="pred-td pred-col-confidence" data-probability={top?.probability}>
                  <ProbabilityTrack probability={top?.probability ?? 0} />
                  <span className="class-bar-value">{percent(top?.probability ?? 0)}</span>
                </div>
                <div role="cell" className="pred-td pred-col-others">
                  {item.top
                    .slice(1, 3)
                    .map((c) => `${c.label} ${percent(c.probability)}`)
                    .join(' · ')}
                </div>
                <div role="cell" className="pred-td pred-col-feedback">
                  <FeedbackControl
                    compact
                    name={item.name}
                    predicted={top?.label ?? ''}
                    labels={labels}
                    feedback={feedback.get(item.file)}
                    onSend={(label) => onFeedback(item.file, label)}
                  />
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
