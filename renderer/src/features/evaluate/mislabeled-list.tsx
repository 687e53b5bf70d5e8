import type { LabelInfo } from '../../../../app/domain/dataset';
import { ErrorMessage } from '../../components/error-message';
import { useT } from '../../i18n/i18n';
import { ImageThumb, LabelSelect } from './image-thumb';
import { useNumberFormats, type PredictionQuery } from './use-evaluation';
import { useRelabelList, type Relabel } from './use-image-list';

/** How many of the worst training images the list offers at a time (fixing them brings the next ones). */
export const MISLABELED_LIMIT = 40;

const QUERY: PredictionQuery = {
  split: 'train',
  order: 'loss',
  onlyWrong: true,
  limit: MISLABELED_LIMIT,
};

/**
 * Training images ranked by loss where the model predicts another class: the likeliest labeling mistakes. Each is
 * fixed in one key press on the focused row: Enter or A takes the model's class, 1–9 pick the Nth label; arrows
 * move. A fixed image leaves the list at once and the next one takes its place (and focus).
 */
export function MislabeledList({
  projectId,
  runId,
  labels,
  mediaBase,
  version,
  onRelabel,
}: {
  projectId: string;
  runId: string;
  labels: LabelInfo[];
  mediaBase: string | null;
  version: number;
  onRelabel: Relabel;
}) {
  const t = useT();
  const tm = t.evaluation.mislabeled;
  const { percent, decimal } = useNumberFormats();
  const labelByName = new Map(labels.map((l) => [l.name, l]));
  const { fetched, current, predictions, listRef, list, relabel } = useRelabelList(
    projectId,
    runId,
    QUERY,
    version,
    onRelabel,
    {
      accept: true,
      onAction(action, item, index, relabel) {
        if (action.kind === 'accept') relabel(item, index, labelByName.get(item.predicted), true);
        else if (action.kind === 'label') relabel(item, index, labels[action.n - 1], true);
      },
    },
  );

  return (
    <section
      className="card eval-card mislabeled"
      aria-labelledby="mislabeled-heading"
      aria-busy={fetched.loading}
    >
      <header className="eval-card-head">
        <h3 id="mislabeled-heading" className="eval-heading">
          {tm.heading}
        </h3>
        {predictions && <span className="eval-count">{list.items.length.toLocaleString()}</span>}
      </header>
      <p className="eval-muted">{tm.intro}</p>
      {fetched.error && current && <ErrorMessage error={fetched.error} context={tm.failed} />}
      {!predictions && !fetched.error && (
        <p className="eval-muted" role="status">
          {tm.loading}
        </p>
      )}
      {predictions && list.items.length === 0 && <p className="eval-empty-line">{tm.empty}</p>}
      {list.items.length > 0 && (
        <>
          <p className="eval-keys">{tm.keys}</p>
          <ul ref={listRef} className="mislabeled-list" aria-label={tm.listLabel} onKeyDown={list.onKeyDown}>
            {list.items.map((item, index) => {
              const fileName = item.fileName;
              const focusable = index === list.at;
              const suggestion = labelByName.get(item.predicted);
              const current = item.label ?? t.evaluation.unlabeled;
              return (
                <li
                  key={item.imageId}
                  data-index={index}
                  data-image-id={item.imageId}
                  className="mislabeled-row"
                  tabIndex={focusable ? 0 : -1}
                  aria-label={tm.item(fileName, current, item.predicted, percent(item.confidence))}
                  onFocus={(e) => e.target === e.currentTarget && list.setFocus(index)}
                >
                  <ImageThumb projectId={projectId} mediaBase={mediaBase} info={item} size={52} />
                  <span className="mislabeled-text">
                    <span className="mislabeled-labels">
                      <span className="mislabeled-current" title={tm.labeled(current)}>
                        {current}
                      </span>
                      <span className="mislabeled-arrow" aria-hidden="true">
                        →
                      </span>
                      <span
                        className="mislabeled-suggestion"
                        title={tm.suggests(item.predicted, percent(item.confidence))}
                      >
                        {item.predicted}
                      </span>
                      <span className="mislabeled-confidence">{percent(item.confidence)}</span>
                    </span>
                    <span className="mislabeled-meta" title={fileName}>
                      {fileName}
                      {item.loss !== null && ` · ${tm.loss(decimal(item.loss))}`}
                    </span>
                  </span>
                  <span className="mislabeled-actions">
                    <button
                      type="button"
                      className="button small primary"
                      tabIndex={focusable ? 0 : -1}
                      disabled={!suggestion}
                      onClick={() => relabel(item, index, suggestion, false)}
                    >
                      <span className="mislabeled-accept-text">{tm.accept(item.predicted)}</span>
                      <kbd className="eval-kbd" aria-hidden="true">
                        A
                      </kbd>
                    </button>
                    <LabelSelect
                      labels={labels}
                      value={item.label}
                      fileName={fileName}
                      focusable={focusable}
                      onPick={(label) => relabel(item, index, label, false)}
                    />
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
