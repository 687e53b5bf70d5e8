import { useEffect, useId, useState, type FormEvent } from 'react';
import type { DatasetStats, HealthReport, SplitName } from '../../../../app/domain/dataset';
import { SPLIT_NAMES } from '../../../../app/domain/dataset';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { ErrorMessage } from '../../components/error-message';
import { WarningIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import './health-panel.css';
import { ImportLogDialog, useDismissedFailures } from './import-log';
import { IssueList } from './import-panel';
import { wordHealthIssue } from './wording/health';

/** Split ratios (adjustable) with "Assign splits", and the dataset's health report. */
export function HealthPanel({
  projectId,
  stats,
  version,
  onSelectImages,
}: {
  projectId: string;
  stats: DatasetStats | null;
  version: number;
  /** Selects the images an issue is about (in the "All images" view). */
  onSelectImages(ids: number[]): void;
}) {
  const t = useT();
  const h = t.dataset.health;
  return (
    <div className="side-panel-body">
      <SplitForm projectId={projectId} stats={stats} />
      <section className="panel-section" aria-labelledby="health-title">
        <h3 className="panel-heading" id="health-title">
          {h.title}
        </h3>
        <HealthReportView projectId={projectId} version={version} onSelectImages={onSelectImages} />
      </section>
    </div>
  );
}

function percent(n: number): number {
  return Math.round(n * 1000) / 10;
}

function SplitForm({ projectId, stats }: { projectId: string; stats: DatasetStats | null }) {
  const t = useT();
  const h = t.dataset.health;
  const [edited, setEdited] = useState<Record<SplitName, string> | null>(null);
  const [mode, setMode] = useState<'fill' | 'reshuffle' | 'all'>('reshuffle');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState(false);
  const id = useId();
  const current = stats?.split.ratios;
  const values: Record<SplitName, string> = edited ?? {
    train: current ? String(percent(current.train)) : '80',
    val: current ? String(percent(current.val)) : '10',
    test: current ? String(percent(current.test)) : '10',
  };
  const numbers = SPLIT_NAMES.map((s) => Number(values[s]));
  const valid = numbers.every((n) => Number.isFinite(n) && n >= 0 && n <= 100) && numbers.some((n) => n > 0);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setBusy(true);
    setDone(false);
    const [train, val, test] = numbers.map((n) => n / 100);
    const result = await call((api) => api.dataset.split({ projectId, ratios: { train, val, test }, mode }));
    setBusy(false);
    if (result.ok) {
      setError(null);
      setEdited(null);
      setDone(true);
    } else setError(result.error);
  };
  return (
    <form
      className="panel-section split-form"
      onSubmit={(e) => void submit(e)}
      aria-labelledby={`${id}-title`}
    >
      <h3 className="panel-heading" id={`${id}-title`}>
        {h.splitsTitle}
      </h3>
      <div className="split-inputs">
        {SPLIT_NAMES.map((s) => (
          <label key={s} className="field">
            <span className="split-input-label">
              <span className={`split-dot split-${s}`} />
              {h[s]}
            </span>
            <input
              type="number"
              min={0}
              max={100}
              step={1}
              value={values[s]}
              aria-invalid={!valid}
              onChange={(e) => setEdited({ ...values, [s]: e.target.value })}
            />
          </label>
        ))}
      </div>
      <label className="field">
        <span>{h.mode}</span>
        <select className="select" value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
          {(['fill', 'reshuffle', 'all'] as const).map((m) => (
            <option key={m} value={m}>
              {h.modes[m]}
            </option>
          ))}
        </select>
      </label>
      {stats && (
        <p className="hint">
          {h.perSplit(stats.perSplit.train, stats.perSplit.val, stats.perSplit.test, stats.perSplit.none)}
        </p>
      )}
      <div className="panel-actions">
        <button type="submit" className="button primary" disabled={!valid || busy}>
          {h.assign}
        </button>
        {done && (
          <span className="muted" role="status">
            {h.assigned}
          </span>
        )}
      </div>
      <ErrorMessage error={error} context={h.splitFailed} />
    </form>
  );
}

