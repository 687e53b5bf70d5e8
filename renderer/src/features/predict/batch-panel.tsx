import { useState } from 'react';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { ErrorMessage } from '../../components/error-message';
import { useT } from '../../i18n/i18n';
import { rate } from './predict-model';
import type { PredictionBatch } from './use-prediction';

/** The failed files of a batch, each with its worded reason (the first 500; the count of the rest). */
export function FailedList({ batch }: { batch: PredictionBatch }) {
  const t = useT().predict;
  const failed = batch.items.filter((i) => !i.ok);
  if (failed.length === 0) return null;
  const title = t.batch.failedFiles(failed.length);
  return (
    <details className="pred-failed" open={failed.length <= 20}>
      <summary>{title}</summary>
      <ul aria-label={title}>
        {failed.slice(0, 500).map((item) =>
          item.ok ? null : (
            <li key={item.index} data-file={item.file}>
              <span className="pred-failed-name" title={item.file}>
                {item.name}
              </span>
              <span className="pred-failed-reason" title={item.detail}>
                {t.failures[item.code]}
              </span>
            </li>
          ),
        )}
      </ul>
      {failed.length > 500 && <p className="pred-muted">{t.batch.more(failed.length - 500)}</p>}
    </details>
  );
}

/**
 * A batch's progress (count, images/s, Cancel) while it runs; once it ended, its summary and the actions on its
 * results: Export CSV… (save dialog) and Copy into folders by predicted label… (folder dialog), with the outcome.
 */
export function BatchPanel({ batch, onCancel }: { batch: PredictionBatch; onCancel(): void }) {
  const t = useT().predict;
  const [outcome, setOutcome] = useState<{ text: string } | { context: string; error: AppError } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const f = batch.finished;
  const batchId = batch.batchId;

  const exportCsv = async () => {
    if (!batchId) return;
    setBusy(true);
    try {
      const picked = await call((api) => api.dialog.save({ kind: 'csv', defaultName: 'predictions.csv' }));
      if (!picked.ok) return setOutcome({ context: t.pickers.failed, error: picked.error });
      const file = picked.value.file;
      if (!file) return;
      const r = await call((api) => api.prediction.exportCsv({ batchId, file }));
      setOutcome(
        r.ok
          ? { text: t.batch.exported(r.value.rows, r.value.file) }
          : { context: t.batch.exportFailed, error: r.error },
      );
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!batchId) return;
    setBusy(true);
    try {
      const picked = await call((api) => api.dialog.open({ kind: 'folder', multiple: false }));
      if (!picked.ok) return setOutcome({ context: t.pickers.failed, error: picked.error });
      const dir = picked.value.paths[0];
      if (!dir) return;
      const r = await call((api) => api.prediction.copyToFolders({ batchId, dir }));
      if (!r.ok) return setOutcome({ context: t.batch.copyFailed, error: r.error });
      const { copied, failed } = r.value;
      setOutcome({
        text:
          failed > 0
            ? t.batch.copiedWithFailures(copied, failed, r.value.dir)
            : t.batch.copied(copied, r.value.dir),
      });
    } finally {
      setBusy(false);
    }
  };

  if (!f) {
    const perSecond = rate(batch.done, batch.updatedAt - batch.startedAt);
    return (
      <section className="pred-batch running" aria-label={t.batch.progressLabel}>
        <div className="pred-batch-head">
          <strong>{batch.total > 0 ? t.batch.running : t.starting}</strong>
          {batch.total > 0 && (
            <span data-testid="pred-count">{t.batch.progress(batch.done, batch.total)}</span>
          )}
          {perSecond > 0 && <span className="pred-muted">{t.batch.rate(perSecond)}</span>}
          <button
            type="button"
            className="button small pred-batch-cancel"
            onClick={onCancel}
            disabled={!batchId}
          >
            {t.batch.cancel}
          </button>
        </div>
        <progress
          className="pred-progress"
          aria-label={t.batch.progressLabel}
          max={batch.total > 0 ? batch.total : undefined}
          value={batch.total > 0 ? batch.done : undefined}
        />
      </section>
    );
  }

  const error = f.error;
  return (
    <section className={`pred-batch done status-${f.status}`} aria-label={t.batch.status[f.status]}>
      <div className="pred-batch-head">
        <strong>{t.batch.status[f.status]}</strong>
        <span data-testid="pred-summary">{t.batch.summary(f.predicted, f.failed)}</span>
        {f.imagesPerSecond > 0 && <span className="pred-muted">{t.batch.rate(f.imagesPerSecond)}</span>}
        {f.predicted > 0 && (
          <span className="pred-batch-actions">
            <button type="button" className="button small" onClick={() => void exportCsv()} disabled={busy}>
              {t.batch.exportCsv}
            </button>
            <button type="button" className="button small" onClick={() => void copy()} disabled={busy}>
              {t.batch.copyToFolders}
            </button>
          </span>
        )}
      </div>
      {error && (
        <p className="error-message" role="alert">
          {error.code in t.batchFailures
            ? t.batchFailures[error.code as keyof typeof t.batchFailures]
            : t.batchFailures.generic}{' '}
          <span className="error-detail">{error.detail}</span>
        </p>
      )}
      {outcome && 'text' in outcome && (
        <p className="pred-outcome" role="status">
          {outcome.text}
        </p>
      )}
      {outcome && 'error' in outcome && <ErrorMessage error={outcome.error} context={outcome.context} />}
    </section>
  );
}
