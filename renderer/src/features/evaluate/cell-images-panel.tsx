import type { LabelInfo } from '../../../../app/domain/dataset';
import type { EvalSplit } from '../../../../app/domain/training';
import { ErrorMessage } from '../../components/error-message';
import { useT } from '../../i18n/i18n';
import { ImageThumb, LabelSelect } from './image-thumb';
import { useNumberFormats, type PredictionQuery } from './use-evaluation';
import { useRelabelList, type Relabel } from './use-image-list';

/** How many images of a cell the panel lists (the count in the matrix says how many there are). */
export const CELL_LIMIT = 200;

/**
 * The images of one confusion-matrix cell with the model's prediction and confidence, each relabelable in place
 * with its label menu or, on the focused image, the digit keys 1–9 (the Nth label, as in the Dataset grid).
 * An image relabeled to another class leaves the cell at once; the matrix refreshes behind it.
 */
export function CellImagesPanel({
  projectId,
  runId,
  split,
  trueLabel,
  predicted,
  total,
  labels,
  mediaBase,
  version,
  onRelabel,
  onClose,
}: {
  projectId: string;
  runId: string;
  split: EvalSplit;
  trueLabel: string;
  predicted: string;
  /** The cell's count in the matrix. */
  total: number;
  labels: LabelInfo[];
  mediaBase: string | null;
  version: number;
  onRelabel: Relabel;
  onClose(): void;
}) {
  const t = useT();
  const tc = t.evaluation.cell;
  const { percent } = useNumberFormats();
  const query: PredictionQuery = {
    split,
    trueLabel,
    predicted,
    order: 'loss',
    onlyWrong: false,
    limit: CELL_LIMIT,
  };
  const { fetched, current, predictions, listRef, list, relabel } = useRelabelList(
    projectId,
    runId,
    query,
    version,
    onRelabel,
    {
      accept: false,
      onAction(action, item, index, relabel) {
        if (action.kind === 'close') onClose();
        else if (action.kind === 'label') relabel(item, index, labels[action.n - 1], true);
      },
    },
  );
  const correct = trueLabel === predicted;
  const loading = fetched.loading || (!current && !fetched.error);

  return (
    <section className="card eval-card cell-panel" aria-labelledby="cell-panel-heading" aria-busy={loading}>
      <header className="eval-card-head">
        <h3 id="cell-panel-heading" className="eval-heading">
          {correct ? tc.correctHeading(trueLabel) : tc.heading(trueLabel, predicted)}
        </h3>
        <span className="eval-count">{total.toLocaleString()}</span>
        <button
          type="button"
          className="icon-button"
          aria-label={tc.close}
          title={tc.close}
          onClick={onClose}
        >
          ×
        </button>
      </header>
      {fetched.error && current && <ErrorMessage error={fetched.error} context={tc.failed} />}
      {!predictions && !fetched.error && (
        <p className="eval-muted" role="status">
          {tc.loading}
        </p>
      )}
      {predictions && list.items.length === 0 && <p className="eval-muted">{tc.empty}</p>}
      {list.items.length > 0 && (
        <>
          <ul
            ref={listRef}
            className="cell-images"
            aria-label={tc.listLabel(trueLabel, predicted)}
            onKeyDown={list.onKeyDown}
          >
            {list.items.map((item, index) => {
              const fileName = item.fileName;
              const focusable = index === list.at;
              return (
                <li
                  key={item.imageId}
                  data-index={index}
                  data-image-id={item.imageId}
                  className="cell-image"
                  tabIndex={focusable ? 0 : -1}
                  aria-label={tc.image(
                    fileName,
                    item.label ?? t.evaluation.unlabeled,
                    item.predicted,
                    percent(item.confidence),
                  )}
                  onFocus={(e) => e.target === e.currentTarget && list.setFocus(index)}
                >
                  <ImageThumb projectId={projectId} mediaBase={mediaBase} info={item} size={84} />
                  <span className="cell-image-prediction" title={tc.predictedTitle}>
                    <span className="cell-image-class">{item.predicted}</span>
                    <span className="cell-image-confidence">{percent(item.confidence)}</span>
                  </span>
                  <LabelSelect
                    labels={labels}
                    value={item.label}
                    fileName={fileName}
                    focusable={focusable}
                    onPick={(label) => relabel(item, index, label, false)}
                  />
                </li>
              );
            })}
          </ul>
          {total > list.items.length && predictions && predictions.length >= CELL_LIMIT && (
            <p className="eval-muted">{tc.shown(list.items.length, total)}</p>
          )}
          <p className="eval-keys">{tc.keys}</p>
        </>
      )}
    </section>
  );
}