function HealthReportView({
  projectId,
  version,
  onSelectImages,
}: {
  projectId: string;
  version: number;
  onSelectImages(ids: number[]): void;
}) {
  const t = useT();
  const h = t.dataset.health;
  const [report, setReport] = useState<HealthReport | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [again, setAgain] = useState(0);
  const [logOpen, setLogOpen] = useState(false);
  const dismissed = useDismissedFailures(projectId);
  useEffect(() => {
    let live = true;
    void call((api) => api.dataset.health({ projectId })).then((r) => {
      if (!live) return;
      if (r.ok) {
        setReport(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [projectId, version, again]);
  if (error) return <ErrorMessage error={error} context={h.loadFailed} />;
  if (!report) return <p className="muted">{t.app.loading}</p>;
  const max = Math.max(1, ...report.perLabel.map((l) => l.count));
  // Dismissed import failures leave Health (they stay in the import log).
  const unreadable = report.unreadableFiles.filter((f) => !dismissed.isDismissed(f));
  const issues = report.issues.flatMap((issue) =>
    issue.kind !== 'unreadable'
      ? [issue]
      : unreadable.length === 0
        ? []
        : [{ ...issue, count: unreadable.length, params: { ...issue.params, files: unreadable.length } }],
  );
  return (
    <div className="health">
      {issues.length === 0 ? (
        <p className="health-good">{h.good}</p>
      ) : (
        <ul className="health-issues">
          {issues.map((issue, i) => (
            <li key={i} className={`health-issue severity-${issue.severity}`}>
              <WarningIcon className="health-icon" aria-hidden="true" />
              <div>
                <strong>
                  {h.kinds[issue.kind]}
                  <span className="visually-hidden"> ({h.severity[issue.severity]})</span>
                </strong>
                <p title={issue.message}>{wordHealthIssue(t, issue)}</p>
                {issue.imageIds && issue.imageIds.length > 0 && (
                  <button
                    type="button"
                    className="button small health-select"
                    onClick={() => onSelectImages(issue.imageIds ?? [])}
                  >
                    {t.wording.health.selectImages(issue.imageIds.length)}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {report.perLabel.length > 0 && (
        <table className="health-table">
          <thead>
            <tr>
              <th scope="col">{h.label}</th>
              <th scope="col">{h.images}</th>
            </tr>
          </thead>
          <tbody>
            {report.perLabel.map((l) => (
              <tr key={l.labelId}>
                <th scope="row">{l.name}</th>
                <td>
                  <span className="bar" aria-hidden="true">
                    <span className="bar-fill" style={{ width: `${(l.count / max) * 100}%` }} />
                  </span>
                  {t.wording.number(l.count)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.imbalanceRatio !== null && <p className="hint">{h.imbalance(report.imbalanceRatio)}</p>}
      {unreadable.length > 0 && (
        <div className="health-unreadable">
          <IssueList
            title={`${h.unreadable} (${t.wording.number(unreadable.length)})`}
            issues={unreadable}
            kind="failed"
            open={false}
          />
          <div className="health-unreadable-actions">
            <button type="button" className="button small" onClick={() => dismissed.dismiss(unreadable)}>
              {t.wording.importLog.dismissAll}
            </button>
            <span className="hint">{t.wording.importLog.dismissHint}</span>
          </div>
        </div>
      )}
      {unreadable.length < report.unreadableFiles.length && (
        <p className="hint">
          {t.wording.importLog.dismissed(report.unreadableFiles.length - unreadable.length)}
        </p>
      )}
      <div className="panel-actions">
        <button type="button" className="button small" onClick={() => setLogOpen(true)}>
          {t.wording.importLog.open}
        </button>
        <button type="button" className="button small" onClick={() => setAgain((n) => n + 1)}>
          {h.refresh}
        </button>
      </div>
      <ImportLogDialog projectId={projectId} open={logOpen} onClose={() => setLogOpen(false)} />
    </div>
  );
}

/** Moved to its own file; re-exported so the section's import keeps working. */
export { ExportPanel } from './dataset-export-panel';
