import { useId, useState } from 'react';
import type { LabelInfo } from '../../../../../app/domain/dataset';
import type { SuggestionsStatus } from '../../../../../app/domain/suggestions';
import { Dialog } from '../../../components/dialog';
import { ErrorMessage } from '../../../components/error-message';
import { useT } from '../../../i18n/i18n';
import { barMode, countAtOrAbove, failureText, staleText } from './suggestions-model';
import './suggestions.css';
import { useLabelPreview, type SuggestionsState } from './use-suggestions';

const DEFAULT_THRESHOLD = 90;

/**
 * The suggestions bar above the grid: offer to suggest labels (a model, no suggestions), progress with Cancel,
 * the count with "accept all at or above N %" (a live preview count and a confirmation), why they are out of date
 * with Refresh, or why making them failed. With the "suggested as <label>" filter on, accepting all takes only
 * that label's suggestions.
 */
export function SuggestionsBar({
  projectId,
  suggestions,
  unlabeled,
  labelFilter,
  onAcceptAll,
}: {
  projectId: string;
  suggestions: SuggestionsState;
  /** Unlabeled images of the project (the dataset stats). */
  unlabeled: number;
  /** The label of the "suggested as" filter when it is on. */
  labelFilter: LabelInfo | null;
  onAcceptAll(minConfidence: number, labelId: number | undefined): void;
}) {
  const t = useT();
  const ts = t.suggestions;
  const { status, error } = suggestions;
  const mode = barMode(status, unlabeled);
  if (mode === 'hidden' || !status) return null;
  if (mode === 'no-model') return <p className="suggestions-hint muted">{ts.noModelHint}</p>;
  return (
    <section className={`suggestions-bar ${mode}`} aria-label={ts.barLabel}>
      {mode === 'offer' && (
        <div className="suggestions-row">
          <span className="suggestions-text">{ts.suggestHint(status.unlabeled || unlabeled)}</span>
          <button type="button" className="button small primary" onClick={() => void suggestions.refresh()}>
            {ts.suggest}
          </button>
        </div>
      )}
      {mode === 'running' && <RunningRow status={status} onCancel={() => void suggestions.cancel()} />}
      {mode === 'failed' && (
        <div className="suggestions-row" role="alert">
          <span className="suggestions-text suggestions-failed">
            {ts.failed.message(failureText(status.error, ts))}
          </span>
          {status.error?.detail && (
            <details className="suggestions-detail">
              <summary>{ts.failed.detail}</summary>
              <code>{status.error.detail}</code>
            </details>
          )}
          <button type="button" className="button small" onClick={() => void suggestions.refresh()}>
            {ts.failed.retry}
          </button>
        </div>
      )}
      {(mode === 'ready' || (mode === 'failed' && status.count > 0)) && (
        <ReadyRows
          projectId={projectId}
          status={status}
          labelFilter={labelFilter}
          onRefresh={() => void suggestions.refresh()}
          onAcceptAll={onAcceptAll}
        />
      )}
      {error && <ErrorMessage error={error} context={ts.actionFailed} />}
    </section>
  );
}

function RunningRow({ status, onCancel }: { status: SuggestionsStatus; onCancel(): void }) {
  const ts = useT().suggestions;
  const progress = status.progress;
  const text = progress && progress.total > 0 ? ts.running(progress.done, progress.total) : ts.runningStart;
  return (
    <div className="suggestions-row">
      <span className="suggestions-text" role="status">
        {text}
      </span>
      <progress
        className="suggestions-progress"
        max={progress?.total || 1}
        value={progress?.done ?? 0}
        aria-label={ts.barLabel}
        aria-valuetext={text}
      />
      <button type="button" className="button small" onClick={onCancel}>
        {ts.cancel}
      </button>
    </div>
  );
}

function ReadyRows({
  projectId,
  status,
  labelFilter,
  onRefresh,
  onAcceptAll,
}: {
  projectId: string;
  status: SuggestionsStatus;
  labelFilter: LabelInfo | null;
  onRefresh(): void;
  onAcceptAll(minConfidence: number, labelId: number | undefined): void;
}) {
  const ts = useT().suggestions;
  const [threshold, setThreshold] = useState(DEFAULT_THRESHOLD);
  const [confirming, setConfirming] = useState(false);
  const fieldId = useId();
  const bodyId = useId();
  const stale = staleText(status, ts);
  const labelPreview = useLabelPreview(
    projectId,
    labelFilter?.id ?? null,
    threshold,
    `${status.computedAt}:${status.count}`,
  );
  const preview = labelFilter ? labelPreview?.atOrAbove : countAtOrAbove(status.histogram, threshold);
  const setFromInput = (value: string) => {
    const n = Math.round(Number(value));
    if (Number.isFinite(n)) setThreshold(Math.max(0, Math.min(99, n)));
  };
  return (
    <>
      {stale && (
        <div className="suggestions-row suggestions-stale" role="status">
          <span className="suggestions-text">{stale}</span>
          <button type="button" className="button small" disabled={!status.modelRunId} onClick={onRefresh}>
            {ts.refresh}
          </button>
        </div>
      )}
      {status.count > 0 && (
        <div className="suggestions-row">
          <span className="suggestions-count">
            <span className="suggestion-swatch" aria-hidden="true" />
            {labelFilter ? ts.readyAs(labelPreview?.total ?? 0, labelFilter.name) : ts.ready(status.count)}
          </span>
          <span className="suggestions-accept">
            <label className="suggestions-threshold" htmlFor={fieldId}>
              {ts.acceptAllLabel}
            </label>
            <input
              type="range"
              className="suggestions-slider"
              min={0}
              max={99}
              value={threshold}
              aria-label={ts.thresholdLabel}
              onChange={(e) => setFromInput(e.target.value)}
            />
            <span className="suggestions-number">
              <input
                id={fieldId}
                type="number"
                className="input"
                min={0}
                max={99}
                value={threshold}
                onChange={(e) => setFromInput(e.target.value)}
              />
              %
            </span>
            <span className="suggestions-preview" aria-live="polite">
              {preview === undefined ? '…' : ts.preview(preview)}
            </span>
            <button
              type="button"
              className="button small primary"
              disabled={!preview}
              onClick={() => setConfirming(true)}
            >
              {ts.acceptAll(preview ?? 0)}
            </button>
          </span>
        </div>
      )}
      <Dialog
        open={confirming}
        role="alertdialog"
        title={ts.confirmTitle(preview ?? 0)}
        onClose={() => setConfirming(false)}
        describedBy={bodyId}
      >
        <p className="dialog-text" id={bodyId}>
          {labelFilter
            ? ts.confirmBodyFor(preview ?? 0, threshold, labelFilter.name)
            : ts.confirmBody(preview ?? 0, threshold)}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => setConfirming(false)} autoFocus>
            {ts.cancel}
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setConfirming(false);
              onAcceptAll(threshold / 100, labelFilter?.id);
            }}
          >
            {ts.confirm}
          </button>
        </div>
      </Dialog>
    </>
  );
}
